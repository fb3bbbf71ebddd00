package ai.emadaptive.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.support.Containers;
import ai.emadaptive.support.StreamingFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The service's CPU image as an ops team runs it: started from docker/Dockerfile.jvm's image with a clip and a
 * recordings folder mounted, ready, serving a stream from the mounted clip, scraped, running as non-root, and
 * stopped by SIGTERM with its recording closed and playable.
 */
@Tag("container")
class ServiceImageTest {
    private static final String TOKEN = "image-test";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theImageServesAMountedClipAndStopsCleanlyOnSigterm(@TempDir Path tmp) throws Exception {
        Containers.assumeRunnable(Containers.SERVICE_IMAGE, "the service image test");
        Path clips = Files.createDirectories(tmp.resolve("clips"));
        StreamingFixtures.clip(clips.resolve("clip.mp4"), 4.0, 320, 240, 3);
        Path recordings = Files.createDirectories(tmp.resolve("recordings"));
        Files.setPosixFilePermissions(
                recordings, PosixFilePermissions.fromString("rwxrwxrwx")); // the image's user 1001 writes here
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (GenericContainer<?> c = Containers.onHostNetwork(Containers.SERVICE_IMAGE)
                .withEnv("QUARKUS_HTTP_PORT", String.valueOf(port))
                .withEnv("QUARKUS_HTTP_HOST", "127.0.0.1")
                .withEnv("EMADAPTIVE_API_TOKEN", TOKEN)
                .withEnv("EMADAPTIVE_SOURCES_ALLOWED_DIRS", "sample-videos,recordings,/clips")
                // plain binds: Testcontainers' own file-system binds first run a helper image it would pull from a
                // registry
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withBinds(
                                new Bind(clips.toString(), new Volume("/clips"), AccessMode.ro),
                                new Bind(recordings.toString(), new Volume("/app/recordings"), AccessMode.rw)))
                // on the host's network the image's EXPOSE 8080 is not where it listens: wait for Quarkus's own line
                .waitingFor(Wait.forLogMessage(".*Listening on: http://127\\.0\\.0\\.1:" + port + ".*", 1)
                        .withStartupTimeout(Duration.ofSeconds(120)))) {
            long started = System.nanoTime();
            c.start();
            System.out.printf("[image] container started %.1f s%n", (System.nanoTime() - started) / 1e9);
            JsonNode ready = awaitJson(
                    port, "/q/health/ready", r -> "UP".equals(r.path("status").asText()), Duration.ofSeconds(120), c);
            System.out.printf(
                    "[image] %s ready %.1f s after start%n",
                    Containers.SERVICE_IMAGE, (System.nanoTime() - started) / 1e9);
            assertEquals("UP", ready.path("status").asText());

            String uid = c.execInContainer("id", "-u").getStdout().trim();
            assertFalse(uid.isEmpty() || uid.equals("0"), "runs as non-root, uid " + uid);

            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(uri(port, "/api/streams"))
                            .header("X-API-Key", TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"id\":\"img\",\"url\":\"/clips/clip.mp4\",\"loop\":true,\"record\":true}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            JsonNode stream = awaitJson(
                    port, "/api/streams/img", r -> r.path("processed").asLong() >= 50, Duration.ofSeconds(60), c);
            assertEquals("RUNNING", stream.path("state").asText(), stream.toString());

            String metrics = http.send(
                            HttpRequest.newBuilder(uri(port, "/q/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(
                    metrics.lines()
                            .anyMatch(l -> l.startsWith("emadaptive_frames_total{") && l.contains("stream=\"img\"")),
                    "the stream's frame counter is exported");

            // SIGTERM, as `docker stop` and Kubernetes send it; the service closes streams and recordings itself
            var docker = DockerClientFactory.instance().client();
            long stopping = System.nanoTime();
            docker.stopContainerCmd(c.getContainerId()).withTimeout(30).exec();
            double stopSeconds = (System.nanoTime() - stopping) / 1e9;
            InspectContainerResponse.ContainerState state =
                    docker.inspectContainerCmd(c.getContainerId()).exec().getState();
            assertFalse(Boolean.TRUE.equals(state.getOOMKilled()));
            assertTrue(
                    stopSeconds < 25 && state.getExitCodeLong() != 137,
                    "stopped by SIGTERM, not killed after the grace period: " + stopSeconds + " s, exit "
                            + state.getExitCodeLong() + "\n" + c.getLogs());
            System.out.printf(
                    "[image] stopped %.1f s after SIGTERM, exit code %d%n", stopSeconds, state.getExitCodeLong());

            List<Path> mp4;
            try (var files = Files.walk(recordings)) {
                mp4 = files.filter(f -> f.toString().endsWith(".mp4")).toList();
            }
            assertEquals(1, mp4.size(), "one recording: " + mp4);
            int frames = StreamingFixtures.countFrames(mp4.get(0));
            assertTrue(frames >= 50, "the recording closed and plays: " + frames + " frames");
        }
    }

    private JsonNode awaitJson(
            int port, String path, java.util.function.Predicate<JsonNode> done, Duration limit, GenericContainer<?> c)
            throws Exception {
        return await().atMost(limit)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(java.io.IOException.class) // not listening yet
                .until(
                        () -> {
                            assertTrue(c.isRunning(), "the container exited:\n" + c.getLogs());
                            HttpResponse<String> r = http.send(
                                    HttpRequest.newBuilder(uri(port, path))
                                            .header("X-API-Key", TOKEN)
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            return new ObjectMapper().readTree(r.body());
                        },
                        done);
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
