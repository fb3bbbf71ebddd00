package ai.emadaptive.generate;

import java.util.Locale;

/**
 * Where a tool can be seen in a frame: the box around its visible pixels, as fractions of the frame (so within
 * [0, 1]), and how many pixels those are.
 */
public record ToolBox(Instrument instrument, double x0, double y0, double x1, double y1, int pixels) {
    public double centreX() {
        return (x0 + x1) / 2;
    }

    public double centreY() {
        return (y0 + y1) / 2;
    }

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    /** The box as a YOLO label line: {@code class centreX centreY width height}, six decimals. */
    public String yolo() {
        return String.format(
                Locale.ROOT,
                "%d %.6f %.6f %.6f %.6f",
                ToolClasses.id(instrument),
                centreX(),
                centreY(),
                width(),
                height());
    }
}
