package ai.emadaptive.ingest;

/** A source URL the service refuses to open (scheme not allowed, file outside the allowed folders, ...). */
public class SourceRejectedException extends RuntimeException {
    public SourceRejectedException(String message) {
        super(message);
    }
}
