package ai.emadaptive.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.support.KafkaBroker;
import ai.emadaptive.support.MediaProfile;
import ai.emadaptive.support.StreamingFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The service on a real Kafka broker (a KRaft broker process from Kafka's own jars), in scale-out mode: the API
 * publishes streams to the control topic and this instance, owning every partition, starts and stops them; with
 * the result channel's connector set to smallrye-kafka, every processed frame's event lands on the results topic
 * while the in-process consumer keeps working.
 */
@QuarkusTest
@TestProfile(KafkaServiceTest.ToKafka.class)
class KafkaServiceTest {
    static final String TOPIC = "frame-results";

    public static class ToKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new MediaProfile().getConfigOverrides();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Broker.class));
        }
    }

    /** Starts the broker before the service, and points the result channel at it. */
    public static class Broker implements QuarkusTestResourceLifecycleManager {
        static KafkaBroker broker;

        @Override
        public Map<String, String> start() {
            if (!KafkaBroker.available()) return Map.of(); // the test itself is skipped
            try {
                broker = KafkaBroker.start(Files.createTempDirectory("kafka"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> m = new HashMap<>();
            m.put("kafka.bootstrap.servers", broker.bootstrapServers());
            m.put("mp.messaging.outgoing.frame-results.connector", "smallrye-kafka");
            m.put("mp.messaging.outgoing.frame-results.topic", TOPIC);
            m.put(
                    "mp.messaging.outgoing.frame-results.value.serializer",
                    "io.quarkus.kafka.client.serialization.ObjectMapperSerializer");
            m.put("emadaptive.scale-out.enabled", "true");
            m.put("emadaptive.scale-out.session-timeout-ms", "6000");
            return m;
        }

        @Override
        public void stop() {
            try {
                if (broker != null) broker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void streamsThroughTheDirectoryAndResultsOnTheTopic() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                KafkaBroker.available(), "Kafka jars not in target/kafka-broker (.ci/run copies them)");
        int frames = StreamingFixtures.countFrames(MediaProfile.CLIP);
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"kafka\",\"url\":\"" + MediaProfile.CLIP + "\",\"realtime\":false}")
                .post("/api/streams")
                .then()
                .statusCode(202);
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"evil\",\"url\":\"/etc/passwd\"}")
                .post("/api/streams")
                .then()
                .statusCode(400);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "results-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<Long, Integer> seen = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < frames && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode e = json.readTree(r.value());
                    if (e.get("stream").asText().equals("kafka"))
                        seen.merge(e.get("frame").asLong(), 1, Integer::sum);
                }
            }
        }
        assertEquals(frames, seen.size(), "one event per processed frame on the topic");
        long duplicates = seen.values().stream().filter(n -> n > 1).count();
        assertEquals(0, duplicates, "no duplicates in a run without failures");
        int logged = given().get("/api/streams/kafka/results?limit=300")
                .then()
                .extract()
                .jsonPath()
                .getList("$")
                .size();
        assertEquals(frames, logged, "the in-process consumer still gets every event");
        assertTrue(given().get("/q/health/ready").then().extract().statusCode() == 200);

        // removal goes through the directory too
        given().header("X-API-Key", MediaProfile.TOKEN)
                .delete("/api/streams/kafka")
                .then()
                .statusCode(202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/api/streams/kafka").then().extract().statusCode() == 404);
    }
}
