package ai.emadaptive.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.output.OverlayRenderer;
import ai.emadaptive.support.MediaProfile;
import ai.emadaptive.support.StreamApi;
import ai.emadaptive.support.StreamingFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;

/**
 * The service end to end on real encoded video: streams added over the API are decoded by FFmpeg, routed through
 * the engine, overlaid, recorded, counted in Prometheus metrics and published as result events; writes need the
 * token; bad sources fail cleanly while other streams keep running.
 */
@QuarkusTest
@TestProfile(MediaProfile.class)
class StreamingServiceTest {
    static final String TOKEN = MediaProfile.TOKEN;

    /** Shorthand for the shared profile's media. */
    static final class Media {
        static final Path DIR = MediaProfile.DIR;
        static final Path CLIP = MediaProfile.CLIP;
    }

    @Test
    void aClipFlowsThroughToEventsMetricsAndRecording() throws Exception {
        int frames = StreamingFixtures.countFrames(Media.CLIP);
        add("{\"id\":\"clip\",\"url\":\"" + Media.CLIP + "\",\"realtime\":false,\"record\":true}")
                .then()
                .statusCode(201)
                .body("id", equalTo("clip"));
        JsonPath s = await("clip", st -> st.getString("state").equals("ENDED"));
        assertEquals(frames, s.getLong("decoded"), "every frame decoded");
        assertEquals(frames, s.getLong("processed"), "replay as fast as possible drops nothing");
        assertEquals(0, s.getLong("dropped"));
        assertTrue(s.getDouble("accuracy") >= 0 && s.getDouble("accuracy") <= 1, "live accuracy from the sidecar");

        // result events (the channel's in-process consumer keeps them)
        List<Map<String, Object>> events = given().get("/api/streams/clip/results?limit=300")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertEquals(frames, events.size());
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = events.get(i);
            assertEquals(i, ((Number) e.get("frame")).intValue());
            int exit = ((Number) e.get("exit")).intValue();
            assertTrue(exit >= 1 && exit <= 4);
            assertTrue(((Number) e.get("cost")).doubleValue() > 0 && ((Number) e.get("cost")).doubleValue() <= 1.01);
            assertTrue(e.get("truth") != null && e.get("label") != null);
            assertTrue(((Number) e.get("latencyMs")).doubleValue() > 0);
        }

        // metrics: the per-exit counters add up to the frames processed
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(frames, sum(metrics, "emadaptive_frames_total", "stream=\"clip\""), 1e-9);
        assertEquals(
                frames,
                sum(metrics, "emadaptive_frame_latency_seconds_count", "stream=\"clip\"", "stage=\"end_to_end\""),
                1e-9);
        assertTrue(metrics.contains("emadaptive_frame_latency_seconds_bucket"), "latency histogram buckets");
        assertTrue(metrics.contains("emadaptive_inference_batch_size_frames_count"));

        // the recording: decodable, one frame per processed frame, overlay drawn where the panel is
        Path recording = Path.of(s.getString("recording"));
        assertEquals(frames, StreamingFixtures.countFrames(recording));
        int[] size = new int[2];
        byte[] original = StreamingFixtures.firstFrame(Media.CLIP, size);
        byte[] overlaid = StreamingFixtures.firstFrame(recording, size);
        int[] p = OverlayRenderer.panel(size[0], size[1]);
        double inPanel = StreamingFixtures.meanAbsDiff(original, overlaid, size[0], p[0], p[1], p[2], p[3]);
        double below = StreamingFixtures.meanAbsDiff(original, overlaid, size[0], 0, size[1] / 2, size[0], size[1] / 2);
        assertTrue(inPanel > 25, "overlay panel drawn: mean difference " + inPanel);
        assertTrue(below < 10, "rest of the frame kept: mean difference " + below);

