package ai.emadaptive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void percentileAndLateShareAreOfTheDrainedWindowOnly() {
        LatencyWindow w = new LatencyWindow(1000);
        for (int i = 1; i <= 200; i++) w.record(i * 0.25); // 0.25 .. 50 ms
        assertEquals(47.5, w.drainPercentile(95), 1e-6);
        assertEquals(68 / 200.0, w.shareAbove(33), 1e-9, "frames above 33 ms: 33.25 .. 50");
        assertEquals(0, w.shareAbove(50));

        assertTrue(Double.isNaN(w.drainPercentile(95)), "an empty window");
        assertEquals(0, w.shareAbove(33));
        w.record(40);
        w.record(10);
        w.drainPercentile(95);
        assertEquals(0.5, w.shareAbove(33), 1e-9);
    }
}
