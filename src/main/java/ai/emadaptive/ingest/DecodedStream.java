package ai.emadaptive.ingest;

import ai.emadaptive.frame.DropReason;
import ai.emadaptive.frame.FrameBuffer;
import java.util.List;

/**
 * One stream as its {@link StreamDecoder} sees it: where it comes from, what it reports back (state, picture size,
 * counts) and whether the frame it is about to publish needs pixels or inference at all.
 */
public interface DecodedStream {
    String id();

    StreamSpec spec();

    SourceUrl source();

    /** The model's class names, for reading a ground-truth file beside the source. */
    List<String> classes();

    /** Ground truth read beside a file source, or null. */
    GroundTruth truth();

    boolean stopRequested();

    StreamState state();

    /** A new state and, when it failed or reconnects, why (redacted of credentials). */
    void state(StreamState state, String error);

    /** The source is open and delivering: an error from before no longer describes the stream. */
    void running();

    /** The source's picture size and frame rate, once known (and again when it changes). */
    void source(int width, int height, double fps);

    /** Counts one decoded frame; every decoded frame is later processed or dropped. */
    void decoded();

    /** Counts a frame that never reached inference and returns its buffer (if any) to its pool. */
    void dropped(FrameBuffer frame, DropReason reason);

    /** Counts a frame lost before it had a buffer (e.g. one FFmpeg could not decode). */
    void dropped(DropReason reason);

    /** Whether the next frame needs BGR pixels for an overlay someone will see. */
    boolean wantsOverlay();

    /** Whether inference may skip the frame about to be published and give it the last result (see stride). */
    boolean reuseNext();
}
