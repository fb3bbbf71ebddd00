package ai.emadaptive.ops;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.support.Executables;
import ai.emadaptive.support.MediaProfile;
import ai.emadaptive.support.PrometheusServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations files against the running service: every metric the Grafana dashboard and the alert rules name
 * is exported; promtool accepts the Prometheus config and rules; a real Prometheus (Debian's package, which
 * {@code .ci/run} installs) scrapes the service, loads the rules and answers the exit-mix query.
 */
@QuarkusTest
@TestProfile(MediaProfile.class)
class OpsIntegrationTest {
    private static final Path DASHBOARD = Path.of("deploy/grafana/em-adaptive-dashboard.json");
    private static final Path RULES = Path.of("deploy/prometheus/em-adaptive-rules.yml");
    private static final Path CONFIG = Path.of("deploy/prometheus/prometheus.yml");
    private static final Pattern METRIC = Pattern.compile("emadaptive_[a-z0-9_]+");

    @TempDir
    Path tmp;

    @Test
    void everyMetricInTheDashboardAndRulesIsExported() throws Exception {
        startStream("ops-names");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/api/streams/ops-names")
                                .then()
                                .extract()
                                .jsonPath()
                                .getLong("processed")
                        > 5);
        Set<String> exported = new TreeSet<>();
        for (String line : given().get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            exported.add(line.substring(0, end));
        }
        List<String> expressions = new ArrayList<>();
        for (JsonNode p : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            for (JsonNode t : p.get("targets")) expressions.add(t.get("expr").asText());
        }
        assertTrue(expressions.size() >= 9, "dashboard panels");
        for (String line : Files.readAllLines(RULES))
            if (line.trim().startsWith("expr:")) expressions.add(line.trim().substring(5));
        Set<String> named = new TreeSet<>();
        for (String e : expressions) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) named.add(m.group());
        }
        assertTrue(named.size() >= 10, "metrics named: " + named);
        for (String n : named)
            assertTrue(
                    exported.contains(n),
                    n + " is named in deploy/ but the service does not export it; exported: " + exported);
        deleteStream("ops-names");
    }

    @Test
    void promtoolAcceptsTheConfigAndRules() throws Exception {
        assumeTrue(
                Executables.onPath("promtool"), "Debian's prometheus package is not installed (.ci/run installs it)");
        Path dir = Files.createDirectories(tmp.resolve("promtool"));
        Files.copy(CONFIG, dir.resolve("prometheus.yml"));
        Files.copy(RULES, dir.resolve("em-adaptive-rules.yml"));
        assertEquals(
                0,
                run("promtool", "check", "config", dir.resolve("prometheus.yml").toString()));
        assertEquals(
                0,
                run(
                        "promtool",
                        "check",
                        "rules",
                        dir.resolve("em-adaptive-rules.yml").toString()));
    }

    @Test
    void aRealPrometheusScrapesTheServiceAndAnswersTheExitMixQuery() throws Exception {
        String why = PrometheusServer.unavailable();
        assumeTrue(why == null, why);
        startStream("prom");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createDirectories(tmp.resolve("prom"));
        Files.copy(RULES, dir.resolve("em-adaptive-rules.yml"));
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [em-adaptive-rules.yml]
                scrape_configs:
                  - job_name: em-adaptive
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(RestAssured.port));
        PrometheusServer prom = PrometheusServer.start(dir, port);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String q = "sum by (exit) (emadaptive_frames_total{stream=\"prom\"})";
            // until Prometheus listens, has scraped, and every exit's series has counted frames
            JsonNode result = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(java.io.IOException.class)
                    .until(
                            () -> get(http, port, "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
                                    .get("data")
                                    .get("result"),
                            r -> r.size() == 4 && total(r) > 0);
            assertEquals(4, result.size(), "one exit-mix series per exit: " + result + "\n" + prom.log());
            JsonNode rules = get(http, port, "/api/v1/rules")
                    .get("data")
                    .get("groups")
                    .get(0)
                    .get("rules");
            assertEquals(5, rules.size(), "the alert rules loaded");
            for (JsonNode r : rules) assertEquals("ok", r.get("health").asText(), r.toString());
        } finally {
            prom.close();
            deleteStream("prom");
        }
    }

    private static double total(JsonNode series) {
        double total = 0;
        for (JsonNode s : series) total += s.get("value").get(1).asDouble();
        return total;
    }

    private static JsonNode get(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    private static void startStream(String id) {
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"" + id + "\",\"url\":\"" + MediaProfile.CLIP + "\",\"loop\":true,\"adaptive\":true}")
                .post("/api/streams")
                .then()
                .statusCode(201);
    }

    private static void deleteStream(String id) {
        given().header("X-API-Key", MediaProfile.TOKEN)
                .delete("/api/streams/" + id)
                .then()
                .statusCode(204);
    }

    private static int run(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
