package ai.emadaptive.output;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.support.StreamingFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service killed with SIGKILL while it records (a real process kill, no shutdown hook runs): its recording decodes
 * up to within 2 s of the kill.
 */
class RecordingKillTest {
    @TempDir
    Path dir;

    @Test
    void aRecordingSurvivesKillMinus9OfItsService() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 2.0, 320, 240, 8);
        Path model = StreamingFixtures.writeRoutedModel(dir.resolve("model.zip"));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        javaBin,
                        "-Xmx1g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RecordingChild.class.getName(),
                        model.toString(),
                        clip.toString(),
                        dir.resolve("rec").toString())
                .redirectErrorStream(true)
                .start();
        AtomicReference<String> file = new AtomicReference<>();
        AtomicReference<Long> since = new AtomicReference<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("recording ") && file.get() == null) {
                        since.set(System.nanoTime());
                        file.set(line.substring("recording ".length()));
                    } else if (!line.startsWith("processed ")) {
                        synchronized (log) {
                            log.append(line).append('\n');
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child died
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() ->
                            assertTrue(file.get() != null || !child.isAlive(), "the child started recording: " + log));
            assertTrue(file.get() != null, "the child started recording: " + log);
            Thread.sleep(5000);
            double recorded = (System.nanoTime() - since.get()) / 1e9;
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no trailer
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            int frames = 0;
            double fps;
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.get())) {
                g.start();
                fps = g.getFrameRate() > 0 ? g.getFrameRate() : 30;
                while (g.grabImage() != null) frames++;
            }
            double playable = frames / fps;
            System.out.printf(
                    "RecordingKillTest: %.2f s playable of %.2f s recorded before kill -9 (%d frames)%n",
                    playable, recorded, frames);
            assertTrue(
                    playable >= recorded - 2.0,
                    String.format("%.2f s playable of %.2f s recorded", playable, recorded));
        } finally {
            child.destroyForcibly().waitFor();
        }
    }
}
