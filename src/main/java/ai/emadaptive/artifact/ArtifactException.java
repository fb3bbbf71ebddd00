package ai.emadaptive.artifact;

import java.nio.file.Path;

/**
 * A model artifact that cannot be read or written. Unchecked: the only sensible reaction is to report the message,
 * which names the file and the problem ("model.zip: missing manifest.json").
 *
 * <p>Code below the reader and writer throws it with the problem alone; the reader and writer add the file with
 * {@link #in(Path)}, so the parts that parse bytes need not know where the bytes came from.
 */
public class ArtifactException extends RuntimeException {
    private final String problem;
    private final Path file;

    public ArtifactException(String problem) {
        this(null, problem, null);
    }

    public ArtifactException(String problem, Throwable cause) {
        this(null, problem, cause);
    }

    public ArtifactException(Path file, String problem, Throwable cause) {
        super(file == null ? problem : file + ": " + problem, cause);
        this.problem = problem;
        this.file = file;
    }

    /** The problem without the file name. */
    public String problem() {
        return problem;
    }

    /** The artifact concerned, or null when not yet known. */
    public Path file() {
        return file;
    }

    /** This problem, attributed to {@code file} (unchanged if it already names a file). */
    public ArtifactException in(Path file) {
        if (this.file != null) return this;
        ArtifactException e = new ArtifactException(file, problem, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