        given().header("Authorization", "Bearer " + TOKEN)
                .delete("/api/streams/clip")
                .then()
                .statusCode(204);
        given().get("/api/streams/clip").then().statusCode(404);
        String after = given().get("/q/metrics").then().extract().asString();
        assertFalse(after.contains("stream=\"clip\""), "a removed stream's meters go with it");
    }

    @Test
    void writesNeedTheToken() {
        String body = "{\"id\":\"nope\",\"url\":\"" + Media.CLIP + "\"}";
        given().contentType("application/json")
                .body(body)
                .post("/api/streams")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error", containsString("missing token"));
        given().contentType("application/json")
                .header("Authorization", "Bearer wrong")
                .body(body)
                .post("/api/streams")
                .then()
                .statusCode(401)
                .body("error", containsString("invalid token"));
        given().contentType("application/json")
                .body("{\"lambda\":2}")
                .put("/api/streams/nope/lambda")
                .then()
                .statusCode(401);
        given().delete("/api/streams/nope").then().statusCode(401);
        given().get("/api/streams").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/streams/{id}/lambda"));
    }

    @Test
    void lambdaChangesAtRuntime() {
        add("{\"id\":\"tune\",\"url\":\"" + Media.CLIP + "\",\"loop\":true}")
                .then()
                .statusCode(201)
                .body("lambda", equalTo(1.0f));
        await("tune", st -> st.getLong("processed") > 5);
        given().contentType("application/json")
                .header("X-API-Key", TOKEN)
                .body("{\"lambda\":3.5}")
                .put("/api/streams/tune/lambda")
                .then()
                .statusCode(200)
                .body("lambda", equalTo(3.5f));
        given().get("/api/streams/tune/lambda").then().statusCode(200).body("lambda", equalTo(3.5f));
        given().contentType("application/json")
                .header("X-API-Key", TOKEN)
                .body("{\"lambda\":1e400}")
                .put("/api/streams/tune/lambda")
                .then()
                .statusCode(400)
                .body("error", containsString("finite"));
        // frames after the change run at the new lambda
        org.awaitility.Awaitility.await("frames at the new lambda")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> given().get("/api/streams/tune/results?limit=5")
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("lambda", Float.class),
                        l -> !l.isEmpty() && l.get(l.size() - 1) == 3.5f);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("emadaptive_lambda{stream=\"tune\"} 3.5"), "lambda gauge");
        given().header("Authorization", "Bearer " + TOKEN)
                .delete("/api/streams/tune")
                .then()
                .statusCode(204);
    }

    @Test
    void aRefusedUpdateChangesNothing() {
        add("{\"id\":\"strict\",\"url\":\"" + Media.CLIP + "\",\"loop\":true}")
                .then()
                .statusCode(201);
        java.util.function.Consumer<String> refused = body -> given().contentType("application/json")
                .header("X-API-Key", TOKEN)
                .body(body)
                .put("/api/streams/strict/lambda")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.notNullValue());
        refused.accept("{\"lambda\":3,\"pinnedExit\":5}");
        refused.accept("{\"mode\":\"adaptive\",\"pinnedExit\":9}");
        refused.accept("{\"lambda\":1e400}");
        refused.accept("{\"mode\":\"sometimes\",\"lambda\":2}");
        given().get("/api/streams/strict/lambda")
                .then()
                .statusCode(200)
                .body("lambda", equalTo(1.0f))
                .body("mode", equalTo("fixed"))
                .body("pinnedExit", equalTo(0));
        // malformed JSON and a malformed limit say what is wrong
        given().contentType("application/json")
                .header("X-API-Key", TOKEN)
                .body("{\"lambda\": ")
                .put("/api/streams/strict/lambda")
                .then()
                .statusCode(400)
                .body("error", containsString("JSON"));
        given().get("/api/streams/strict/results?limit=abc")
                .then()
                .statusCode(400)
                .body("error", containsString("limit"));
        given().header("X-API-Key", TOKEN).delete("/api/streams/strict").then().statusCode(204);
    }

    @Test
    void thePageAndTheApiSendSecurityHeaders() {
        for (String path : List.of("/", "/api/streams")) {
            given().get(path)
                    .then()
                    .statusCode(200)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", containsString("default-src 'self'"));
        }
    }

    @Test
    void eachStreamRunsTheModelItNames() {
        add("{\"id\":\"other\",\"url\":\"" + Media.CLIP + "\",\"model\":\"second\",\"realtime\":false}")
                .then()
                .statusCode(201)
                .body("model", equalTo("second"));
        await("other", st -> st.getString("state").equals("ENDED"));
        List<String> models = given().get("/api/streams/other/results?limit=10")
                .then()
                .extract()
                .jsonPath()
                .getList("model", String.class);
        assertEquals(List.of("second"), models.stream().distinct().toList());
        add("{\"id\":\"nomodel\",\"url\":\"" + Media.CLIP + "\",\"model\":\"missing\"}")
                .then()
                .statusCode(400)
                .body("error", containsString("unknown model 'missing'"));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'model' }.data.'model.second'", containsString("width 8"));
        given().header("X-API-Key", TOKEN).delete("/api/streams/other").then().statusCode(204);
    }

    @Test
    void badSourcesFailCleanlyWhileOtherStreamsRun() throws Exception {
        add("{\"id\":\"good\",\"url\":\"" + Media.CLIP + "\",\"loop\":true}")
                .then()
                .statusCode(201);
        await("good", st -> st.getLong("processed") > 3);

        // refused before anything opens
        add("{\"id\":\"missing\",\"url\":\"" + Media.DIR.resolve("nothing.mp4") + "\"}")
                .then()
                .statusCode(400)
                .body("error", containsString("not found"));
        add("{\"id\":\"escape\",\"url\":\"" + Media.DIR.resolve("../../etc/passwd") + "\"}")
                .then()
                .statusCode(400)
                .body("error", containsString("outside the allowed folders"));
        add("{\"id\":\"ftp\",\"url\":\"ftp://example.org/a.mp4\"}")
                .then()
                .statusCode(400)
                .body("error", containsString("not allowed"));
        // the service's own port (its MJPEG, its metrics), link-local metadata, a host outside the list, a name that
        // does
        // not resolve: refused alike, without a word on what lies behind the address
        String refused = "is not an allowed source host (emadaptive.sources.allowed-hosts)";
        for (String url : List.of(
                "http://op:s3cret@127.0.0.1:" + io.restassured.RestAssured.port + "/api/streams/good/mjpeg",
                "http://169.254.169.254/latest/meta-data/",
                "rtsp://10.0.0.1:554/or",
                "rtsp://no-such-camera.invalid/or")) {
            add("{\"id\":\"host\",\"url\":\"" + url + "\"}")
                    .then()
                    .statusCode(400)
                    .body("error", containsString(refused))
                    .body("error", not(containsString("s3cret")));
        }
        add("{\"id\":\"good\",\"url\":\"" + Media.CLIP + "\"}").then().statusCode(409);

        // accepted, then failing with a clear error in the status
        byte[] junk = new byte[50_000];
        new java.util.Random(1).nextBytes(junk);
        Path corrupt = Files.write(Media.DIR.resolve("corrupt.mp4"), junk);
        Path text = Files.writeString(Media.DIR.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        Path codec = StreamingFixtures.unknownCodec(Media.CLIP, Media.DIR.resolve("codec.mp4"));
        Path tiny = StreamingFixtures.plainClip(
                Media.DIR.resolve("tiny.avi"),
                "avi",
                StreamingFixtures.mjpegCodec(),
                avutil.AV_PIX_FMT_YUVJ420P,
                8,
                8,
                5);
        Map<String, String> expected = Map.of(
                "corrupt",
                corrupt.toString(),
                "notvideo",
                text.toString(),
                "codec",
                codec.toString(),
                "tiny",
                tiny.toString(),
                "unreachable",
                "http://op:s3cret@127.0.0.1:9/live.ts?token=t0k3n");
        for (var e : expected.entrySet())
            add("{\"id\":\"" + e.getKey() + "\",\"url\":\"" + e.getValue() + "\"}")
                    .then()
                    .statusCode(201);
        assertTrue(error("corrupt").contains("cannot open"), error("corrupt"));
        assertTrue(error("notvideo").contains("cannot open"), error("notvideo"));
        String codecError = error("codec");
        assertTrue(codecError.toLowerCase().contains("codec") || codecError.contains("no video stream"), codecError);
        assertTrue(error("tiny").contains("unsupported resolution 8x8"), error("tiny"));
        assertTrue(error("unreachable").contains("gave up after 1 reconnects"), error("unreachable"));

        String metrics = given().get("/q/metrics").then().extract().asString();
        for (String id : expected.keySet())
            assertTrue(metrics.contains("emadaptive_stream_up{stream=\"" + id + "\"} 0.0"), id + " is down in metrics");
        assertTrue(metrics.contains("emadaptive_stream_up{stream=\"good\"} 1.0"));

        // the good stream never stopped
        long before =
                given().get("/api/streams/good").then().extract().jsonPath().getLong("processed");
        await(
                "good",
                st -> st.getLong("processed") > before + 5
                        && st.getString("state").equals("RUNNING"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'streams' }.data.tiny", containsString("FAILED"));
        // the credentials in a source URL are used, never shown
        String everything = given().get("/api/streams").then().extract().asString()
                + given().get("/api/streams/unreachable").then().extract().asString()
                + given().get("/q/health/ready").then().extract().asString()
                + given().get("/q/metrics").then().extract().asString();
        assertTrue(everything.contains("http://***@127.0.0.1:9/live.ts?token=***"), everything);
        assertTrue(!everything.contains("s3cret") && !everything.contains("t0k3n"), "no secret in any answer");
        for (String id : expected.keySet())
            given().header("X-API-Key", TOKEN)
                    .delete("/api/streams/" + id)
                    .then()
                    .statusCode(204);
        given().header("X-API-Key", TOKEN).delete("/api/streams/good").then().statusCode(204);
    }

    private static String error(String id) {
        JsonPath s = await(id, st -> st.getString("state").equals("FAILED"));
        return s.getString("lastError");
    }

    private static io.restassured.response.Response add(String json) {
        return given().contentType("application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .body(json)
                .post("/api/streams");
    }

    private static JsonPath await(String id, Predicate<JsonPath> done) {
        return StreamApi.awaitStatus(id, Duration.ofSeconds(60), done);
    }

    /** Sum of a Prometheus series over the samples carrying every given label. */
    private static double sum(String metrics, String name, String... labels) {
        Matcher m = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        double total = 0;
        while (m.find()) {
            String have = m.group(1);
            if (java.util.Arrays.stream(labels).allMatch(have::contains)) total += Double.parseDouble(m.group(2));
        }
        return total;
    }
}
