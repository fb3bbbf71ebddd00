package ai.emadaptive.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recordings survive their writer dying, and never overwrite one another. */
class RecordingSurvivalTest {
    @TempDir
    Path dir;

    @Test
    void aRecordingWhoseWriterNeverClosesItPlaysUpToItsLastWholeSecond() throws Exception {
        Path file = dir.resolve("cut.mp4");
        FFmpegFrameRecorder rec = Mp4Recorder.open(file, 160, 120, 30);
        try (Frame f = new Frame(160, 120, Frame.DEPTH_UBYTE, 3)) {
            ByteBuffer b = (ByteBuffer) f.image[0];
            for (int i = 0; i < 100; i++) {
                for (int p = 0; p < b.capacity(); p++) b.put(p, (byte) (i * 2));
                rec.record(f, avutil.AV_PIX_FMT_BGR24);
            }
        }
        // as after kill -9: no trailer, no close; read what is on disk now
        int frames = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            while (g.grabImage() != null) frames++;
        }
        System.out.printf("RecordingSurvivalTest: %d of 100 frames playable without a trailer%n", frames);
        assertTrue(frames >= 100 - 2 * 30, "frames playable without the trailer: " + frames + " of 100");
        rec.release();
    }

    @Test
    void aStreamReAddedWithinTheSameMillisecondGetsANewFile() throws Exception {
        LocalDateTime t = LocalDateTime.of(2026, 12, 3, 10, 0, 0, 5_000_000);
        Path first = Mp4Recorder.newFile(dir.resolve("rec"), "or-1", t);
        Files.writeString(first, "the first recording");
        Path second = Mp4Recorder.newFile(dir.resolve("rec"), "or-1", t);
        assertEquals("or-1-20261203-100000-005.mp4", first.getFileName().toString());
        assertEquals("or-1-20261203-100000-005-2.mp4", second.getFileName().toString());
        assertNotEquals(first, second);
        assertEquals("the first recording", Files.readString(first));
    }
}
