package ai.emadaptive.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.KafkaBroker;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances share four streams through a Kafka consumer group on the control topic (a real broker process);
 * one instance is killed (a real process kill) and its streams run on the survivor within 30 s.
 */
class ScaleOutTest {
    static final String TOPIC = "em-adaptive.streams";
    static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void streamsOfAKilledInstanceMoveToTheSurvivor() throws Exception {
        assumeTrue(KafkaBroker.available(), "Kafka jars not in target/kafka-broker (.ci/run copies them)");
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 2.0, 320, 240, 3);
        Path model = StreamingFixtures.writeRoutedModel(dir.resolve("model.zip"));
        List<String> ids = idsCoveringEveryPartition();
        try (KafkaBroker broker = KafkaBroker.start(java.nio.file.Files.createDirectories(dir.resolve("kafka")))) {
            StreamDirectory.ensureTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            StreamDirectory.ensureTopic(broker.bootstrapServers(), TOPIC, PARTITIONS); // exists: no error
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process a = new ProcessBuilder(javaBin, "-Xmx1g", "-cp", System.getProperty("java.class.path"), ScaleOutInstance.class.getName(),
                    broker.bootstrapServers(), TOPIC, "em", model.toString(), dir.toString()).redirectErrorStream(true).start();
            AtomicReference<Set<String>> onA = new AtomicReference<>(Set.of());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("running:")) onA.set(new TreeSet<>(List.of(line.substring(8).split(",", -1))).stream().filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toSet()));
                    }
                } catch (java.io.IOException e) {
                    // process gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            try (Pipeline b = new Pipeline(StreamingFixtures.routedModel(7), PipelineSettings.defaults(), new SimpleMeterRegistry(),
                    new SourcePolicy(Set.of("file"), List.of(dir)), null);
                 StreamAssignments assignB = new StreamAssignments(b, broker.bootstrapServers(), TOPIC, "em", "instance-b",
                         Duration.ofSeconds(6), Duration.ofSeconds(10)).start();
                 StreamDirectory directory = new StreamDirectory(broker.bootstrapServers(), TOPIC)) {
                for (String id : ids) directory.put(new StreamSpec(id, clip.toString(), null, null, true, true, false, false));

                // shared out: every stream runs on exactly one instance, and both instances have some
                await(() -> {
                    Set<String> onB = running(b);
                    Set<String> all = new TreeSet<>(onB);
                    all.addAll(onA.get());
                    return all.equals(new TreeSet<>(ids)) && onB.size() + onA.get().size() == ids.size() && !onB.isEmpty() && !onA.get().isEmpty();
                }, 60, () -> "A " + onA.get() + ", B " + running(b));
                Set<String> moved = Set.copyOf(onA.get());

                a.destroyForcibly().waitFor();
                long killed = System.nanoTime();
                await(() -> running(b).equals(new TreeSet<>(ids)), 45, () -> "B " + running(b));
                double seconds = (System.nanoTime() - killed) / 1e9;
                System.out.printf("streams %s moved to the survivor %.1f s after the kill%n", moved, seconds);
                assertTrue(seconds <= 30, "failover took " + seconds + " s");

                // removal through the directory stops the stream wherever it runs
                directory.remove(ids.get(0));
                await(() -> b.stream(ids.get(0)).isEmpty(), 20, () -> "B " + running(b));
                assertEquals(ids.size() - 1, running(b).size());
            } finally {
                a.destroyForcibly();
            }
        }
    }

    private static Set<String> running(Pipeline p) {
        Set<String> out = new TreeSet<>();
        for (StreamContext s : p.streams()) if (s.state() == StreamState.RUNNING && s.processedCount() > 0) out.add(s.id());
        return out;
    }

    /** Four stream ids whose keys land on four different partitions (Kafka's default partitioner: murmur2). */
    private static List<String> idsCoveringEveryPartition() {
        List<String> ids = new ArrayList<>();
        boolean[] used = new boolean[PARTITIONS];
        for (int i = 0; ids.size() < PARTITIONS; i++) {
            String id = "or-" + i;
            int part = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (!used[part]) {
                used[part] = true;
                ids.add(id);
            }
        }
        return ids;
    }

    private static void await(BooleanSupplier c, int seconds, java.util.function.Supplier<String> state) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out; " + state.get());
            Thread.sleep(100);
        }
    }
}
