package ai.emadaptive.ingest;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.data.DataException;
import ai.emadaptive.data.ImageFolderLoader;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.LabelledFrame;
import ai.emadaptive.frame.Yuv420;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * The pixels of labelled frames, cut to a model's input as the service cuts a stream's frames: the centred square of
 * the frame (or the whole frame, for a model whose input says so), area-averaged down to the input size. Video frames
 * are decoded by FFmpeg and cut by the service's own {@link Preprocessor}; still images (a YOLO export's frames) get
 * the same cut and box averages in RGB.
 * Videos decode in parallel, each from its start (labelled frames are found by counting, as a replay counts them).
 */
public final class LabelledFrameDecoder {
    private LabelledFrameDecoder() {}

    /**
     * @param pixels  RGB bytes, [image][size][size][3]
     * @param frameOf per decoded image, the index of the {@link LabelledFrame} it comes from (a clip-level label gives
     *                many images)
     */
    public record Decoded(byte[] pixels, int[] frameOf) {
        public int count() {
            return frameOf.length;
        }
    }

    /** The centred square of each frame. */
    public static Decoded decode(List<LabelledFrame> frames, int size, int every) {
        return decode(frames, size, Manifest.Input.CENTRE_SQUARE, every);
    }

    /**
     * @param fit   how a frame becomes the input ({@link Manifest.Input#CENTRE_SQUARE}, {@link Manifest.Input#WHOLE_FRAME},
     *              {@link Manifest.Input#LETTERBOX}), as the model's manifest says
     * @param every for {@link LabelledFrame#EVERY_FRAME} clips: keep frames 0, every, 2 x every, ...
     */
    public static Decoded decode(List<LabelledFrame> frames, int size, String fit, int every) {
        Manifest.Input input = Manifest.Input.rgbNhwc(size, new float[] {0, 0, 0}, new float[] {1, 1, 1})
                .withFit(fit);
        if (every < 1) throw new IllegalArgumentException("--frame-every must be >= 1, was " + every);
        Map<Path, List<Integer>> videos = new LinkedHashMap<>();
        List<Integer> stills = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            LabelledFrame f = frames.get(i);
            if (f.frameIndex() == LabelledFrame.STILL) stills.add(i);
            else videos.computeIfAbsent(f.source(), k -> new ArrayList<>()).add(i);
        }
        int b = size * size * 3;
        byte[] stillPixels = ImageSet.pixelStorage(
                stills.size(), size, "the labelled images", "use fewer images or a smaller input");
        IntStream.range(0, stills.size())
                .parallel()
                .forEach(j -> still(frames.get(stills.get(j)).source(), input, stillPixels, j * b));
        List<Path> order = new ArrayList<>(videos.keySet());
        List<Chunk> chunks = IntStream.range(0, order.size())
                .parallel()
                .mapToObj(v -> video(order.get(v), videos.get(order.get(v)), frames, input, every))
                .toList();
        long total = stills.size();
        for (Chunk c : chunks) total += c.frameOf.length;
        byte[] pixels = ImageSet.pixelStorage(total, size, "the labelled frames", "take fewer with --frame-every");
        int[] frameOf = new int[(int) total];
        System.arraycopy(stillPixels, 0, pixels, 0, stillPixels.length);
        for (int j = 0; j < stills.size(); j++) frameOf[j] = stills.get(j);
        int at = stills.size();
        for (Chunk c : chunks) {
            System.arraycopy(c.pixels, 0, pixels, at * b, c.pixels.length);
            System.arraycopy(c.frameOf, 0, frameOf, at, c.frameOf.length);
            at += c.frameOf.length;
        }
        return new Decoded(pixels, frameOf);
    }

    private record Chunk(byte[] pixels, int[] frameOf) {}

    /** The labelled frames of one video, in frame order. */
    private static Chunk video(
            Path file, List<Integer> entries, List<LabelledFrame> frames, Manifest.Input input, int every) {
        Map<Integer, Integer> wanted = new LinkedHashMap<>(); // frame index -> labelled-frame index
        int clipLevel = -1;
        for (int i : entries) {
            int idx = frames.get(i).frameIndex();
            if (idx == LabelledFrame.EVERY_FRAME) clipLevel = i;
            else wanted.put(idx, i);
        }
        TreeSet<Integer> pending = new TreeSet<>(wanted.keySet());
        Preprocessor prep = new Preprocessor(input);
        int b = prep.rowLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> frameOf = new ArrayList<>();
        byte[] row = new byte[b];
        int decoded = 0;
        try (FFmpegFrameGrabber grabber = open(file)) {
            int w = grabber.getImageWidth(), h = grabber.getImageHeight();
            byte[] yuv = new byte[Yuv420.length(w, h)];
            Frame frame;
            while ((clipLevel >= 0 || !pending.isEmpty()) && (frame = grab(grabber, file, decoded)) != null) {
                Integer labelled = wanted.get(decoded);
                boolean keep = labelled != null || (clipLevel >= 0 && decoded % every == 0);
                if (keep) {
                    if (frame.imageWidth != w || frame.imageHeight != h) {
                        w = frame.imageWidth;
                        h = frame.imageHeight;
                        yuv = new byte[Yuv420.length(w, h)];
                    }
                    StreamDecoder.packI420(frame, yuv, w, h);
                    prep.fillRgb(yuv, w, h, row, 0);
                    out.write(row, 0, b);
                    frameOf.add(labelled != null ? labelled : clipLevel);
                    pending.remove(decoded);
                }
                decoded++;
            }
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new DataException(file + ": " + FfmpegErrors.describe(e));
        }
        if (!pending.isEmpty()) {
            throw new DataException(
                    file + " decodes to " + decoded + " frames, but its labels name frame " + pending.first());
        }
        if (clipLevel >= 0 && frameOf.isEmpty()) throw new DataException(file + " has no frames");
        return new Chunk(
                out.toByteArray(), frameOf.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A started grabber giving YUV 4:2:0 frames, or a DataException naming the file. */
    static FFmpegFrameGrabber open(Path file) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        try {
            grabber.start();
        } catch (Exception e) {
            close(grabber);
            throw new DataException("cannot open " + file + ": " + FfmpegErrors.describe(e));
        }
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            close(grabber);
            throw new DataException(file + " has no video stream");
        }
        return grabber;
    }

    private static void close(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // already failing with the reason that matters
        }
    }

    /** The next decoded picture, null at the end; a frame that cannot be decoded is a DataException naming it. */
    static Frame grab(FFmpegFrameGrabber grabber, Path file, int index) {
        try {
            Frame f = grabber.grabImage();
            return f == null || f.image == null ? null : f;
        } catch (Exception e) {
            throw new DataException(file + ": frame " + index + " cannot be decoded: " + FfmpegErrors.describe(e));
        }
    }

    /**
     * A still image cut to the input as a video frame is ({@link FrameFit}), each output pixel the mean of its box of
     * source pixels, black outside the frame.
     */
    static void still(Path file, Manifest.Input input, byte[] out, int offset) {
        BufferedImage img = ImageFolderLoader.read(file);
        FrameFit fit = FrameFit.of(input, img.getWidth(), img.getHeight());
        int size = input.size(), cols = fit.cols(), rows = fit.rows();
        int[] rgb = img.getRGB(fit.x(), fit.y(), fit.width(), fit.height(), null, 0, fit.width());
        int[] xa = new int[cols], xb = new int[cols], ya = new int[rows], yb = new int[rows];
        FrameFit.boxes(0, fit.width(), cols, xa, xb);
        FrameFit.boxes(0, fit.height(), rows, ya, yb);
        java.util.Arrays.fill(out, offset, offset + size * size * 3, (byte) 0);
        for (int i = 0; i < rows; i++) {
            int o = offset + ((fit.top() + i) * size + fit.left()) * 3;
            for (int j = 0; j < cols; j++) {
                long r = 0, g = 0, bl = 0;
                for (int y = ya[i]; y < yb[i]; y++) {
                    for (int x = xa[j]; x < xb[j]; x++) {
                        int p = rgb[y * fit.width() + x];
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        bl += p & 0xff;
                    }
                }
                long n = (long) (yb[i] - ya[i]) * (xb[j] - xa[j]);
                out[o++] = (byte) Math.round((double) r / n);
                out[o++] = (byte) Math.round((double) g / n);
                out[o++] = (byte) Math.round((double) bl / n);
            }
        }
    }
}
