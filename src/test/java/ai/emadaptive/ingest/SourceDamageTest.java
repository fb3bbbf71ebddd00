package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.frame.Yuv420;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.Executables;
import ai.emadaptive.support.StreamingFixtures;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage the grabber used to hide: a live source that stalls mid-stream, a file cut short while it is read, damaged
 * data in the middle of a file, and a stream recorded sideways. Each is named in the stream's state, and a stalled
 * source is stopped at once.
 */
class SourceDamageTest {
    @TempDir
    Path dir;

    /** One-second I/O timeout, no reconnect limit. */
    private PipelineSettings settings() {
        PipelineSettings d = PipelineSettings.defaults();
        return d.withRecordings(dir.resolve("rec")).withDecoder(d.decoder().withIoTimeoutMicros(1_000_000));
    }

    private Pipeline pipeline() {
        return new Pipeline(
                StreamingFixtures.routedModel(3),
                settings(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("http", "file"), List.of(dir), HostPolicy.only("127.0.0.1")),
                null);
    }

    @Test
    void aSourceThatStallsMidStreamSaysSoAndStopsAtOnce() throws Exception {
        assumeTrue(Executables.onPath("ffmpeg"), "Debian's ffmpeg is not installed (.ci/run installs it)");
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 2.0, 160, 120, 4);
        Path ts = dir.resolve("clip.ts");
        Process p = new ProcessBuilder(
                        "ffmpeg",
                        "-nostdin",
                        "-loglevel",
                        "error",
                        "-i",
                        clip.toString(),
                        "-c",
                        "copy",
                        "-f",
                        "mpegts",
                        ts.toString())
                .redirectErrorStream(true)
                .start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        byte[] bytes = Files.readAllBytes(ts);
        CountDownLatch done = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/live.ts", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(
                        bytes,
                        0,
                        bytes.length * 2 / 3); // two thirds of the clip, then silence with the connection open
                out.flush();
                done.await(60, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the client went away
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try (Pipeline pipeline = pipeline()) {
            StreamContext s = pipeline.add(StreamSpec.of(
                    "stall", "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts"));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertTrue(s.processedCount() > 5, () -> s.state() + " " + s.lastError()));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertTrue(
                            s.lastError() != null && s.lastError().contains("stalled"),
                            () -> s.state() + " " + s.lastError()));
            assertTrue(s.lastError().contains("no data for 1000 ms"), s.lastError());
            // it is back in a stalled read (the server answers each reconnect the same way): a stop ends it at once
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> assertTrue(s.state() == StreamState.RUNNING, () -> s.state() + " " + s.lastError()));
            long t0 = System.nanoTime();
            assertTrue(pipeline.remove("stall"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 1, "removed in " + seconds + " s");
            assertTrue(decoderThreadGone("stall"), "the decoder thread ended with its stream");
        } finally {
            done.countDown();
            server.stop(0);
        }
    }

    @Test
    void aFileCutShortWhileReadFailsInsteadOfEndingOrLoopingCleanly() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("long.mp4"), 4.0, 160, 120, 5);
        try (Pipeline pipeline = pipeline()) {
            StreamContext s = pipeline.add(StreamSpec.of("cut", clip.toString()).withLoop(true));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertTrue(s.processedCount() > 10, () -> s.state() + " " + s.lastError()));
            try (RandomAccessFile f = new RandomAccessFile(clip.toFile(), "rw")) {
                f.setLength(
                        f.length() * 2 / 5); // copied or written while read: the header says 4 s, the data stops early
            }
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> assertTrue(s.state() == StreamState.FAILED, () -> s.state() + " " + s.lastError()));
            assertTrue(
                    s.lastError().contains("of the 4.0 s its header states: the file is truncated or damaged"),
                    s.lastError());
        }
    }

    @Test
    void damagedDataMidFileIsReportedWhileTheStreamPlaysOn() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("whole.mp4"), 3.0, 320, 240, 6);
        Path damaged = dir.resolve("damaged.mp4");
        byte[] b = Files.readAllBytes(clip);
        java.util.Random random = new java.util.Random(7);
        for (int at : new int[] {b.length / 3, b.length / 2}) { // inside the media data (the index is at the end)
            for (int i = 0; i < 3000; i++) b[at + i] = (byte) random.nextInt(256);
        }
        Files.write(damaged, b);
        try (Pipeline pipeline = pipeline()) {
            StreamContext s =
                    pipeline.add(StreamSpec.of("damaged", damaged.toString()).withRealtime(false));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertTrue(!s.state().active(), () -> s.state() + " " + s.lastError()));
            assertEquals(
                    StreamState.ENDED, s.state(), "the decoder conceals the damage and plays on: " + s.lastError());
            assertTrue(
                    s.lastError() != null && s.lastError().contains("damaged data near"),
                    "but says so: " + s.lastError());
            assertTrue(s.processedCount() > 60, "most frames still come through: " + s.processedCount());
        }
    }

    @Test
    void aStreamRecordedSidewaysIsTurnedUprightAsFfmpegShowsIt() throws Exception {
        assumeTrue(Executables.onPath("ffmpeg"), "Debian's ffmpeg is not installed (.ci/run installs it)");
        Path plain = dir.resolve("plain.mp4"), turned = dir.resolve("turned.mp4");
        run(
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "color=black:s=160x120:d=1,drawbox=x=0:y=0:w=80:h=40:color=white:t=fill",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                plain.toString());
        run(
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-i",
                plain.toString(),
                "-c",
                "copy",
                "-metadata:s:v:0",
                "rotate=90",
                turned.toString());
        // FFmpeg's own player turns it: the reference picture, grey, as ffmpeg shows it
        Path ref = dir.resolve("ref.gray");
        run(
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-i",
                turned.toString(),
                "-frames:v",
                "1",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "gray",
                ref.toString());
        byte[] expected = Files.readAllBytes(ref);
        try (FfmpegInput in = new FfmpegInput(() -> false, 5_000_000_000L)) {
            in.open(turned.toString(), null, java.util.Map.of(), 1);
            assertEquals(270, in.rotation(), "a quarter turn counter-clockwise");
            assertTrue(in.next());
            byte[] yuv = new byte[Yuv420.length(120, 160)];
            StreamDecoder.packI420(in.picture(), in.rotation(), yuv, in.width(), in.height());
            assertEquals(120 * 160, expected.length, "ffmpeg shows it 120 wide, 160 high");
            long off = 0;
            for (int i = 0; i < expected.length; i++)
                off += Math.abs((yuv[i] & 0xff) - (expected[i] & 0xff)) > 64 ? 1 : 0;
            assertTrue(
                    off < expected.length / 100,
                    off + " of " + expected.length + " luma pixels differ from ffmpeg's upright picture");
        }
        try (Pipeline pipeline = pipeline()) {
            StreamContext s = pipeline.add(StreamSpec.of("turned", turned.toString())
                    .withRealtime(false)
                    .withRecord(true));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertTrue(
                            s.state() == StreamState.ENDED && s.inFlight() == 0,
                            () -> s.state() + " " + s.lastError()));
            assertEquals(120, s.width());
            assertEquals(160, s.height());
            assertTrue(s.processedCount() > 0);
        }
        // the recording (the overlaid frames, converted from the turned planes) is upright too
        Path recording;
        try (var files = Files.list(dir.resolve("rec"))) {
            recording = files.filter(f -> f.getFileName().toString().startsWith("turned-"))
                    .findFirst()
                    .orElseThrow();
        }
        try (org.bytedeco.javacv.FFmpegFrameGrabber g =
                new org.bytedeco.javacv.FFmpegFrameGrabber(recording.toFile())) {
            g.start();
            assertEquals(120, g.getImageWidth());
            assertEquals(160, g.getImageHeight());
            org.bytedeco.javacv.Frame f = g.grabImage();
            java.nio.ByteBuffer px = (java.nio.ByteBuffer) f.image[0];
            int stride = f.imageStride;
            // ffmpeg's upright picture is white at the bottom left (the coded top-left box, turned), black at the top
            // right; the overlay panel sits top left, so compare two points away from it
            assertTrue((px.get(150 * stride + 10 * 3) & 0xff) > 180, "bottom left bright");
            assertTrue((px.get(10 * stride + 110 * 3) & 0xff) < 60, "top right dark");
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    /** Whether the stream's decoder thread is gone within a second. */
    static boolean decoderThreadGone(String id) {
        try {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(1))
                    .pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().equals("decode-" + id)));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
