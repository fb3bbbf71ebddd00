package ai.emadaptive.pipeline;

import ai.emadaptive.frame.DropReason;
import ai.emadaptive.frame.FrameBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands decoded frames from the streams' decoders to the inference stage. Each stream has a small ring of waiting
 * frames (default 2, so one slow batch does not cost a frame): when it is full, a live stream's newer frame pushes
 * out the oldest (dropped and counted, so a live feed never falls behind), while a replay "as fast as possible"
 * waits for room (no drops). The inference stage
 * takes at most one frame per stream per batch and waits a little for other streams to fill the batch
 * (micro-batching: max batch, max wait). A slow decoder never blocks another stream: each has its own slot.
 */
public final class FrameExchange {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition framesReady = lock.newCondition();
    private final Condition slotFreed = lock.newCondition();
    private final List<StreamContext> streams = new CopyOnWriteArrayList<>();
    private int next; // round-robin start, so no stream is always last in a full batch

    public void register(StreamContext stream) {
        streams.add(stream);
    }

    /** Removes the stream and returns its untaken frame, if any, to its pool. */
    public void unregister(StreamContext stream) {
        streams.remove(stream);
        lock.lock();
        try {
            FrameBuffer left;
            while ((left = stream.pending.poll()) != null) left.pool.release(left);
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int streamCount() {
        return streams.size();
    }

    /**
     * Offers a decoded frame. With {@code wait}, blocks until the stream's slot is free (or the stream stops);
     * without, replaces an untaken frame, which is released and reported as superseded.
     *
     * @return false when the stream stopped while waiting (the frame was released)
     */
    public boolean publish(StreamContext stream, FrameBuffer frame, boolean wait) throws InterruptedException {
        FrameBuffer replaced;
        lock.lock();
        try {
            if (wait) {
                while (stream.pending.full() && !stream.stopRequested()) slotFreed.await(50, TimeUnit.MILLISECONDS);
                if (stream.stopRequested()) {
                    frame.pool.release(frame);
                    return false;
                }
            }
            replaced = stream.pending.add(frame);
            framesReady.signal();
        } finally {
            lock.unlock();
        }
        if (replaced != null) stream.dropped(replaced, DropReason.SUPERSEDED);
        return true;
    }

    /**
     * Takes a batch: waits (up to {@code idleNanos}) for a first frame, then up to {@code maxWaitNanos} more for other
     * streams' frames, until {@code max} frames. Fills {@code frames} and {@code from} in parallel.
     *
     * @return the number of frames taken (0 when none came within {@code idleNanos})
     */
    public int take(FrameBuffer[] frames, StreamContext[] from, int max, long maxWaitNanos, long idleNanos)
            throws InterruptedException {
        lock.lockInterruptibly();
        try {
            int n = collect(frames, from, 0, max);
            long idle = idleNanos;
            while (n == 0) {
                if (idle <= 0) return 0;
                idle = framesReady.awaitNanos(idle);
                n = collect(frames, from, 0, max);
            }
            long wait = maxWaitNanos;
            while (n < max && n < streams.size() && wait > 0) {
                wait = framesReady.awaitNanos(wait);
                n = collect(frames, from, n, max);
            }
            slotFreed.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Moves pending frames of streams not yet in the batch into it. Called with the lock held. */
    private int collect(FrameBuffer[] frames, StreamContext[] from, int n, int max) {
        int count = streams.size();
        if (count == 0) return n;
        int start = next % count;
        for (int k = 0; k < count && n < max; k++) {
            StreamContext s;
            try {
                s = streams.get((start + k) % count);
            } catch (IndexOutOfBoundsException e) {
                break; // removed concurrently; the next round sees the new list
            }
            if (s.pending.isEmpty() || contains(from, n, s)) continue;
            frames[n] = s.pending.poll();
            from[n] = s;
            n++;
        }
        next = start + 1;
        return n;
    }

    private static boolean contains(StreamContext[] from, int n, StreamContext s) {
        for (int i = 0; i < n; i++) if (from[i] == s) return true;
        return false;
    }
}
