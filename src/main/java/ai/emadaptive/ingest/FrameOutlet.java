package ai.emadaptive.ingest;

import ai.emadaptive.frame.FrameBuffer;

/** Where a decoder hands its stream's frames on to inference. */
@FunctionalInterface
public interface FrameOutlet {
    /**
     * @param wait block until there is room (a replay as fast as possible), or replace a waiting frame (a live source)
     * @return false when the stream stopped while waiting (the frame was released)
     */
    boolean publish(FrameBuffer frame, boolean wait) throws InterruptedException;
}
