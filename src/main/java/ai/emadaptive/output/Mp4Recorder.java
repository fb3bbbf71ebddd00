package ai.emadaptive.output;

import ai.emadaptive.frame.FrameBuffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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

    private volatile Path file;
    private final String streamId;
    private final double fps;
    private final BlockingQueue<FrameBuffer> queue = new ArrayBlockingQueue<>(64);
    private final Consumer<String> onError;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean failed;

    public Mp4Recorder(Path file, double fps, String streamId, Consumer<String> onError) {
        this.file = file;
        this.streamId = streamId;
        this.fps = fps;
        this.onError = onError;
        thread = new Thread(this::loop, "record-" + streamId);
        thread.setDaemon(true);
        thread.start();
    }

    /** The file being written now (a resolution change moves the recording on to a new file). */
    public Path file() {
        return file;
    }

    /**
     * A started H.264 recorder writing a fragmented MP4: an empty index up front, then one self-contained fragment per
     * second (a GOP), each written out as soon as it is complete. A process killed mid-recording leaves a file that
     * plays up to its last whole second; a plain MP4 keeps its index until the end and is unreadable without it.
     */
    public static FFmpegFrameRecorder open(Path file, int width, int height, double fps)
            throws FFmpegFrameRecorder.Exception {
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        rec.setFormat("mp4");
        rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        rec.setFrameRate(fps);
        rec.setVideoBitrate(2_000_000);
        rec.setGopSize((int) Math.max(1, Math.round(fps)));
        rec.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
        rec.setOption("flush_packets", "1");
        rec.start();
        return rec;
    }

    /** What {@link #newFile} names a recording: {@code <stream>-yyyyMMdd-HHmmss-SSS[-n].mp4}. */
    public static final java.util.regex.Pattern FILE_NAME =
            java.util.regex.Pattern.compile(".+-\\d{8}-\\d{6}-\\d{3}(-\\d+)?\\.mp4");

    /**
     * Where a new recording of {@code stream} goes: {@code <stream>-<date>-<time>-<ms>.mp4}, with {@code -2}, {@code -3},
     * ... when that name is taken (a stream re-added within the same millisecond), reserved by creating the file, so no
     * recording ever overwrites another.
     */
    public static Path newFile(Path dir, String stream, java.time.LocalDateTime when) throws java.io.IOException {
        Files.createDirectories(dir);
        String base = stream + "-" + when.format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        for (int n = 1; ; n++) {
            Path p = dir.resolve(base + (n == 1 ? "" : "-" + n) + ".mp4");
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // next suffix
            }
        }
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
                        if (file.toAbsolutePath().getParent() != null)
                            Files.createDirectories(file.toAbsolutePath().getParent());
                        rec = open(file, f.width, f.height, fps);
                        frame = new Frame(f.width, f.height, Frame.DEPTH_UBYTE, 3);
                    }
                    if (f.width != frame.imageWidth || f.height != frame.imageHeight) {
                        // the source changed resolution: an MP4 track has one size, so go on in a new file, losing
                        // nothing
                        rec.close();
                        frame.close();
                        rec = null;
                        Path next = newFile(file.toAbsolutePath().getParent(), streamId, java.time.LocalDateTime.now());
                        LOG.infof(
                                "recording of %s: the source went to %dx%d; continuing in %s",
                                streamId, f.width, f.height, next.getFileName());
                        file = next;
                        rec = open(file, f.width, f.height, fps);
                        frame = new Frame(f.width, f.height, Frame.DEPTH_UBYTE, 3);
                    }
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
        close(30_000);
    }

    /**
     * Stops taking frames and waits at most {@code waitMillis} for the queued ones to be written (a stream being
     * deleted must not wait on the encoder); the writer finishes the rest on its own thread.
     */
    public void close(long waitMillis) {
        closing = true;
        try {
            thread.join(Math.max(1, waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
