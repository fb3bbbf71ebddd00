package ai.emadaptive.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import ai.emadaptive.pipeline.FrameBuffer;
import ai.emadaptive.pipeline.FramePool;
import org.junit.jupiter.api.Test;

class OverlayRendererTest {
    @Test
    void formatsNumbersWithoutAllocatingStrings() {
        assertEquals("3.14", OverlayRenderer.fixed(new StringBuilder(), 3.14159, 2).toString());
        assertEquals("0.05", OverlayRenderer.fixed(new StringBuilder(), 0.05, 2).toString());
        assertEquals("-1.0", OverlayRenderer.fixed(new StringBuilder(), -0.999, 1).toString());
        assertEquals("100", OverlayRenderer.fixed(new StringBuilder(), 99.7, 0).toString());
        assertEquals("-", OverlayRenderer.fixed(new StringBuilder(), Double.NaN, 1).toString());
    }

    @Test
    void drawsThePanelInTheExitColourAndLeavesTheRest() {
        FramePool pool = new FramePool(320, 240, 1);
        FrameBuffer f = pool.acquire();
        java.util.Arrays.fill(f.bgr(), (byte) 128);
        f.exit = 3;
        f.label = 1;
        f.confidence = 0.9f;
        f.cost = 0.6;
        f.lambda = 1;
        f.decodedNanos = System.nanoTime();
        new OverlayRenderer(List.of("none", "grasper")).draw(f, 30, 0.95);
        int[] p = OverlayRenderer.panel(320, 240);
        int changed = 0;
        for (int y = p[1]; y < p[1] + p[3]; y++) for (int x = p[0]; x < p[0] + p[2]; x++) if ((f.bgr()[(y * 320 + x) * 3] & 0xff) != 128) changed++;
        assertTrue(changed > p[2] * p[3] / 2, "panel drawn: " + changed);
        int stripe = (p[1] + 2) * 320 + p[0];
        java.awt.Color c = OverlayRenderer.EXIT_COLOURS[3];
        assertEquals(c.getBlue(), f.bgr()[stripe * 3] & 0xff, "exit stripe in exit 3's colour");
        assertEquals(c.getRed(), f.bgr()[stripe * 3 + 2] & 0xff);
        for (int y = 200; y < 240; y++) for (int x = 0; x < 320; x++) assertEquals(128, f.bgr()[(y * 320 + x) * 3 + 1] & 0xff);
    }
}
