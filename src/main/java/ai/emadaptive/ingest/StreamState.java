package ai.emadaptive.ingest;

/** Life cycle of a stream's source. */
public enum StreamState {
    STARTING,
    RUNNING,
    RECONNECTING,
    ENDED,
    FAILED,
    STOPPED;

    /** Whether the stream is expected to deliver frames now or soon. */
    public boolean active() {
        return this == STARTING || this == RUNNING || this == RECONNECTING;
    }
}
