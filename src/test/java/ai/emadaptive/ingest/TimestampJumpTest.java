package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-time replay of MPEG-TS files whose timestamps jump (an hour ahead) or restart (two files concatenated, as a
 * recorder that was restarted writes): they play at their frame rate, losing nothing, and a stop is never held up
 * by pacing.
 */
class TimestampJumpTest {
    @TempDir
    Path dir;

    /** {@code frames} frames at 30 fps from {@code startMicros}, as MPEG-TS. */
    private Path ts(String name, int frames, long startMicros) throws Exception {
        return ts(name, frames, startMicros, 160, 120);
    }

    private Path ts(String name, int frames, long startMicros, int w, int h) throws Exception {
        Path file = dir.resolve(name);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
            rec.setFormat("mpegts");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG2VIDEO);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(30);
            rec.start();
            try (Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
                ByteBuffer b = (ByteBuffer) f.image[0];
                for (int i = 0; i < frames; i++) {
                    for (int p = 0; p < b.capacity(); p++) b.put(p, (byte) (3 * i));
                    rec.setTimestamp(startMicros + Math.round(i * 1e6 / 30));
                    rec.record(f, avutil.AV_PIX_FMT_BGR24);
                }
            }
        }
        return file;
    }

    private Path concat(String name, Path a, Path b) throws Exception {
        Path out = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(out)) {
            Files.copy(a, os);
            Files.copy(b, os);
        }
        return out;
    }

    /** Plays a file in real time to its end; returns {seconds it took, frames processed, frames dropped}. */
    private double[] play(Pipeline p, String id, Path file) throws Exception {
        long t0 = System.nanoTime();
        StreamContext s = p.add(StreamSpec.of(id, file.toString()));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertTrue(
                        s.state() == StreamState.ENDED && s.inFlight() == 0,
                        () -> id + " " + s.state() + " processed " + s.processedCount()));
        return new double[] {(System.nanoTime() - t0) / 1e9, s.processedCount(), s.droppedCount()};
    }

    @Test
    void jumpsAndRestartsPlayAtTheFrameRate() throws Exception {
        Path jump = concat("jump.ts", ts("a.ts", 30, 0), ts("b.ts", 30, 3_600_000_000L));
        Path reset = concat("reset.ts", ts("c.ts", 30, 0), ts("d.ts", 30, 0));
        try (Pipeline p = new Pipeline(
                Map.of(Pipeline.DEFAULT_MODEL, StreamingFixtures.routedModel(3)),
                PipelineSettings.defaults(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(dir)),
                r -> {})) {
            double[] j = play(p, "jump", jump);
            double[] r = play(p, "reset", reset);
            // 60 frames at 30 fps: about 2 s each, not an hour, and not rushed through
            assertEquals(60, j[1], 0, "every frame after the jump");
            assertEquals(0, j[2], 0);
            assertTrue(j[0] > 1.5 && j[0] < 6, "the jump plays at the frame rate: " + j[0] + " s");
            assertEquals(60, r[1], 0, "every frame after the restart");
            assertEquals(0, r[2], 0);
            assertTrue(r[0] > 1.5 && r[0] < 6, "the restart plays at the frame rate: " + r[0] + " s");
        }
    }

    @Test
    void aResolutionChangeMidStreamIsRecordedWholeInANewFile() throws Exception {
        long processed;
        Path changed = concat("changed.ts", ts("small.ts", 30, 0), ts("large.ts", 30, 1_000_000, 320, 240));
        PipelineSettings settings = PipelineSettings.defaults().withRecordings(dir.resolve("rec"));
        try (Pipeline p = new Pipeline(
                Map.of(Pipeline.DEFAULT_MODEL, StreamingFixtures.routedModel(3)),
                settings,
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(dir)),
                r -> {})) {
            StreamContext s = p.add(StreamSpec.of("changed", changed.toString()).withRecord(true));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertTrue(
                            s.state() == StreamState.ENDED && s.inFlight() == 0,
                            () -> s.state() + " " + s.lastError()));
            // FFmpeg's own MPEG-2 decoder gives 59 of the 60 frames at such a junction (ffmpeg -f null says the same)
            processed = s.processedCount();
            assertTrue(
                    processed >= 59,
                    "decoded " + s.decodedCount() + ", dropped " + s.droppedCount() + ": " + s.lastError());
            assertEquals(320, s.width(), "the status follows the new size");
        }
        List<Path> files;
        try (var list = Files.list(dir.resolve("rec"))) {
            files = list.sorted().toList();
        }
        assertEquals(2, files.size(), "one file per resolution: " + files);
        int frames = 0;
        for (Path f : files) frames += StreamingFixtures.countFrames(f);
        assertEquals(processed, frames, "no frame after the change is left out of the recording");
    }
}
