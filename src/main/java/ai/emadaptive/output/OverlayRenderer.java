package ai.emadaptive.output;

import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.TaskType;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.Graphics2D;
import java.util.List;

/**
 * Draws what the service decided onto the full-resolution frame, in place: the class and its confidence (multi-label:
 * every tool present with its probability), the exit
 * taken (one colour per exit, and a four-step depth gauge), the normalised cost, the frame's latency so far, the
 * stream's lambda and FPS, and live accuracy when ground truth is known. Text is assembled in reused buffers; one
 * renderer per thread.
 */
public final class OverlayRenderer {
    /** Exit colours, 1..4: shallow (green) to full depth (red). */
    public static final Color[] EXIT_COLOURS = {
        null, new Color(0x2ecc71), new Color(0x3498db), new Color(0xf39c12), new Color(0xe74c3c)
    };

    private static final Color PANEL = new Color(0, 0, 0);
    private static final Composite HALF = AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f);

    private static final char[] NO_TOOL = "NO TOOL".toCharArray();
    /** Longest first line the big font fits into the panel; longer tool lists get the small font. */
    private static final int BIG_LINE_CHARS = 17;

    private final char[][] classNames;
    private final boolean multiLabel;
    static final String UNCERTAIN = "UNCERTAIN";
    private static final Color UNCERTAIN_COLOUR = new Color(0xffb020);
    private final StringBuilder text = new StringBuilder(256); // room for a long tool list, so it never grows per frame
    private char[] chars = new char[256];
    private Font big, small;
    private int fontFor = -1;

    public OverlayRenderer(List<String> classes) {
        this(classes, TaskType.SINGLE_LABEL);
    }

    public OverlayRenderer(List<String> classes, TaskType task) {
        multiLabel = task.multiLabel();
        classNames = new char[classes.size()][];
        for (int i = 0; i < classes.size(); i++)
            classNames[i] = classes.get(i)
                    .toUpperCase(java.util.Locale.ROOT)
                    .replace('_', ' ')
                    .toCharArray();
    }

    /**
     * The web page shows a frame at a card's width (420 px at the least), so sizes follow the frame's width: at 420 px
     * the small text is about 10 px high, the first line 15 px.
     */
    static final int UNITS_PER_WIDTH = 56;

    /** Top-left panel geometry for a frame of this size: x, y, width, height. Tests look for the drawing here. */
    public static int[] panel(int frameWidth, int frameHeight) {
        int u = unit(frameWidth);
        return new int[] {u, u, Math.min(frameWidth - 2 * u, 27 * u), Math.min(frameHeight - 2 * u, 8 * u)};
    }

    static int unit(int frameWidth) {
        return Math.max(4, frameWidth / UNITS_PER_WIDTH);
    }

    /** Pixel size of the small (monospaced) text on a frame of this width. */
    static int smallFontSize(int frameWidth) {
        return (int) Math.round(1.35 * unit(frameWidth));
    }

    /**
     * @param fps      the stream's recent frames per second
     * @param accuracy live accuracy in [0, 1], NaN when unknown
     */
    public void draw(FrameBuffer f, double fps, double accuracy) {
        Graphics2D g = f.graphics();
        int u = unit(f.width);
        if (fontFor != u) {
            big = new Font(Font.SANS_SERIF, Font.BOLD, 2 * u);
            small = new Font(Font.MONOSPACED, Font.PLAIN, smallFontSize(f.width));
            fontFor = u;
        }
        int[] p = panel(f.width, f.height);
        int x = p[0], y = p[1], w = p[2], h = p[3];
        Composite old = g.getComposite();
        g.setComposite(HALF);
        g.setColor(PANEL);
        g.fillRect(x, y, w, h);
        g.setComposite(old);
        Color exitColour = EXIT_COLOURS[Math.max(1, Math.min(ModelSpec.STAGES, f.exit))];
        g.setColor(exitColour);
        g.fillRect(x, y, u / 2 + 1, h);

        // line 1: class and confidence, or every tool present
        text.setLength(0);
        if (f.uncertain) {
            // an answer the model cannot vouch for is not shown as one
            text.append(UNCERTAIN);
        } else if (multiLabel) {
            toolLine(f);
        } else {
            char[] name = f.label >= 0 && f.label < classNames.length ? classNames[f.label] : null;
            if (name != null) text.append(name);
            else text.append('?');
            text.append("  ");
            fixed(text, 100.0 * f.confidence, 0).append('%');
        }
        g.setFont(multiLabel && text.length() > BIG_LINE_CHARS ? small : big);
        g.setColor(f.uncertain ? UNCERTAIN_COLOUR : Color.WHITE);
        drawText(g, x + u, y + 2 * u + u / 3);

        // line 2: exit gauge and cost (lines 2-4 are short, so the panel stays narrow at a readable size)
        int gx = x + u, gy = y + 3 * u;
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            g.setColor(e <= f.exit ? exitColour : Color.DARK_GRAY);
            g.fillRect(gx + (e - 1) * (u + u / 3), gy, u, u);
        }
        text.setLength(0);
        text.append("exit ").append(f.exit).append(f.reused ? " held  cost " : "  cost ");
        fixed(text, f.cost, 2);
        g.setFont(small);
        g.setColor(Color.WHITE);
        drawText(g, gx + 4 * (u + u / 3) + u / 2, gy + u);

        // line 3: latency, fps, accuracy
        text.setLength(0);
        fixed(text, (System.nanoTime() - f.decodedNanos) / 1e6, 1).append(" ms  ");
        fixed(text, fps, 1).append(" fps");
        if (!Double.isNaN(accuracy)) {
            text.append("  acc ");
            fixed(text, 100 * accuracy, 1).append('%');
        }
        drawText(g, x + u, y + 5 * u + u / 2);

        // line 4: lambda (auto when the controller sets it) and the stride when frames carry a result
        text.setLength(0);
        text.append("lambda ");
        fixed(text, f.lambda, 2).append(f.adaptive ? " auto" : "");
        if (f.stride > 1) text.append("  1 in ").append(f.stride);
        drawText(g, x + u, y + 7 * u + u / 4);
    }

    /** Present tools in class order (so a tool keeps its place from frame to frame), each with its probability. */
    private void toolLine(FrameBuffer f) {
        long m = f.present;
        if (m == 0) {
            text.append(NO_TOOL);
            return;
        }
        while (m != 0) {
            int c = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            if (c >= classNames.length) continue;
            if (text.length() > 0) text.append("  ");
            text.append(classNames[c]).append(' ');
            fixed(text, c < f.probabilities.length ? 100.0 * f.probabilities[c] : Double.NaN, 0)
                    .append('%');
        }
    }

    private void drawText(Graphics2D g, int x, int y) {
        int n = text.length();
        if (chars.length < n) chars = new char[n * 2];
        text.getChars(0, n, chars, 0);
        g.drawChars(chars, 0, n, x, y);
    }

    /** Appends {@code v} with {@code decimals} digits after the point, without allocating. */
    static StringBuilder fixed(StringBuilder sb, double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return sb.append('-');
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        long scale = 1;
        for (int i = 0; i < decimals; i++) scale *= 10;
        long r = Math.round(v * scale);
        sb.append(r / scale);
        if (decimals > 0) {
            sb.append('.');
            long frac = r % scale;
            for (long d = scale / 10; d > 0; d /= 10) {
                sb.append((char) ('0' + frac / d));
                frac %= d;
            }
        }
        return sb;
    }
}
