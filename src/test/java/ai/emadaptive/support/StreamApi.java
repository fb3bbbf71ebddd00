package ai.emadaptive.support;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A stream's status as an API client reads it, for the service tests. */
public final class StreamApi {
    private StreamApi() {}

    /** {@code GET /api/streams/{id}}, which must answer 200. */
    public static JsonPath status(String id) {
        return given().get("/api/streams/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Polls the stream's status until {@code done} holds, for at most {@code atMost}; returns that status. */
    public static JsonPath awaitStatus(String id, Duration atMost, Predicate<JsonPath> done) {
        return Awaitility.await("stream " + id + " reaching the expected state")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> status(id), done);
    }
}
