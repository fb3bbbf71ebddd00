package ai.emadaptive.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import ai.emadaptive.ingest.SourceKind;
import ai.emadaptive.ingest.SourceUrl;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.model.TaskType;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameExchangeTest {
    private static StreamContext stream(String id) {
        return stream(id, 1);
    }

    private static StreamContext stream(String id, int buffered) {
        return new StreamContext(
                StreamSpec.of(id, "rtsp://x/" + id),
                new SourceUrl("rtsp://x/" + id, SourceKind.NETWORK, "rtsp://x/" + id, null, null),
                1.0,
                List.of("a", "b"),
                TaskType.SINGLE_LABEL,
                buffered);
    }

    @Test
    void aDeeperBufferKeepsOrderAndDropsTheOldestWhenFull() throws Exception {
        FrameExchange ex = new FrameExchange();
        StreamContext s = stream("a", 2);
        ex.register(s);
        FramePool pool = new FramePool(16, 16, 4);
        FrameBuffer[] f = new FrameBuffer[3];
        for (int i = 0; i < 3; i++) {
            f[i] = pool.acquire();
            ex.publish(s, f[i], false);
        }
        assertEquals(1, s.droppedCount(), "third frame pushed out the first");
        assertEquals(2, s.queueDepth());
        FrameBuffer[] frames = new FrameBuffer[4];
        StreamContext[] from = new StreamContext[4];
        assertEquals(1, ex.take(frames, from, 4, 0, 1_000_000), "one frame per stream per batch");
        assertSame(f[1], frames[0]);
        assertEquals(1, ex.take(frames, from, 4, 0, 1_000_000));
        assertSame(f[2], frames[0]);
    }

    @Test
    void liveFramesLatestWinsAndTheOldOneIsCountedAndReturned() throws Exception {
        FrameExchange ex = new FrameExchange();
        StreamContext s = stream("a");
        ex.register(s);
        FramePool pool = new FramePool(16, 16, 3);
        FrameBuffer first = pool.acquire(), second = pool.acquire();
        first.frameIndex = 1;
        second.frameIndex = 2;
        ex.publish(s, first, false);
        ex.publish(s, second, false);
        assertEquals(1, s.droppedCount());
        assertEquals(2, pool.available(), "the superseded frame went back to the pool");
        FrameBuffer[] frames = new FrameBuffer[4];
        StreamContext[] from = new StreamContext[4];
        assertEquals(1, ex.take(frames, from, 4, 0, 1_000_000));
        assertSame(second, frames[0]);
        assertSame(s, from[0]);
        assertEquals(0, ex.take(frames, from, 4, 0, 1_000_000), "nothing left");
    }

    @Test
    void replayWaitsForItsSlotInsteadOfDropping() throws Exception {
        FrameExchange ex = new FrameExchange();
        StreamContext s = stream("a");
        ex.register(s);
        FramePool pool = new FramePool(16, 16, 2);
        ex.publish(s, pool.acquire(), true);
        CountDownLatch published = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                ex.publish(s, pool.acquire(), true);
                published.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertFalse(published.await(200, TimeUnit.MILLISECONDS), "second frame waits while the slot is full");
        FrameBuffer[] frames = new FrameBuffer[2];
        StreamContext[] from = new StreamContext[2];
        assertEquals(1, ex.take(frames, from, 2, 0, 1_000_000));
        assertTrue(published.await(2, TimeUnit.SECONDS), "slot freed: the waiting frame goes in");
        assertEquals(0, s.droppedCount());
        t.join();
    }

    @Test
    void aBatchTakesOneFramePerStreamAndWaitsBrieflyForOthers() throws Exception {
        FrameExchange ex = new FrameExchange();
        StreamContext a = stream("a"), b = stream("b"), c = stream("c");
        ex.register(a);
        ex.register(b);
        ex.register(c);
        FramePool pool = new FramePool(16, 16, 8);
        ex.publish(a, pool.acquire(), false);
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(20);
                ex.publish(b, pool.acquire(), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        late.start();
        FrameBuffer[] frames = new FrameBuffer[8];
        StreamContext[] from = new StreamContext[8];
        int n = ex.take(frames, from, 8, 500_000_000L, 1_000_000_000L);
        late.join();
        assertEquals(2, n, "a's frame waited for b's; c sent none and the wait ended at max wait");
        assertTrue((from[0] == a && from[1] == b) || (from[0] == b && from[1] == a));
        ex.unregister(a);
        assertEquals(2, ex.streamCount());
    }
}
