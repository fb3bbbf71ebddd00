package ai.emadaptive.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayRendererTest {
    @Test
    void formatsNumbersWithoutAllocatingStrings() {
        assertEquals(
                "3.14", OverlayRenderer.fixed(new StringBuilder(), 3.14159, 2).toString());
        assertEquals("0.05", OverlayRenderer.fixed(new StringBuilder(), 0.05, 2).toString());
        assertEquals(
                "-1.0", OverlayRenderer.fixed(new StringBuilder(), -0.999, 1).toString());
        assertEquals("100", OverlayRenderer.fixed(new StringBuilder(), 99.7, 0).toString());
        assertEquals(
                "-", OverlayRenderer.fixed(new StringBuilder(), Double.NaN, 1).toString());
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
        for (int y = p[1]; y < p[1] + p[3]; y++)
            for (int x = p[0]; x < p[0] + p[2]; x++) if ((f.bgr()[(y * 320 + x) * 3] & 0xff) != 128) changed++;
        assertTrue(changed > p[2] * p[3] / 2, "panel drawn: " + changed);
        int stripe = (p[1] + 2) * 320 + p[0];
        java.awt.Color c = OverlayRenderer.EXIT_COLOURS[3];
        assertEquals(c.getBlue(), f.bgr()[stripe * 3] & 0xff, "exit stripe in exit 3's colour");
        assertEquals(c.getRed(), f.bgr()[stripe * 3 + 2] & 0xff);
        for (int y = 200; y < 240; y++)
            for (int x = 0; x < 320; x++) assertEquals(128, f.bgr()[(y * 320 + x) * 3 + 1] & 0xff);
    }

    /** Line 1 of the panel (the class, or the tools) drawn over flat grey; everything else about the frame fixed. */
    private static byte[] lineOne(OverlayRenderer r, long present, int label) {
        FrameBuffer f = new FramePool(320, 240, 1, 0, 4).acquire();
        java.util.Arrays.fill(f.bgr(), (byte) 128);
        f.exit = 2;
        f.label = label;
        f.present = present;
        f.probabilities[0] = 0.97f;
        f.probabilities[1] = 0.40f;
        f.probabilities[2] = 0.88f;
        f.confidence = 0.97f;
        f.decodedNanos = System.nanoTime();
        r.draw(f, 30, Double.NaN);
        int[] p = OverlayRenderer.panel(320, 240);
        int u = p[0]; // the panel's margin is one unit
        byte[] out = new byte[p[2] * 3 * u * 3];
        for (int y = 0; y < 3 * u; y++)
            System.arraycopy(f.bgr(), ((p[1] + y) * 320 + p[0]) * 3, out, y * p[2] * 3, p[2] * 3);
        return out;
    }

    /** Rightmost column of line 1 holding text (bright pixels). */
    private static int textEnd(byte[] line) {
        int w = OverlayRenderer.panel(320, 240)[2], end = -1;
        for (int i = 0; i < line.length; i += 3)
            if ((line[i] & 0xff) > 200 && (line[i + 1] & 0xff) > 200) end = Math.max(end, i / 3 % w);
        return end;
    }

    @Test
    void multiLabelLineOneListsEveryPresentTool() {
        List<String> tools = List.of("grasper", "hook", "clipper", "irrigator");
        OverlayRenderer multi = new OverlayRenderer(tools, ai.emadaptive.model.TaskType.MULTI_LABEL);
        byte[] two = lineOne(multi, 0b101, 0), one = lineOne(multi, 0b001, 0), none = lineOne(multi, 0, 0);
        byte[] single = lineOne(new OverlayRenderer(tools), 1L, 0);
        assertTrue(java.util.Arrays.equals(two, lineOne(multi, 0b101, 0)), "drawing is deterministic");
        assertTrue(!java.util.Arrays.equals(two, one), "a second tool changes line 1");
        assertTrue(
                textEnd(two) > textEnd(one) + 20,
                "GRASPER 97%  CLIPPER 88% runs further right than GRASPER 97%: " + textEnd(two) + " vs "
                        + textEnd(one));
        assertTrue(textEnd(none) > 0 && !java.util.Arrays.equals(none, one), "NO TOOL is drawn when none is present");
        assertTrue(
                !java.util.Arrays.equals(one, single),
                "GRASPER 97% (multi-label) differs from GRASPER  97% (single-label)");
    }
}
