package ai.emadaptive.scaleout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.KafkaBroker;
import ai.emadaptive.support.ResultProducer;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
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
        // long enough that A's streams still run when it is killed (a stream that stays on B may end before the
        // failover is over: it still counts as B's); not looping, so frame numbers are unique per run
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 10.0, 320, 240, 3);
        int clipFrames = StreamingFixtures.countFrames(clip);
        Path model = StreamingFixtures.writeRoutedModel(dir.resolve("model.zip"));
        List<String> ids = idsCoveringEveryPartition();
        try (KafkaBroker broker = KafkaBroker.start(java.nio.file.Files.createDirectories(dir.resolve("kafka")))) {
            StreamDirectory.ensureTopic(broker.bootstrapServers(), TOPIC, PARTITIONS);
            StreamDirectory.ensureTopic(broker.bootstrapServers(), TOPIC, PARTITIONS); // exists: no error
            String javaBin =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process a = new ProcessBuilder(
                            javaBin,
                            "-Xmx1g",
                            "-cp",
                            System.getProperty("java.class.path"),
                            ScaleOutInstance.class.getName(),
                            broker.bootstrapServers(),
                            TOPIC,
                            "em",
                            model.toString(),
                            dir.toString(),
                            RESULTS)
                    .redirectErrorStream(true)
                    .start();
            AtomicReference<Set<String>> onA = new AtomicReference<>(Set.of());
            Map<String, Long> ackedOnA = new java.util.concurrent.ConcurrentHashMap<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("acked:")) {
                            for (String kv : line.substring(6).split(",")) {
                                if (kv.contains("="))
                                    ackedOnA.put(
                                            kv.substring(0, kv.indexOf('=')),
                                            Long.parseLong(kv.substring(kv.indexOf('=') + 1)));
                            }
                        }
                        if (line.startsWith("running:"))
                            onA.set(new TreeSet<>(List.of(line.substring(8).split(",", -1)))
                                    .stream().filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toSet()));
                    }
                } catch (java.io.IOException e) {
                    // process gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            try (ResultProducer resultsB = new ResultProducer(broker.bootstrapServers(), RESULTS, "instance-b");
                    Pipeline b = new Pipeline(
                            StreamingFixtures.routedModel(7),
                            PipelineSettings.defaults(),
                            new SimpleMeterRegistry(),
                            new SourcePolicy(Set.of("file"), List.of(dir)),
                            resultsB);
                    StreamAssignments assignB = new StreamAssignments(
                                    b,
                                    broker.bootstrapServers(),
                                    TOPIC,
                                    "em",
                                    "instance-b",
                                    Duration.ofSeconds(6),
                                    Duration.ofSeconds(10))
                            .start();
                    StreamDirectory directory = new StreamDirectory(broker.bootstrapServers(), TOPIC)) {
                for (String id : ids) directory.put(StreamSpec.of(id, clip.toString()));

                // shared out: every stream runs on exactly one instance, and both instances have some
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Set<String> onB = on(b);
                    Set<String> all = new TreeSet<>(onB);
                    all.addAll(onA.get());
                    return all.equals(new TreeSet<>(ids))
                            && onB.size() + onA.get().size() == ids.size()
                            && !onB.isEmpty()
                            && !onA.get().isEmpty();
                });
                Set<String> moved = Set.copyOf(onA.get());

                Thread.sleep(1000); // let A process and publish for a while
                Map<String, Long> ackedBeforeKill = Map.copyOf(ackedOnA);
                a.destroyForcibly().waitFor();
                long killed = System.nanoTime();
                await().atMost(Duration.ofSeconds(45))
                        .untilAsserted(() -> assertTrue(
                                on(b).equals(new TreeSet<>(ids)) && running(b).containsAll(moved),
                                () -> "B " + on(b) + ", running " + running(b)));
                double seconds = (System.nanoTime() - killed) / 1e9;
                System.out.printf("streams %s moved to the survivor %.1f s after the kill%n", moved, seconds);
                assertTrue(seconds <= 30, "failover took " + seconds + " s");

                // at-least-once: once the moved streams have played to their end on B, every frame has an event, every
                // event A had acknowledged before it died is there, and frames both processed are counted as duplicates
                await().atMost(Duration.ofSeconds(40))
                        .untilAsserted(() -> assertTrue(
                                moved.stream()
                                        .allMatch(id -> b.stream(id)
                                                .map(s -> s.state() == StreamState.ENDED)
                                                .orElse(false)),
                                () -> "B " + running(b)));
                resultsB.close();
                Map<String, Map<String, Set<Long>>> events =
                        readResults(broker.bootstrapServers()); // stream -> instance -> frames
                long duplicates = 0;
                for (String id : moved) {
                    Set<Long> fromA = events.getOrDefault(id, Map.of()).getOrDefault("instance-a", Set.of());
                    Set<Long> fromB = events.getOrDefault(id, Map.of()).getOrDefault("instance-b", Set.of());
                    assertTrue(
                            fromA.size() >= ackedBeforeKill.getOrDefault(id, 0L),
                            id + ": events A had acknowledged are on the topic");
                    assertTrue(
                            ackedBeforeKill.getOrDefault(id, 0L) > 0,
                            id + ": A had published some events before it died");
                    Set<Long> all = new TreeSet<>(fromA);
                    all.addAll(fromB);
                    assertEquals(clipFrames, all.size(), id + ": an event for every frame of the clip");
                    Set<Long> both = new TreeSet<>(fromA);
                    both.retainAll(fromB);
                    duplicates += both.size();
                }
                System.out.printf(
                        "at-least-once across the failover: %d duplicate frame events (processed by both instances) reported%n",
                        duplicates);

                // removal through the directory stops the stream wherever it runs
                directory.remove(ids.get(0));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertTrue(b.stream(ids.get(0)).isEmpty(), () -> "B " + running(b)));
            } finally {
                a.destroyForcibly();
            }
        }
    }

    static final String RESULTS = "frame-results";

    /** Every event on the results topic: stream -> instance -> frame numbers. */
    private static Map<String, Map<String, Set<Long>>> readResults(String bootstrap) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "verify");
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(
                org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        p.put(
                org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        Map<String, Map<String, Set<Long>>> out = new java.util.HashMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(p)) {
            c.subscribe(List.of(RESULTS));
            int empty = 0;
            while (empty < 6) {
                var records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) empty++;
                else empty = 0;
                for (var r : records) {
                    var e = json.readTree(r.value());
                    out.computeIfAbsent(e.get("stream").asText(), k -> new java.util.HashMap<>())
                            .computeIfAbsent(e.get("instance").asText(), k -> new TreeSet<>())
                            .add(e.get("frame").asLong());
                }
            }
        }
        return out;
    }

    /** The streams an instance has taken on: running, or played to their end. */
    private static Set<String> on(Pipeline p) {
        Set<String> out = new TreeSet<>();
        for (StreamContext s : p.streams())
            if ((s.state() == StreamState.RUNNING || s.state() == StreamState.ENDED) && s.processedCount() > 0)
                out.add(s.id());
        return out;
    }

    private static Set<String> running(Pipeline p) {
        Set<String> out = new TreeSet<>();
        for (StreamContext s : p.streams())
            if (s.state() == StreamState.RUNNING && s.processedCount() > 0) out.add(s.id());
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
}
