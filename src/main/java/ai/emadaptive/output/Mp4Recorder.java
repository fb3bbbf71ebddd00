package ai.emadaptive.output;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import ai.emadaptive.pipeline.FrameBuffer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.jboss.logging.Logger;

/**
 * Records a stream's overlaid frames to an H.264 MP4 on its own thread, so encoding never holds up inference.
 * Frames wait in a bounded queue (their buffers come from the stream's pool, so the queue cannot outgrow it) and go
 * back to the pool once encoded. A recording error (disk full, ...) stops the recording, is reported, and leaves
 * the stream running.
 */
public final class Mp4Recorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Mp4Recorder.class);

    private final Path file;
    private final double fps;
    private final BlockingQueue<FrameBuffer> queue = new ArrayBlockingQueue<>(64);
    private final Consumer<String> onError;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean failed;

    public Mp4Recorder(Path file, double fps, String streamId, Consumer<String> onError) {
        this.file = file;
        this.fps = fps;
        this.onError = onError;
        thread = new Thread(this::loop, "record-" + streamId);
        thread.setDaemon(true);
        thread.start();
    }

    public Path file() {
        return file;
    }

    /** Queues a frame; it goes back to its pool after encoding (or at once if the recording failed). */
    public void accept(FrameBuffer f) {
        if (failed || closing || !queue.offer(f)) f.pool.release(f);
    }

    private void loop() {
        FFmpegFrameRecorder rec = null;
        Frame frame = null;
        try {
            while (true) {
                FrameBuffer f = queue.poll(100, TimeUnit.MILLISECONDS);
                if (f == null) { // idle: finished once closing and drained
                    if (closing && queue.isEmpty()) break;
                    continue;
                }
                try {
                    if (failed) continue;
                    if (rec == null) {
                        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
                        rec = new FFmpegFrameRecorder(file.toFile(), f.width, f.height, 0);
                        rec.setFormat("mp4");
                        rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                        rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                        rec.setFrameRate(fps);
                        rec.setVideoBitrate(2_000_000);
                        rec.setGopSize((int) Math.round(fps));
                        rec.start();
                        frame = new Frame(f.width, f.height, Frame.DEPTH_UBYTE, 3);
                    }
                    if (f.width != frame.imageWidth || f.height != frame.imageHeight) continue; // resolution changed: skip
                    ByteBuffer dst = (ByteBuffer) frame.image[0];
                    int rowBytes = f.width * 3;
                    for (int y = 0; y < f.height; y++) {
                        dst.position(y * frame.imageStride);
                        dst.put(f.bgr(), y * rowBytes, rowBytes);
                    }
                    dst.position(0);
                    rec.record(frame, avutil.AV_PIX_FMT_BGR24);
                } catch (Exception e) {
                    failed = true;
                    String msg = "recording to " + file + " failed: " + e.getMessage();
                    LOG.warn(msg);
                    onError.accept(msg);
                } finally {
                    f.pool.release(f);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (rec != null) {
                try {
                    rec.close();
                } catch (Exception e) {
                    onError.accept("closing recording " + file + " failed: " + e.getMessage());
                }
            }
            if (frame != null) frame.close();
            FrameBuffer left;
            while ((left = queue.poll()) != null) left.pool.release(left);
        }
    }

    /** Finishes the queued frames, closes the file. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
