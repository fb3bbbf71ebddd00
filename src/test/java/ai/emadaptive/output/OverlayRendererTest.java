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

    /** A frame size sources deliver (the tests of line 1 compare text lengths, which a tiny frame blurs). */
    private static final int W = 640, H = 480;

    /** Line 1 of the panel (the class, or the tools) drawn over flat grey; everything else about the frame fixed. */
    private static byte[] lineOne(OverlayRenderer r, long present, int label) {
        FrameBuffer f = new FramePool(W, H, 1, 0, 4).acquire();
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
        int[] p = OverlayRenderer.panel(W, H);
        int u = p[0]; // the panel's margin is one unit
        byte[] out = new byte[p[2] * 3 * u * 3];
        for (int y = 0; y < 3 * u; y++)
            System.arraycopy(f.bgr(), ((p[1] + y) * W + p[0]) * 3, out, y * p[2] * 3, p[2] * 3);
        return out;
    }

    /** Rightmost column of line 1 holding text (bright pixels). */
    private static int textEnd(byte[] line) {
        int w = OverlayRenderer.panel(W, H)[2], end = -1;
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

    /**
     * At the web page's narrowest card (420 px) the small text is still about 10 px high, and the longest lines a
     * single-label stream shows stay inside the panel, for the frame sizes sources deliver.
     */
    @Test
    void textIsReadableAtCardWidthAndStaysInThePanel() {
        int[][] sizes = {{640, 480}, {854, 480}, {1280, 720}, {1920, 1080}};
        for (int[] size : sizes) {
            int w = size[0], h = size[1];
            double atCard = OverlayRenderer.smallFontSize(w) * 420.0 / w;
            assertTrue(atCard >= 9.4, w + " px wide: small text " + atCard + " px at card width");
            FrameBuffer f = new FramePool(w, h, 1, 0, 2).acquire();
            java.util.Arrays.fill(f.bgr(), (byte) 128);
            f.exit = 3;
            f.reused = true;
            f.label = 1;
            f.confidence = 1f;
            f.cost = 0.75;
            f.lambda = 12.25;
            f.adaptive = true;
            f.stride = 8;
            f.decodedNanos = System.nanoTime() - 1_234_500_000L; // a four-digit latency
            new OverlayRenderer(List.of("none", "clip-applier")).draw(f, 144.4, 0.897);
            int[] p = OverlayRenderer.panel(w, h);
            int outside = 0, inside = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = x >= p[0] && x < p[0] + p[2] && y >= p[1] && y < p[1] + p[3];
                    int i = (y * w + x) * 3;
                    boolean changed = (f.bgr()[i] & 0xff) != 128 || (f.bgr()[i + 2] & 0xff) != 128;
                    if (!changed) continue;
                    if (in) inside++;
                    else outside++;
                }
            }
            assertTrue(inside > 0, "panel drawn");
            assertEquals(0, outside, w + "x" + h + ": pixels drawn outside the panel " + java.util.Arrays.toString(p));
        }
    }
}
