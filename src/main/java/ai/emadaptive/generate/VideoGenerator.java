package ai.emadaptive.generate;

import ai.emadaptive.ingest.GroundTruth;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * A temporally coherent procedure clip: instruments enter, work and leave; the hook's cautery raises smoke that
 * lingers; the camera drifts and sometimes pans fast (motion blur); in the mixed scenario blood, exposure changes
 * and lens fog come and go. H.264 MP4 plus a per-frame ground-truth CSV beside it ({@code <name>.csv}).
 * With the assistant's instrument (opt-in, as for image sets) some smoky and mixed segments get a second instrument
 * that an assistant pushes in from the rim once the main one works, stepping nearer the centre level by level, and
 * draws back before the main one leaves; the main tip then stays within 0.45 of the field's radius, so the label is
 * always the more central tip, as in the image sets.
 */
public final class VideoGenerator {

    public enum Scenario {
        CLEAR,
        SMOKY,
        MIXED
    }

    public static final String CSV_HEADER = "frame,pts_ms,class," + Difficulty.CSV_HEADER;

    /**
     * One instrument's visit: it slides in along its shaft, works for a while, slides out; {@code assistant} is the
     * deepest level its assistant's instrument reaches (0: none).
     */
    private record Segment(
            Instrument instrument,
            int start,
            int end,
            double angle,
            double cx,
            double cy,
            long effects,
            int blood,
            int exposure,
            int fog,
            int clutter,
            boolean fastPan,
            int assistant) {}

    /** Seeds a segment's assistant apart from its other draws, so the plan of a seed does not change with the option. */
    private static final long ASSISTANT_SALT = 0xA5515_7A9EL;
    /** The main tip's farthest distance from the centre, as a share of the field's radius, while an assistant is in. */
    private static final double CENTRAL = 0.45;

    private VideoGenerator() {}

    /** Where the clip's ground truth goes: where the service's {@link GroundTruth} looks for it. */
    public static Path sidecar(Path mp4) {
        return GroundTruth.sidecar(mp4);
    }

    public static void generate(
            Path mp4, Scenario scenario, double seconds, int fps, int w, int h, long seed, int bitrate)
            throws IOException {
        generate(mp4, scenario, seconds, fps, w, h, seed, bitrate, false);
    }

