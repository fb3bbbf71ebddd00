package ai.emadaptive.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.output.FrameResult;
import ai.emadaptive.service.Channels;
import ai.emadaptive.support.MediaProfile;
import ai.emadaptive.support.StreamingFixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The result channel attached to a connector by configuration alone (here the in-memory connector standing in for
 * Kafka, as `mp.messaging.outgoing.frame-results.connector=smallrye-kafka` would): every processed frame's event
 * reaches the connector, and the in-process consumer behind the REST API still gets them too.
 */
@QuarkusTest
@TestProfile(ResultChannelTest.ToConnector.class)
class ResultChannelTest {

    public static class ToConnector implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new MediaProfile().getConfigOverrides();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InMemoryResults.class));
        }
    }

    public static class InMemoryResults implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return InMemoryConnector.switchOutgoingChannelsToInMemory(Channels.FRAME_RESULTS);
        }

        @Override
        public void stop() {
            InMemoryConnector.clear();
        }
    }

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void everyFrameReachesTheConnectorAndTheInProcessLog() throws Exception {
        InMemorySink<FrameResult> sink = connector.sink(Channels.FRAME_RESULTS);
        int frames = StreamingFixtures.countFrames(MediaProfile.CLIP);
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"events\",\"url\":\"" + MediaProfile.CLIP + "\",\"realtime\":false}")
                .post("/api/streams")
                .then()
                .statusCode(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= frames);
        List<FrameResult> received = sink.received().stream()
                .map(m -> m.getPayload())
                .filter(r -> r.stream().equals("events"))
                .toList();
        assertEquals(frames, received.size(), "one event per processed frame");
        for (int i = 0; i < frames; i++) assertEquals(i, received.get(i).frame(), "in frame order");
        assertTrue(received.stream()
                .allMatch(r -> r.exit() >= 1 && r.exit() <= 4 && r.model().equals("default")));
        int logged = given().get("/api/streams/events/results?limit=300")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$")
                .size();
        assertEquals(frames, logged, "the in-process consumer still receives every event");
    }
}
