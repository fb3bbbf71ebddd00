package ai.emadaptive.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.support.HeadlessChromium;
import ai.emadaptive.support.MediaProfile;
import ai.emadaptive.support.StreamApi;
import ai.emadaptive.support.StreamingFixtures;
import ai.emadaptive.support.ToolFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on a multi-label tool model: status, result events and metrics over HTTP as clients see them. */
@QuarkusTest
@TestProfile(MediaProfile.class)
class ToolServiceTest {
    @Test
    void statusEventsAndMetricsCarryTheTools() throws Exception {
        int frames = StreamingFixtures.countFrames(MediaProfile.TOOL_CLIP);
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"tools\",\"model\":\"tools\",\"url\":\"" + MediaProfile.TOOL_CLIP
                        + "\",\"realtime\":false}")
                .post("/api/streams")
                .then()
                .statusCode(201);
        JsonPath s = StreamApi.awaitStatus(
                "tools",
                Duration.ofSeconds(60),
                j -> j.getString("state").equals("ENDED") && j.getLong("processed") + j.getLong("dropped") == frames);
        assertEquals("ENDED", s.getString("state"), s.prettify());
        assertEquals(0, s.getLong("dropped"));
        // status: the latest frame's tools; every frame is {grasper, clipper}, the truth is that on even frames only
        assertEquals(List.of("grasper", "clipper"), s.getList("tools.name"));
        assertEquals(ToolFixtures.probability(0), s.getFloat("tools[0].probability"), 1e-6);
        int even = (frames + 1) / 2;
        assertEquals((double) even / frames, s.getDouble("accuracy"), 1e-6, "exact match");
        assertEquals(
                (double) (4 * even + 3 * (frames - even)) / (4 * frames),
                s.getDouble("toolAccuracy"),
                1e-6,
                "per tool");

        // result events as JSON
        JsonPath events = given().get("/api/streams/tools/results?limit=300")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(frames, events.getList("$").size());
        assertEquals(List.of("grasper", "clipper"), events.getList("[0].tools.name"));
        assertEquals(ToolFixtures.probability(2), events.getFloat("[0].tools[1].probability"), 1e-6);
        assertEquals(List.of("grasper", "clipper"), events.getList("[0].truthTools"));
        assertEquals(List.of("grasper"), events.getList("[1].truthTools"));

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(
                frames,
                value(metrics, "emadaptive_tool_present_frames_total", "stream=\"tools\"", "tool=\"grasper\""),
                1e-9);
        assertEquals(
                0, value(metrics, "emadaptive_tool_present_frames_total", "stream=\"tools\"", "tool=\"hook\""), 1e-9);
        assertEquals(
                s.getDouble("toolAccuracy"),
                value(metrics, "emadaptive_stream_tool_accuracy_ratio", "stream=\"tools\""),
                1e-9);
        assertTrue(
                given().get("/").then().statusCode(200).extract().asString().contains("class=\"tools\""),
                "the page has the tools line");
        given().header("X-API-Key", MediaProfile.TOKEN)
                .delete("/api/streams/tools")
                .then()
                .statusCode(204);
    }

    @Test
    void theWebPageShowsEveryPresentToolWithItsProbability(@TempDir Path tmp) throws Exception {
        assumeTrue(HeadlessChromium.available(), "Debian's chromium is not installed (.ci/run installs it)");
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"page\",\"model\":\"tools\",\"url\":\"" + MediaProfile.TOOL_CLIP + "\",\"loop\":true}")
                .post("/api/streams")
                .then()
                .statusCode(201);
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> given().get("/api/streams/page")
                                    .then()
                                    .extract()
                                    .jsonPath()
                                    .get("tools")
                            != null);
            String dom = new HeadlessChromium(tmp).dumpDom("http://127.0.0.1:" + RestAssured.port + "/");
            String grasper = String.format(java.util.Locale.ROOT, "grasper %.0f%%", 100 * ToolFixtures.probability(0));
            String clipper = String.format(java.util.Locale.ROOT, "clipper %.0f%%", 100 * ToolFixtures.probability(2));
            assertTrue(
                    dom.contains(
                            "<span class=\"tool\">" + grasper + "</span><span class=\"tool\">" + clipper + "</span>"),
                    "the stream's card lists both present tools with their probabilities: " + dom);
            assertFalse(dom.contains(">hook "), "and no tool below its threshold");
        } finally {
            given().header("X-API-Key", MediaProfile.TOKEN)
                    .delete("/api/streams/page")
                    .then()
                    .statusCode(204);
        }
    }

    private static double value(String metrics, String name, String... labels) {
        Matcher m = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        while (m.find()) {
            String have = m.group(1);
            if (java.util.Arrays.stream(labels).allMatch(have::contains)) return Double.parseDouble(m.group(2));
        }
        throw new AssertionError("no " + name + " " + List.of(labels));
    }
}
