package ai.emadaptive.service;

/** Reactive Messaging channel names. */
public final class Channels {
    private Channels() {}

    /** Per-frame result events ({@link ai.emadaptive.output.FrameResult}); in-memory by default, Kafka by config. */
    public static final String FRAME_RESULTS = "frame-results";
}
