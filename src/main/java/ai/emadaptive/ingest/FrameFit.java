package ai.emadaptive.ingest;

import ai.emadaptive.artifact.Manifest;

/**
 * Where a frame lands in the square network input: the frame region read ({@code x, y, width, height}) and the output
 * pixels it fills ({@code left, top, cols, rows}); output pixels outside those are black. The centred square and the
 * squeezed whole frame fill the whole input; the letterbox keeps the frame's aspect ratio, so a wide frame fills a band
 * of full-width rows between black bars (an instrument at the frame's edge stays in view, at the scale the centred
 * square would give it in a larger input).
 */
public record FrameFit(int x, int y, int width, int height, int left, int top, int cols, int rows) {

    /** The fit of {@code input} for a {@code frameWidth} x {@code frameHeight} frame. */
    public static FrameFit of(Manifest.Input input, int frameWidth, int frameHeight) {
        int size = input.size();
        if (input.letterbox()) {
            int longest = Math.max(frameWidth, frameHeight);
            int cols = Math.max(1, Math.round((float) frameWidth * size / longest));
            int rows = Math.max(1, Math.round((float) frameHeight * size / longest));
            return new FrameFit(0, 0, frameWidth, frameHeight, (size - cols) / 2, (size - rows) / 2, cols, rows);
        }
        if (input.wholeFrame()) return new FrameFit(0, 0, frameWidth, frameHeight, 0, 0, size, size);
        int side = Math.min(frameWidth, frameHeight);
        return new FrameFit((frameWidth - side) / 2, (frameHeight - side) / 2, side, side, 0, 0, size, size);
    }

    /**
     * Output pixel i's source range [from[i], to[i]) along one axis: {@code count} outputs over {@code side} source
     * pixels from {@code start}, each at least one pixel wide (upscaling).
     */
    public static void boxes(int start, int side, int count, int[] from, int[] to) {
        for (int i = 0; i < count; i++) {
            int a = (int) ((long) i * side / count), b = (int) ((long) (i + 1) * side / count);
            if (b <= a) b = a + 1;
            from[i] = start + a;
            to[i] = start + Math.min(b, side);
        }
    }
}