    /** As above; {@code withAssistant} adds the assistant's instrument (never in the CLEAR scenario). */
    public static void generate(
            Path mp4,
            Scenario scenario,
            double seconds,
            int fps,
            int w,
            int h,
            long seed,
            int bitrate,
            boolean withAssistant)
            throws IOException {
        int frames = (int) Math.round(seconds * fps);
        if (fps < 1 || frames < 1)
            throw new IllegalArgumentException(
                    "a clip needs fps >= 1 and at least one frame, not " + fps + " fps for " + seconds + " s");
        // H.264 in 4:2:0 needs even sides
        if (w < 16 || h < 16 || w % 2 != 0 || h % 2 != 0) {
            throw new IllegalArgumentException("frame size must be even and >= 16 on each side, not " + w + "x" + h);
        }
        if (bitrate < 1) throw new IllegalArgumentException("bitrate must be >= 1 bit/s, not " + bitrate);
        Random rnd = new Random(seed);
        List<Segment> segments = plan(scenario, frames, fps, rnd, withAssistant);
        long patient = rnd.nextInt(SceneSampler.PATIENTS);
        SceneRenderer renderer = new SceneRenderer();
        double r = SceneRenderer.fovRadius(w, h);
        if (mp4.toAbsolutePath().getParent() != null)
            Files.createDirectories(mp4.toAbsolutePath().getParent());
        BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        double smoke = scenario == Scenario.SMOKY ? 1.2 : 0;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(mp4.toFile(), w, h, 0);
                Java2DFrameConverter conv = new Java2DFrameConverter();
                PrintWriter csv = new PrintWriter(Files.newBufferedWriter(sidecar(mp4)))) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setVideoBitrate(bitrate);
            rec.setGopSize(fps);
            rec.start();
            csv.println(CSV_HEADER);
            Segment seg = null;
            for (int f = 0; f < frames; f++) {
                double t = (double) f / fps;
                for (Segment s : segments) if (f >= s.start() && f < s.end()) seg = s;
                Segment s = seg;
                // camera: slow drift, plus a fast pan in some segments
                double panSpeed = 0;
                double camX = 0.06 * Math.sin(t * 0.35) + 0.03 * Math.sin(t * 1.1);
                double camY = 0.05 * Math.cos(t * 0.27);
                if (s.fastPan()) {
                    double u = (double) (f - s.start()) / (s.end() - s.start());
                    // a smooth swing over the first third of the segment: still at both ends, fastest midway
                    double v = Math.min(1, u * 3);
                    camX += 0.15 * (1 - Math.cos(2 * Math.PI * v)) / 2;
                    panSpeed = Math.abs(Math.sin(2 * Math.PI * v));
                }
                // instrument: enter over 0.7 s, work (wander), leave over 0.7 s
                int ramp = (int) (0.7 * fps);
                double in = Math.min(1, Math.min((double) (f - s.start()) / ramp, (double) (s.end() - 1 - f) / ramp));
                double wander = 0.08 * Math.sin(t * 1.3 + s.effects() % 7) + 0.05 * Math.sin(t * 2.9);
                double px = s.cx() + wander, py = s.cy() + 0.06 * Math.cos(t * 1.7);
                if (s.assistant() > 0) {
                    // keep the working tip central for the whole segment (a projection: no jump when the assistant
                    // comes)
                    double dx = (px - 0.5) * w, dy = (py - 0.5) * h, len = Math.hypot(dx, dy), max = CENTRAL * r;
                    if (len > max) {
                        px = 0.5 + dx * max / len / w;
                        py = 0.5 + dy * max / len / h;
                    }
                }
                double outX = Math.cos(s.angle()), outY = Math.sin(s.angle());
                double slide = (1 - Math.max(0, in)) * 1.4 * r; // pushed back along the shaft while entering or leaving
                double tx = w / 2.0 + (px - 0.5) * w + outX * slide, ty = h / 2.0 + (py - 0.5) * h + outY * slide;
                double rim = Math.hypot(tx - w / 2.0, ty - h / 2.0) / r;
                boolean visible = s.instrument() != Instrument.NONE && rim < 1.0;
                int outOfView = !visible || rim < 0.82 ? 0 : Math.min(3, 1 + (int) ((rim - 0.82) / 0.06));
                // cautery smoke: builds while the hook works, then clears over ~2 s
                if (s.instrument() == Instrument.HOOK && in >= 1 && scenario != Scenario.CLEAR)
                    smoke = Math.min(3.4, smoke + 2.5 / fps);
                else smoke = Math.max(scenario == Scenario.SMOKY ? 1.0 : 0, smoke - 1.4 / fps);
                int assistant = s.assistant() == 0
                        ? 0
                        : assistantNow(s.assistant(), f, s.start() + ramp, s.end() - 1 - ramp, fps);
                Difficulty d = new Difficulty(
                        (int) Math.floor(smoke),
                        (int) Math.round(3 * panSpeed),
                        visible ? s.blood() : 0,
                        outOfView,
                        s.exposure(),
                        s.fog(),
                        s.clutter(),
                        assistant);
                Instrument label = visible ? s.instrument() : Instrument.NONE;
                Scene scene = new Scene(
                        patient,
                        s.instrument(),
                        tx / w,
                        ty / h,
                        s.angle(),
                        0.5 + 0.5 * Math.sin(t * 3),
                        camX,
                        camY,
                        d,
                        s.effects(),
                        t * 0.25);
                BufferedImage img = renderer.render(scene, w, h);
                bgr.getGraphics().drawImage(img, 0, 0, null);
                rec.setTimestamp(Math.round(f * 1_000_000.0 / fps));
                rec.record(conv.convert(bgr));
                csv.println(f + "," + Math.round(f * 1000.0 / fps) + "," + label.label() + "," + d.csv());
            }
            rec.stop();
        }
    }

    /** The deepest level (0: none) a segment's assistant reaches: a fixed draw per segment, none in CLEAR clips. */
    private static int assistantLevel(Scenario scenario, long effects) {
        if (scenario == Scenario.CLEAR) return 0;
        Random rnd = new Random(effects ^ ASSISTANT_SALT);
        double share = scenario == Scenario.MIXED ? 0.4 : 0.3;
        return rnd.nextDouble() < share ? 1 + rnd.nextInt(3) : 0;
    }

    /**
     * The assistant's level at frame {@code f}: from {@code first} (the main instrument fully in) it steps up one level
     * every 0.15 s to {@code max}, and steps down again to be gone after {@code last} (before the main one leaves).
     */
    static int assistantNow(int max, int f, int first, int last, int fps) {
        if (f < first || f > last) return 0;
        int step = Math.max(1, (int) Math.round(0.15 * fps));
        return Math.min(max, Math.min((f - first) / step + 1, (last - f) / step + 1));
    }

    private static List<Segment> plan(Scenario scenario, int frames, int fps, Random rnd, boolean withAssistant) {
        List<Segment> s = new ArrayList<>();
        Instrument[] tools = Instrument.values();
        int f = 0;
        while (f < frames) {
            int len = (int) ((2.5 + 3 * rnd.nextDouble()) * fps);
            Instrument ins = scenario == Scenario.SMOKY && rnd.nextDouble() < 0.5
                    ? Instrument.HOOK
                    : rnd.nextDouble() < 0.12 ? Instrument.NONE : tools[1 + rnd.nextInt(tools.length - 1)];
            boolean mixed = scenario == Scenario.MIXED;
            int blood = mixed && rnd.nextDouble() < 0.25 ? 1 + rnd.nextInt(2) : 0;
            int exposure = mixed && rnd.nextDouble() < 0.2 ? (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(3)) : 0;
            int fog = mixed && rnd.nextDouble() < 0.15 ? 1 + rnd.nextInt(3) : 0;
            int clutter = scenario != Scenario.CLEAR && rnd.nextDouble() < 0.3 ? 1 + rnd.nextInt(3) : 0;
            boolean pan = scenario != Scenario.CLEAR && rnd.nextDouble() < 0.3;
            // drawn in this order, as always, so a seed keeps its clip
            double angle = rnd.nextDouble() * 2 * Math.PI, cx = 0.5 + (rnd.nextDouble() - 0.5) * 0.25;
            double cy = 0.5 + (rnd.nextDouble() - 0.5) * 0.25;
            long effects = rnd.nextLong() & Long.MAX_VALUE;
            int assistant = withAssistant ? assistantLevel(scenario, effects) : 0;
            s.add(new Segment(
                    ins,
                    f,
                    Math.min(frames, f + len),
                    angle,
                    cx,
                    cy,
                    effects,
                    blood,
                    exposure,
                    fog,
                    clutter,
                    pan,
                    assistant));
            f += len;
        }
        return s;
    }
}
