package ai.emadaptive.ingest;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.data.DataException;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.frame.Yuv420;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * A recorded clip with its ground-truth CSV as a labelled data set: every frame decoded by FFmpeg and cut to the
 * model's input the way the service's {@link Preprocessor} does (centred square, area average), so {@code evaluate}
 * and {@code sweep} score exactly the frames a replay classifies. Frame i is labelled by the sidecar's row for frame
 * i, as in a replay. Holds 3 x size^2 bytes a frame (48 KiB at 128 px).
 */
public final class ClipFrames {
    private ClipFrames() {}

    /** Whether {@code path} names a video file rather than a data set folder. */
    public static boolean isClip(Path path) {
        String n = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".mp4")
                || n.endsWith(".mkv")
                || n.endsWith(".mov")
                || n.endsWith(".avi")
                || n.endsWith(".ts");
    }

    /** Every frame of {@code clip}, labelled from its sidecar with the model's {@code classes}, at {@code input}'s size. */
    public static ImageSet load(Path clip, Manifest.Input input, List<String> classes) throws IOException {
        return load(clip, input, classes, 1);
    }

    /**
     * Frames 0, {@code every}, 2 x {@code every}, ... of {@code clip}: a long recording's neighbouring frames are
     * nearly alike, and a set holds 3 x size^2 bytes a frame. Every frame is still decoded, so the count is checked.
     */
    public static ImageSet load(Path clip, Manifest.Input input, List<String> classes, int every) throws IOException {
        if (every < 1) throw new IllegalArgumentException("--frame-every must be >= 1, was " + every);
        GroundTruth truth = GroundTruth.read(clip, classes);
        int n = truth.frames();
        int kept = kept(n, every);
        Preprocessor prep = new Preprocessor(input);
        int b = prep.rowLength();
        byte[] pixels = ImageSet.pixelStorage(kept, input.size(), clip, "take fewer with --frame-every");
        int[] labels = new int[kept];
        int decoded = 0;
        try (FFmpegFrameGrabber grabber = LabelledFrameDecoder.open(clip)) {
            int w = grabber.getImageWidth(), h = grabber.getImageHeight();
            byte[] yuv = new byte[Yuv420.length(w, h)];
            Frame frame;
            while ((frame = LabelledFrameDecoder.grab(grabber, clip, decoded)) != null) {
                if (decoded == n)
                    throw new DataException(
                            clip + " has more frames than the " + n + " rows of " + GroundTruth.sidecar(clip));
                if (frame.imageWidth != w || frame.imageHeight != h) {
                    w = frame.imageWidth;
                    h = frame.imageHeight;
                    yuv = new byte[Yuv420.length(w, h)];
                }
                if (decoded % every == 0) {
                    StreamDecoder.packI420(frame, yuv, w, h);
                    prep.fillRgb(yuv, w, h, pixels, decoded / every * b);
                    labels[decoded / every] = truth.label(decoded);
                }
                decoded++;
            }
        }
        if (decoded < n) {
            throw new DataException(
                    clip + " decodes to " + decoded + " frames but " + GroundTruth.sidecar(clip) + " labels " + n);
        }
        return new ImageSet(classes, input.size(), pixels, labels);
    }

    /** How many of {@code frames} frames {@code --frame-every every} keeps: 0, every, 2 x every, ... */
    public static int kept(int frames, int every) {
        return (frames + every - 1) / every;
    }

    /** The values of the kept frames, from one value per frame (e.g. a sidecar column), in set order. */
    public static int[] kept(int[] perFrame, int every) {
        int[] v = new int[kept(perFrame.length, every)];
        for (int i = 0; i < v.length; i++) v[i] = perFrame[i * every];
        return v;
    }
}
