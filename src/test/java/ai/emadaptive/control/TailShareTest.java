package ai.emadaptive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TailShareTest {
    private static final double BUDGET = 33;

    @Test
    void aLoneLateFrameAtALoadedNodeIsNotATail() {
        TailShare t = new TailShare();
        for (int i = 0; i < TailShare.TICKS - 1; i++) assertEquals(0, t.add(0, 135));
        double share = t.add(1, 135);
        assertEquals(1.0 / (135 * TailShare.TICKS), share, 1e-12, "one frame in the window's 1080");
        assertTrue(share < ControlSettings.defaults(BUDGET).maxLateRate(), "below maxLateRate: no pressure");
    }

    @Test
    void aClusterOfLateFramesIsATailAndOldTicksLeaveTheWindow() {
        TailShare t = new TailShare();
        for (int i = 0; i < TailShare.TICKS; i++) t.add(0, 100);
        assertEquals(0, t.add(0, 100));
        double burst = t.add(8, 100);
        assertEquals(8.0 / 800, burst, 1e-12);
        assertTrue(burst > ControlSettings.defaults(BUDGET).maxLateRate());
        assertEquals(0, t.add(0, 100), "a tick without a late frame reports none, whatever the window holds");
        assertEquals(9.0 / 800, t.add(1, 100), 1e-12, "the burst is still in the window");
        for (int i = 0; i < TailShare.TICKS - 1; i++) t.add(0, 100);
        assertEquals(1.0 / 800, t.add(1, 100), 1e-12, "the burst and the late tick after it have left");
    }

    @Test
    void atLowLoadOneLateFrameStillCounts() {
        // one stream: about 8 frames a tick, 60 in the window; one late frame is 1.7%, over maxLateRate
        TailShare t = new TailShare();
        for (int i = 0; i < TailShare.TICKS - 1; i++) t.add(0, 8);
        assertTrue(t.add(1, 4) > ControlSettings.defaults(BUDGET).maxLateRate());
    }

    @Test
    void scatteredLateFramesAtALoadedNodeLeaveLambdaAtItsFloor() {
        // 135 frames a tick, the p95 in the dead band, a late frame every third tick: 0.25% of the frames, well within
        // the 99% target. Judged per tick each late frame is 0.7%, over maxLateRate, and raises lambda.
        LambdaController windowed = new LambdaController(ControlSettings.defaults(BUDGET), 0.25, 32);
        LambdaController perTick = new LambdaController(ControlSettings.defaults(BUDGET), 0.25, 32);
        TailShare tail = new TailShare();
        for (int t = 0; t < TailShare.TICKS; t++) tail.add(0, 135); // the window holds the frames before
        double perTickSum = 0;
        for (int t = 0; t < 300; t++) {
            int late = t % 3 == 0 ? 1 : 0;
            windowed.tick(BUDGET * 0.65, tail.add(late, 135), 0);
            perTick.tick(BUDGET * 0.65, late / 135.0, 0);
            assertEquals(0.25, windowed.lambda(), 1e-12, "tick " + t);
            perTickSum += perTick.lambda();
        }
        assertTrue(perTickSum / 300 > 0.5, "judged tick by tick the same frames raise lambda: " + perTickSum / 300);
    }
}
