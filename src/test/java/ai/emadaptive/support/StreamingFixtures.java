package ai.emadaptive.support;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.generate.Instrument;
import ai.emadaptive.generate.VideoGenerator;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.routing.Router;
import ai.emadaptive.routing.RouterSet;
import ai.emadaptive.routing.RouterTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Models and media the streaming tests make for themselves: a small routed model, clips, broken files. */
public final class StreamingFixtures {
    private StreamingFixtures() {}

    public static final ModelSpec SPEC = new ModelSpec(8, 32, 3, Stem.CIFAR, Instrument.values().length, HeadType.MLP);

    /**
     * A small untrained model with routers that stop where the head is confident enough: the router reads only the
     * max probability, so frames spread over exits and a larger lambda moves them earlier.
     */
    public static ModelArtifact routedModel(long seed) {
        List<Router> routers = new ArrayList<>();
        for (int e = 1; e < ModelSpec.STAGES; e++) {
            int d = SPEC.stageChannels(e) + 3;
            double[] mean = new double[d], std = new double[d], w = new double[d];
            Arrays.fill(std, 1);
            mean[d - 3] = 1.0 / SPEC.numClasses();
            std[d - 3] = 0.05;
            w[d - 3] = 1.0;
            routers.add(new Router(e, true, mean, std, w, 1.0, -1.5));
        }
        RouterSet set = new RouterSet("em", routers, new double[] {0, 1, 2, 4}, 1.0, 0.5, 25.0);
        List<String> classes =
                Arrays.stream(Instrument.values()).map(Instrument::label).toList();
        Manifest m = Manifest.of(
                SPEC,
                classes,
                new float[] {0.4f, 0.3f, 0.3f},
                new float[] {0.25f, 0.2f, 0.2f},
                set.toJson(),
                RouterTrainer.routerFlops(SPEC, true, false),
                new Manifest.Provenance("random", "test fixture", "2026-01-01T00:00:00Z", Map.of()));
        return new ModelArtifact(m, TestModels.randomisedBatchNorm(SPEC, seed));
    }

    public static Path writeRoutedModel(Path file) {
        ArtifactWriter.write(routedModel(7), file);
        return file;
    }

    /** A generated H.264 clip with its ground-truth sidecar. */
    public static Path clip(Path mp4, double seconds, int w, int h, long seed) {
        try {
            VideoGenerator.generate(mp4, VideoGenerator.Scenario.MIXED, seconds, 30, w, h, seed, 800_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mp4;
    }

    /**
     * A clip of {@code frames} flat mid-grey frames in the given size and codec (e.g. to test absurd resolutions). The
     * pixels are written: a new frame's native buffer is not zeroed and may hold another test's picture.
     */
    public static Path plainClip(Path file, String format, int codec, int pixelFormat, int w, int h, int frames)
            throws Exception {
        return flatClip(file, format, codec, pixelFormat, w, h, frames, i -> 128);
    }

    /**
     * An H.264 MP4 of {@code frames} flat grey frames at 30 frames/s whose level climbs from 16 to 240: any two moments
     * of it differ by the whole picture, so a test can tell a live view that updates from one that does not.
     */
    public static Path rampClip(Path file, int w, int h, int frames) throws Exception {
        return flatClip(
                file,
                "mp4",
                avcodec.AV_CODEC_ID_H264,
                avutil.AV_PIX_FMT_YUV420P,
                w,
                h,
                frames,
                i -> 16 + 224 * i / Math.max(1, frames - 1));
    }

    /** Frames of one grey level each, {@code level} of the frame's index, at 30 frames/s. */
    private static Path flatClip(
            Path file,
            String format,
            int codec,
            int pixelFormat,
            int w,
            int h,
            int frames,
            java.util.function.IntUnaryOperator level)
            throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
            rec.setFormat(format);
            rec.setVideoCodec(codec);
            rec.setPixelFormat(pixelFormat);
            rec.setFrameRate(30);
            rec.start();
            try (Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
                java.nio.ByteBuffer b = (java.nio.ByteBuffer) f.image[0];
                for (int i = 0; i < frames; i++) {
                    byte v = (byte) level.applyAsInt(i);
                    for (int p = 0; p < b.capacity(); p++) b.put(p, v);
                    rec.record(f, avutil.AV_PIX_FMT_BGR24);
                }
            }
        }
        return file;
    }

    /** The clip with its H.264 sample entry renamed to a codec tag no decoder knows. */
    public static Path unknownCodec(Path clip, Path out) throws IOException {
        byte[] b = Files.readAllBytes(clip);
        byte[] tag = "avc1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int hits = 0;
        for (int i = 0; i + 4 <= b.length; i++) {
            if (b[i] == tag[0] && b[i + 1] == tag[1] && b[i + 2] == tag[2] && b[i + 3] == tag[3]) {
                b[i] = 'q';
                b[i + 1] = 'z';
                b[i + 2] = 'q';
                b[i + 3] = 'z';
                hits++;
            }
        }
        if (hits == 0) throw new IllegalStateException("no avc1 sample entry in " + clip);
        Files.write(out, b);
        return out;
    }

    /** Frames in a video file, counted by decoding it. */
    public static int countFrames(Path video) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            int n = 0;
            while (g.grabImage() != null) n++;
            g.stop();
            return n;
        }
    }

    /** First decoded frame of a video as packed BGR bytes; {@code size[0..1]} receives width and height. */
    public static byte[] firstFrame(Path video, int[] size) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            Frame f = g.grabImage();
            size[0] = f.imageWidth;
            size[1] = f.imageHeight;
            byte[] out = new byte[f.imageWidth * f.imageHeight * 3];
            java.nio.ByteBuffer buf = (java.nio.ByteBuffer) f.image[0];
            for (int y = 0; y < f.imageHeight; y++) {
                buf.position(y * f.imageStride);
                buf.get(out, y * f.imageWidth * 3, f.imageWidth * 3);
            }
            g.stop();
            return out;
        }
    }

    /** Mean absolute difference of two BGR images over a rectangle. */
    public static double meanAbsDiff(byte[] a, byte[] b, int width, int x0, int y0, int w, int h) {
        long sum = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0 * 3; x < (x0 + w) * 3; x++) {
                int i = y * width * 3 + x;
                sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            }
        }
        return (double) sum / (w * h * 3);
    }

    public static int mjpegCodec() {
        return avcodec.AV_CODEC_ID_MJPEG;
    }
}
