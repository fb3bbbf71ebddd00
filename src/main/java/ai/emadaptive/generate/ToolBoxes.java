package ai.emadaptive.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The boxes a detector should find in a {@link ToolScene}: each tool's pixels as the renderer draws them, less those
 * a later tool covers and those outside the scope's field, boxed. A tool left with a sliver (under
 * {@link #MIN_SHARE} of the frame, or under {@link #MIN_PIXELS}) gets no box: nobody could label it.
 */
public final class ToolBoxes {
    /** The smallest visible area that gets a box, as a share of the frame. */
    public static final double MIN_SHARE = 0.002;
    /** ... and in pixels, for very small frames. */
    public static final int MIN_PIXELS = 4;

    private ToolBoxes() {}

    /** One box per visible tool, in the scene's tool order. */
    public static List<ToolBox> of(ToolScene s, int w, int h) {
        List<Scene> scenes = s.scenes();
        boolean[][] masks = new boolean[scenes.size()][];
        for (int k = 0; k < masks.length; k++) masks[k] = SceneRenderer.coverage(scenes.get(k), w, h);
        int min = Math.max(MIN_PIXELS, (int) Math.ceil(MIN_SHARE * w * h));
        List<ToolBox> boxes = new ArrayList<>();
        for (int k = 0; k < masks.length; k++) {
            int x0 = w, y0 = h, x1 = -1, y1 = -1, pixels = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (!visible(masks, k, y * w + x)) continue;
                    pixels++;
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
            if (pixels < min) continue;
            boxes.add(new ToolBox(
                    scenes.get(k).instrument(),
                    (double) x0 / w,
                    (double) y0 / h,
                    (x1 + 1.0) / w,
                    (y1 + 1.0) / h,
                    pixels));
        }
        return boxes;
    }

    /** Whether tool k shows at pixel i: it covers it and no tool drawn after it does. */
    private static boolean visible(boolean[][] masks, int k, int i) {
        if (!masks[k][i]) return false;
        for (int j = k + 1; j < masks.length; j++) if (masks[j][i]) return false;
        return true;
    }
}
