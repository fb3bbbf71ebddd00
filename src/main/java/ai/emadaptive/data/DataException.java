package ai.emadaptive.data;

/** A data set that cannot be read; the message names the file or folder and the problem. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }
}
