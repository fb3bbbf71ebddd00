package ai.emadaptive.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.support.EmbeddedModelProfile;
import ai.emadaptive.support.HeadlessChromium;
import ai.emadaptive.support.MediaProfile;
import ai.emadaptive.support.StreamApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on its embedded default model, pointed at a blank scope: "uncertain" over HTTP, in metrics and on the page. */
@QuarkusTest
@TestProfile(EmbeddedModelProfile.class)
class UncertainServiceTest {
    private static JsonPath startAndWait(String id, boolean loop) throws InterruptedException {
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"" + id + "\",\"url\":\"" + EmbeddedModelProfile.BLANK_CLIP + "\",\"realtime\":" + loop
                        + ",\"loop\":" + loop + "}")
                .post("/api/streams")
                .then()
                .statusCode(201);
        return StreamApi.awaitStatus(
                id,
                Duration.ofSeconds(60),
                s -> loop
                        ? s.get("label") != null
                        : s.getString("state").equals("ENDED") && s.getLong("processed") == 45);
    }

    @Test
    void aBlankScopeIsUncertainInStatusEventsAndMetrics() throws Exception {
        JsonPath s = startAndWait("blank", false);
        assertEquals(45, s.getLong("processed"), s.prettify());
        assertTrue(s.getBoolean("uncertain"), "the latest frame is uncertain: " + s.prettify());
        JsonPath events = given().get("/api/streams/blank/results?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Boolean> flags = events.getList("uncertain", Boolean.class);
        assertEquals(45, flags.size());
        assertTrue(flags.stream().allMatch(f -> f), "every result event says uncertain");
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(
                java.util.regex.Pattern.compile(
                                "^emadaptive_uncertain_frames_total\\{stream=\"blank\",?\\} 45\\.0$",
                                java.util.regex.Pattern.MULTILINE)
                        .matcher(metrics)
                        .find(),
                metrics.lines().filter(l -> l.contains("uncertain")).toList().toString());
        given().header("X-API-Key", MediaProfile.TOKEN)
                .delete("/api/streams/blank")
                .then()
                .statusCode(204);
    }

    @Test
    void theWebPageSaysUncertainInsteadOfALabel(@TempDir Path tmp) throws Exception {
        assumeTrue(HeadlessChromium.available(), "Debian's chromium is not installed (.ci/run installs it)");
        startAndWait("page", true);
        try {
            String dom = new HeadlessChromium(tmp).dumpDom("http://127.0.0.1:" + RestAssured.port + "/");
            assertTrue(
                    dom.contains("<span class=\"tool uncertain\">uncertain</span>"),
                    "the stream's card says uncertain: " + dom);
            assertFalse(dom.contains("<span class=\"tool\">"), "and shows no label as an answer");
        } finally {
            given().header("X-API-Key", MediaProfile.TOKEN)
                    .delete("/api/streams/page")
                    .then()
                    .statusCode(204);
        }
    }
}
