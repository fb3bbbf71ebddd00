package ai.emadaptive.generate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws a laparoscopic frame: tissue (mucosa texture, vessels, folds, wet highlights) seen through a circular
 * scope field with light fall-off, an instrument whose shaft enters from outside the field and whose tip shows its
 * type, then the difficulty effects (blood, motion blur, fog, smoke, exposure). Same scene, same pixels.
 * Not thread-safe (it caches tissue textures); use one renderer per thread.
 */
public final class SceneRenderer {
    private static final int MAX_CACHED = 8;
    /** Seeds the assistant's instrument apart from the frame's other effects (same effect seed). */
    private static final long ASSISTANT_SALT = 0xA5515L;
    /** Where the assistant's tip lies, as a share of the field's radius, by level (plus up to 0.08 at random). */
    private static final double[] ASSISTANT_DISTANCE = {0, 0.86, 0.72, 0.6};

    private final Map<String, int[]> tissue = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> e) {
            return size() > MAX_CACHED;
        }
    };

    /** The field of view: a circle centred in the frame (clipped top and bottom on wide frames). */
    public static double fovRadius(int w, int h) {
        return 0.55 * Math.min(w, h) * (w > h * 1.2 ? 1.12 : 1.0);
    }

    public BufferedImage render(Scene s, int w, int h) {
        return render(s, s.instrument() == Instrument.NONE ? List.of() : List.of(s), w, h);
    }

    /** A frame with every tool of {@code s} (none to all), in the field and with the effects a single scene gets. */
    public BufferedImage render(ToolScene s, int w, int h) {
        return render(s.field(), s.scenes(), w, h);
    }

    /**
     * {@code s} gives the field (tissue, camera, difficulty, effects, the tip blood may lie on); {@code instruments}
     * are drawn in order over it, under the blood and the optical effects.
     */
    private BufferedImage render(Scene s, List<Scene> instruments, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int tw = (int) (w * 1.5), th = (int) (h * 1.5);
        int[] tex =
                tissue.computeIfAbsent(s.tissueSeed() + "/" + w + "x" + h, k -> tissueTexture(s.tissueSeed(), tw, th));
        int ox = clamp((int) Math.round((tw - w) / 2.0 + s.camX() * w), 0, tw - w);
        int oy = clamp((int) Math.round((th - h) / 2.0 + s.camY() * h), 0, th - h);
        for (int y = 0; y < h; y++) System.arraycopy(tex, (y + oy) * tw + ox, px, y * w, w);

        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Difficulty d = s.difficulty();
        if (d.clutter() > 0) drawClutter(g, s, w, h);
        if (d.assistant() > 0) drawAssistant(g, s, w, h);
        for (Scene i : instruments) drawInstrument(g, i, w, h);
        Random fx = new Random(s.effectSeed());
        if (d.blood() > 0) drawBlood(g, s, w, h, fx);
        g.dispose();
        if (d.motionBlur() > 0)
            motionBlur(px, w, h, Difficulty.severity(d.motionBlur()) * 0.022 * w, fx.nextDouble() * Math.PI);
        if (d.fog() > 0) fog(px, w, h, Difficulty.severity(d.fog()));
        if (d.smoke() > 0) smoke(px, w, h, Difficulty.severity(d.smoke()), s.effectSeed(), s.smokePhase());
        finish(px, w, h, Difficulty.severity(d.exposure()));
        return img;
    }

    /**
     * The pixels the instrument of {@code s} covers at least a quarter of (so thin blades and wires count), within the
     * scope's field (outside it the frame is black): where the instrument can be seen, before blood, blur and smoke,
     * which leave it where it is.
     */
    static boolean[] coverage(Scene s, int w, int h) {
        boolean[] mask = new boolean[w * h];
        if (s.instrument() == Instrument.NONE) return mask;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        drawInstrument(g, s, w, h);
        g.dispose();
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        double cx = w / 2.0, cy = h / 2.0, r = fovRadius(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                mask[i] = (px[i] >>> 24) >= 64 && Math.hypot(x + 0.5 - cx, y + 0.5 - cy) / r < 1; // as finish()
            }
        }
        return mask;
    }

    // ---- tissue ----

    private static int[] tissueTexture(long seed, int w, int h) {
        Noise n = new Noise(seed);
        Noise n2 = new Noise(seed * 31 + 7);
        Random rnd = new Random(seed);
        double scale = 6.0 / Math.min(w, h);
        // hue of this patient's mucosa: from pale pink to deep red
        double redness = 0.3 + 0.5 * rnd.nextDouble();
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = n.fbm(x * scale, y * scale, 5);
                double fold = Math.abs(n2.fbm(x * scale * 0.7, y * scale * 0.7, 3) - 0.5) * 2; // ridges: 0 at a fold
                double shade = 0.55 + 0.45 * t - 0.25 * Math.exp(-fold * fold * 40);
                double r = 255 * (0.78 + 0.18 * t) * shade;
                double gg = 255 * (0.50 - 0.25 * redness + 0.12 * t) * shade;
                double b = 255 * (0.48 - 0.22 * redness + 0.10 * t) * shade;
                px[y * w + x] = rgb(r, gg, b);
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, px, 0, w);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        // vessels: branching random walks, darker and thinner at their ends
        int vessels = 6 + rnd.nextInt(6);
        for (int v = 0; v < vessels; v++) {
            double x = rnd.nextDouble() * w, y = rnd.nextDouble() * h, a = rnd.nextDouble() * 2 * Math.PI;
            double width = Math.min(w, h) * (0.004 + 0.01 * rnd.nextDouble());
            int steps = 40 + rnd.nextInt(60);
            Path2D.Double path = new Path2D.Double();
            path.moveTo(x, y);
            for (int i = 0; i < steps; i++) {
                a += rnd.nextGaussian() * 0.25;
                x += Math.cos(a) * Math.min(w, h) * 0.012;
                y += Math.sin(a) * Math.min(w, h) * 0.012;
                path.lineTo(x, y);
            }
            g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(120 + rnd.nextInt(30), 20 + rnd.nextInt(20), 40 + rnd.nextInt(30), 150));
            g.draw(path);
        }
        // wet specular highlights
        int highlights = 10 + rnd.nextInt(15);
        for (int i = 0; i < highlights; i++) {
            double r = Math.min(w, h) * (0.004 + 0.012 * rnd.nextDouble());
            double cx = rnd.nextDouble() * w, cy = rnd.nextDouble() * h;
            for (int k = 3; k >= 1; k--) {
                g.setColor(new Color(255, 250, 245, 60 + 60 * (3 - k)));
                g.fill(new Ellipse2D.Double(cx - r * k / 2, cy - r * k / 3, r * k, r * k * 0.66));
            }
        }
        g.dispose();
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    // ---- instruments ----

    private static void drawInstrument(Graphics2D g, Scene s, int w, int h) {
        double unit = 0.085 * Math.min(w, h); // shaft width
        AffineTransform saved = g.getTransform();
        g.translate(s.tipX() * w, s.tipY() * h);
        g.rotate(s.angle() + Math.PI); // local +x points forward, out of the shaft
        double tipLen = 1.8 * unit;
        // shaft: from behind the tip to far outside the frame
        double len = 3.0 * Math.max(w, h);
        g.setPaint(new GradientPaint(
                0, (float) (-unit / 2), new Color(40, 42, 48), 0, (float) (unit / 2), new Color(95, 98, 106), true));
        g.fill(new RoundRectangle2D.Double(-tipLen - len, -unit / 2, len, unit, unit / 3, unit / 3));
        g.setColor(new Color(150, 155, 165, 120));
        g.fill(new RoundRectangle2D.Double(-tipLen - len, -unit * 0.28, len, unit * 0.1, unit / 10, unit / 10));
        double jaw = Math.toRadians(5 + 30 * s.jaw());
        switch (s.instrument()) {
            case GRASPER -> {
                for (int side : new int[] {-1, 1}) {
                    AffineTransform t = g.getTransform();
                    g.translate(-tipLen, 0);
                    g.rotate(side * jaw);
                    Path2D.Double j = new Path2D.Double();
                    j.moveTo(0, -unit * 0.22);
                    j.lineTo(tipLen * 0.95, -unit * 0.12);
                    j.quadTo(tipLen * 1.05, 0, tipLen * 0.95, unit * 0.12);
                    j.lineTo(0, unit * 0.22);
                    j.closePath();
                    g.setColor(new Color(70, 72, 78));
                    g.fill(j);
                    g.setColor(new Color(30, 30, 34));
                    g.setStroke(new BasicStroke((float) (unit * 0.04)));
                    for (int k = 1; k < 6; k++) {
                        double x = tipLen * k / 6;
                        g.draw(new java.awt.geom.Line2D.Double(x, -unit * 0.12, x + unit * 0.05, unit * 0.12));
                    }
                    g.setTransform(t);
                }
            }
            case SCISSORS -> {
                for (int side : new int[] {-1, 1}) {
                    AffineTransform t = g.getTransform();
                    g.translate(-tipLen, 0);
                    g.rotate(side * jaw * 0.7);
                    Path2D.Double b = new Path2D.Double();
                    b.moveTo(0, -unit * 0.12 * side);
                    b.quadTo(tipLen * 0.6, unit * 0.18 * side, tipLen * 1.15, unit * 0.02 * side);
                    b.lineTo(tipLen * 1.1, -unit * 0.04 * side);
                    b.quadTo(tipLen * 0.5, unit * 0.02 * side, 0, unit * 0.1 * side);
                    b.closePath();
                    g.setColor(new Color(200, 202, 210));
                    g.fill(b);
                    g.setColor(new Color(90, 90, 96));
                    g.setStroke(new BasicStroke((float) (unit * 0.03)));
                    g.draw(b);
                    g.setTransform(t);
                }
                g.setColor(new Color(40, 40, 44));
                g.fill(new Ellipse2D.Double(-tipLen - unit * 0.12, -unit * 0.12, unit * 0.24, unit * 0.24));
            }
            case HOOK -> {
                g.setColor(new Color(25, 25, 28)); // insulating sheath
                g.fill(new RoundRectangle2D.Double(
                        -tipLen, -unit * 0.3, tipLen * 0.45, unit * 0.6, unit * 0.2, unit * 0.2));
                g.setColor(new Color(215, 215, 222));
                g.setStroke(new BasicStroke((float) (unit * 0.16), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                Path2D.Double hook = new Path2D.Double();
                hook.moveTo(-tipLen * 0.55, 0);
                hook.lineTo(-unit * 0.1, 0);
                hook.quadTo(unit * 0.15, 0, unit * 0.15, -unit * 0.3);
                hook.lineTo(unit * 0.05, -unit * 0.55);
                g.draw(hook);
            }
            case CLIP_APPLIER -> {
                for (int side : new int[] {-1, 1}) {
                    AffineTransform t = g.getTransform();
                    g.translate(-tipLen, 0);
                    g.rotate(side * jaw * 0.5);
                    g.setColor(new Color(120, 124, 132));
                    g.fill(new RoundRectangle2D.Double(
                            0,
                            side > 0 ? unit * 0.05 : -unit * 0.45,
                            tipLen * 0.9,
                            unit * 0.4,
                            unit * 0.15,
                            unit * 0.15));
                    g.setTransform(t);
                }
                g.setColor(new Color(215, 180, 70)); // the titanium-gold clip held between the jaws
                g.setStroke(new BasicStroke((float) (unit * 0.09)));
                Path2D.Double clip = new Path2D.Double();
                clip.moveTo(-tipLen * 0.45, -unit * 0.25);
                clip.lineTo(-unit * 0.05, -unit * 0.25);
                clip.quadTo(unit * 0.1, 0, -unit * 0.05, unit * 0.25);
                clip.lineTo(-tipLen * 0.45, unit * 0.25);
                g.draw(clip);
            }
            case SUCTION_IRRIGATOR -> {
                g.setPaint(new GradientPaint(
                        0,
                        (float) (-unit * 0.4),
                        new Color(120, 125, 132),
                        0,
                        (float) (unit * 0.4),
                        new Color(185, 190, 198),
                        true));
                g.fill(new RoundRectangle2D.Double(
                        -tipLen, -unit * 0.4, tipLen + unit * 0.2, unit * 0.8, unit * 0.5, unit * 0.5));
                g.setColor(new Color(20, 18, 18));
                g.fill(new Ellipse2D.Double(unit * 0.02, -unit * 0.22, unit * 0.16, unit * 0.44));
                for (int k = 1; k <= 3; k++)
                    g.fill(new Ellipse2D.Double(-tipLen * k / 4.0, -unit * 0.08, unit * 0.16, unit * 0.16));
            }
            case NONE -> {}
        }
        g.setTransform(saved);
    }

    /**
     * An assistant's instrument of another class, its tip off-centre (nearer the centre at higher levels, never as
     * near as the labelled tip): telling the two apart takes the whole field, which only deep stages see.
     */
    private static void drawAssistant(Graphics2D g, Scene s, int w, int h) {
        Random rnd = new Random(s.effectSeed() ^ ASSISTANT_SALT);
        Instrument[] all = Instrument.values();
        Instrument other;
        do {
            other = all[1 + rnd.nextInt(all.length - 1)]; // any instrument but NONE and the labelled one
        } while (other == s.instrument());
        double r = fovRadius(w, h);
        double dist = r * (ASSISTANT_DISTANCE[s.difficulty().assistant()] + 0.08 * rnd.nextDouble());
        double a = rnd.nextDouble() * 2 * Math.PI;
        double tx = w / 2.0 + Math.cos(a) * dist, ty = h / 2.0 + Math.sin(a) * dist;
        double outward = Math.atan2(ty - h / 2.0, tx - w / 2.0);
        Scene o = new Scene(
                s.tissueSeed(),
                other,
                tx / w,
                ty / h,
                outward + rnd.nextGaussian() * 0.5,
                rnd.nextDouble(),
                s.camX(),
                s.camY(),
                s.difficulty(),
                s.effectSeed(),
                s.smokePhase());
        drawInstrument(g, o, w, h);
    }

    // ---- difficulty effects ----

    /**
     * Objects lying on the tissue, under the instrument, each made of the same materials as one of the tips: applied
     * clips (the clip applier's gold), a suture needle (the hook's wire), char marks (the hook's black sheath), a
     * retractor's edge (the scissors' bright blades), a staple line (the grasper's ridged grey). Three per level. They
     * stay put on the tissue when the camera pans (seeded by the effect seed, shifted with the camera).
     */
    private static void drawClutter(Graphics2D g, Scene s, int w, int h) {
        Random rnd = new Random(s.effectSeed() ^ 0x5EEDC1A77E4L);
        double unit = 0.085 * Math.min(w, h), r = fovRadius(w, h);
        AffineTransform saved = g.getTransform();
        for (int i = 0; i < 3 * s.difficulty().clutter(); i++) {
            double a = rnd.nextDouble() * 2 * Math.PI, dist = r * 0.85 * Math.sqrt(rnd.nextDouble());
            g.translate(w / 2.0 + Math.cos(a) * dist - s.camX() * w, h / 2.0 + Math.sin(a) * dist - s.camY() * h);
            g.rotate(rnd.nextDouble() * 2 * Math.PI);
            double k = unit * (1.1 + 0.5 * rnd.nextDouble());
            switch (rnd.nextInt(5)) {
                case 0 -> { // applied clip: a closed gold V across a vessel
                    g.setColor(new Color(215, 180, 70));
                    g.setStroke(new BasicStroke((float) (k * 0.12), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    Path2D.Double v = new Path2D.Double();
                    v.moveTo(-k * 0.5, -k * 0.2);
                    v.lineTo(k * 0.45, -k * 0.05);
                    v.lineTo(-k * 0.5, k * 0.2);
                    g.draw(v);
                }
                case 1 -> { // suture needle and its thread
                    g.setColor(new Color(215, 215, 222));
                    g.setStroke(new BasicStroke((float) (k * 0.16), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(new java.awt.geom.Arc2D.Double(-k * 0.5, -k * 0.5, k, k, 20, 200, java.awt.geom.Arc2D.OPEN));
                    g.setColor(new Color(70, 40, 110));
                    g.setStroke(new BasicStroke((float) (k * 0.05)));
                    g.draw(new java.awt.geom.QuadCurve2D.Double(
                            k * 0.47, -k * 0.17, k * 1.2, k * 0.4, k * 1.9, -k * 0.1));
                }
                case 2 -> { // char mark from earlier cautery
                    g.setColor(new Color(90, 45, 30, 200));
                    g.fill(new Ellipse2D.Double(-k * 0.45, -k * 0.32, k * 0.9, k * 0.64));
                    g.setColor(new Color(25, 25, 28));
                    g.fill(new Ellipse2D.Double(-k * 0.3, -k * 0.2, k * 0.6, k * 0.4));
                }
                case 3 -> { // retractor edge: a bright steel band
                    g.setColor(new Color(200, 202, 210));
                    Path2D.Double b = new Path2D.Double();
                    b.moveTo(-k, 0);
                    b.quadTo(0, k * 0.25, k, 0);
                    b.lineTo(k, k * 0.12);
                    b.quadTo(0, k * 0.37, -k, k * 0.12);
                    b.closePath();
                    g.fill(b);
                }
                default -> { // staple line: two rows of small grey staples
                    g.setColor(new Color(110, 112, 120));
                    g.setStroke(new BasicStroke((float) (k * 0.08)));
                    for (int row = -1; row <= 1; row += 2) {
                        for (int j = -3; j <= 3; j++) {
                            double x = j * k * 0.22 + (row > 0 ? k * 0.11 : 0);
                            g.draw(new java.awt.geom.Line2D.Double(
                                    x - k * 0.07, row * k * 0.12, x + k * 0.07, row * k * 0.12));
                        }
                    }
                }
            }
            g.setTransform(saved);
        }
    }

    private static void drawBlood(Graphics2D g, Scene s, int w, int h, Random rnd) {
        double base = 0.06 * Math.min(w, h);
        for (int i = 0; i < s.difficulty().blood(); i++) {
            boolean onTip = s.instrument() != Instrument.NONE && rnd.nextDouble() < 0.3;
            double cx = onTip ? s.tipX() * w + rnd.nextGaussian() * base : w * (0.25 + 0.5 * rnd.nextDouble());
            double cy = onTip ? s.tipY() * h + rnd.nextGaussian() * base : h * (0.25 + 0.5 * rnd.nextDouble());
            double r = base * (0.8 + 0.8 * rnd.nextDouble());
            for (int k = 0; k < 6; k++) {
                double rr = r * (0.5 + 0.5 * rnd.nextDouble());
                double x = cx + rnd.nextGaussian() * r * 0.5, y = cy + rnd.nextGaussian() * r * 0.5;
                g.setColor(new Color(95 + rnd.nextInt(30), 5, 12, 235));
                g.fill(new Ellipse2D.Double(x - rr, y - rr, 2 * rr, 2 * rr));
            }
            g.setColor(new Color(255, 200, 200, 90)); // wet sheen
            g.fill(new Ellipse2D.Double(cx - r * 0.3, cy - r * 0.5, r * 0.35, r * 0.2));
        }
    }

    private static void motionBlur(int[] px, int w, int h, double length, double angle) {
        int taps = Math.max(2, (int) length);
        double dx = Math.cos(angle), dy = Math.sin(angle);
        int[] src = px.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 0, g = 0, b = 0;
                for (int t = 0; t < taps; t++) {
                    double o = t - taps / 2.0;
                    int sx = clamp((int) Math.round(x + dx * o), 0, w - 1),
                            sy = clamp((int) Math.round(y + dy * o), 0, h - 1);
                    int p = src[sy * w + sx];
                    r += p >> 16 & 0xff;
                    g += p >> 8 & 0xff;
                    b += p & 0xff;
                }
                px[y * w + x] = (r / taps) << 16 | (g / taps) << 8 | b / taps;
            }
        }
    }

    private static void fog(int[] px, int w, int h, double level) {
        int radius = Math.max(1, (int) Math.round(level * 0.008 * Math.min(w, h)));
        boxBlur(px, w, h, radius);
        double a = 0.14 * level;
        for (int i = 0; i < px.length; i++) px[i] = blend(px[i], 0xEBE4E2, a);
    }

    private static void smoke(int[] px, int w, int h, double level, long seed, double phase) {
        Noise n = new Noise(seed ^ 0xC0FFEEL);
        double scale = 3.0 / Math.min(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = n.fbm(x * scale + phase, y * scale - phase * 0.3, 4);
                double a = Math.min(1, Math.max(0, (v - 0.3) * 2.2)) * 0.22 * level;
                px[y * w + x] = blend(px[y * w + x], 0xE2DEDC, a);
            }
        }
    }

    /** Exposure gain, light fall-off towards the rim, and the black outside the scope's field. */
    private static void finish(int[] px, int w, int h, double exposure) {
        double gain = exposure >= 0 ? 1 + 0.45 * exposure : 1 - 0.22 * -exposure;
        double cx = w / 2.0, cy = h / 2.0, r = fovRadius(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) / r;
                int i = y * w + x;
                if (d >= 1) {
                    px[i] = 0;
                    continue;
                }
                double k = gain * (1 - 0.55 * d * d) * Math.min(1, (1 - d) * 40); // soft rim
                int p = px[i];
                px[i] = rgb((p >> 16 & 0xff) * k, (p >> 8 & 0xff) * k, (p & 0xff) * k);
            }
        }
    }

    private static void boxBlur(int[] px, int w, int h, int r) {
        int[] tmp = new int[px.length];
        for (int pass = 0; pass < 2; pass++) {
            boolean horizontal = pass == 0;
            int[] src = horizontal ? px : tmp, dst = horizontal ? tmp : px;
            int lines = horizontal ? h : w, len = horizontal ? w : h;
            for (int l = 0; l < lines; l++) {
                for (int i = 0; i < len; i++) {
                    int rs = 0, gs = 0, bs = 0, c = 0;
                    for (int k = Math.max(0, i - r); k <= Math.min(len - 1, i + r); k++) {
                        int p = src[horizontal ? l * w + k : k * w + l];
                        rs += p >> 16 & 0xff;
                        gs += p >> 8 & 0xff;
                        bs += p & 0xff;
                        c++;
                    }
                    dst[horizontal ? l * w + i : i * w + l] = (rs / c) << 16 | (gs / c) << 8 | bs / c;
                }
            }
        }
    }

    private static int blend(int p, int q, double a) {
        return rgb(
                (p >> 16 & 0xff) * (1 - a) + (q >> 16 & 0xff) * a,
                (p >> 8 & 0xff) * (1 - a) + (q >> 8 & 0xff) * a,
                (p & 0xff) * (1 - a) + (q & 0xff) * a);
    }

    private static int rgb(double r, double g, double b) {
        return clamp((int) r, 0, 255) << 16 | clamp((int) g, 0, 255) << 8 | clamp((int) b, 0, 255);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
