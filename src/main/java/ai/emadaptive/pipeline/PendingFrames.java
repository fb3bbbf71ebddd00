package ai.emadaptive.pipeline;

import ai.emadaptive.frame.FrameBuffer;

/**
 * A stream's frames decoded but not yet taken by inference: a tiny ring, oldest first. When full, a live stream's
 * new frame pushes out the oldest (latest frames win; the feed is never more than {@code capacity} frames behind).
 * Guarded by the {@link FrameExchange}'s lock.
 */
final class PendingFrames {
    private final FrameBuffer[] ring;
    private int head, size;

    PendingFrames(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1");
        ring = new FrameBuffer[capacity];
    }

    boolean full() {
        return size == ring.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size; // read without the lock by gauges: approximate is fine
    }

    /** Adds a frame; returns the oldest one it pushed out when full, else null. */
    FrameBuffer add(FrameBuffer f) {
        FrameBuffer out = null;
        if (size == ring.length) out = poll();
        ring[(head + size) % ring.length] = f;
        size++;
        return out;
    }

    /** The oldest frame, or null. */
    FrameBuffer poll() {
        if (size == 0) return null;
        FrameBuffer f = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        return f;
    }
}
