package ai.emadaptive.ingest;

import ai.emadaptive.data.DataException;
import ai.emadaptive.frame.Yuv420;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** The first frames of a clip as packed I420 planes, as the stream decoder hands them on: what benchmarks replay. */
public record YuvFrames(int width, int height, List<byte[]> frames) {
    /** Up to {@code max} frames from the start of {@code clip}; a DataException names a file that cannot be read. */
    public static YuvFrames read(Path clip, int max) {
        List<byte[]> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = LabelledFrameDecoder.open(clip)) {
            int w = grabber.getImageWidth(), h = grabber.getImageHeight();
            Frame frame;
            while (frames.size() < max && (frame = LabelledFrameDecoder.grab(grabber, clip, frames.size())) != null) {
                if (frame.imageWidth != w || frame.imageHeight != h) break; // one resolution: a benchmark's frames
                byte[] yuv = new byte[Yuv420.length(w, h)];
                StreamDecoder.packI420(frame, yuv, w, h);
                frames.add(yuv);
            }
            if (frames.isEmpty()) throw new DataException(clip + " has no frames");
            return new YuvFrames(w, h, List.copyOf(frames));
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new DataException(clip + ": " + FfmpegErrors.describe(e));
        }
    }
}
