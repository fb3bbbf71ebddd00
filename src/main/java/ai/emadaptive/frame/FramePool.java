package ai.emadaptive.frame;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A stream's fixed set of frame buffers, allocated once for its resolution. A decoder that finds none free has
 * fallen behind its consumers and drops the frame instead of allocating.
 */
public final class FramePool {
    private final ArrayBlockingQueue<FrameBuffer> free;
    private final int width;
    private final int height;

    /**
     * @param inputLength floats in each buffer's network input row (0 where frames never reach a network)
     * @param classes     the model's classes: each buffer's {@link FrameBuffer#probabilities} (0 where none are kept)
     */
    public FramePool(int width, int height, int size, int inputLength, int classes) {
        this.width = width;
        this.height = height;
        free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) free.add(new FrameBuffer(this, width, height, inputLength, classes));
    }

    public FramePool(int width, int height, int size, int inputLength) {
        this(width, height, size, inputLength, 0);
    }

    public FramePool(int width, int height, int size) {
        this(width, height, size, 0);
    }

    /** A free buffer, or null when every buffer is in use. */
    public FrameBuffer acquire() {
        return free.poll();
    }

    public void release(FrameBuffer frame) {
        if (frame.pool != this) throw new IllegalArgumentException("buffer from another pool");
        free.offer(frame);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int available() {
        return free.size();
    }
}
