package ai.emadaptive.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.MountableFile;

/**
 * A real Prometheus (Debian's package) on 127.0.0.1: a container of the image {@code .ci/run} builds
 * ({@link Containers#PROMETHEUS_IMAGE}), or Debian's binary as a process where Docker or the image is missing.
 */
public final class PrometheusServer implements AutoCloseable {
    private final ServerHandle server;

    private PrometheusServer(ServerHandle server) {
        this.server = server;
    }

    /** Why no Prometheus can run here, or null. */
    public static String unavailable() {
        String why = Containers.unavailable(Containers.PROMETHEUS_IMAGE);
        if (why == null || Executables.onPath("prometheus")) return null;
        return why + ", and Debian's prometheus package is not installed (.ci/run installs it)";
    }

    /** Starts Prometheus on {@code port} with the files of {@code configDir} (prometheus.yml and what it names). */
    public static PrometheusServer start(Path configDir, int port) throws IOException {
        String why = Containers.unavailable(Containers.PROMETHEUS_IMAGE);
        if (why == null) {
            GenericContainer<?> c = Containers.onHostNetwork(Containers.PROMETHEUS_IMAGE)
                    .withCommand(
                            "--config.file=/etc/prometheus-test/prometheus.yml",
                            "--storage.tsdb.path=/tmp/prometheus",
                            "--web.listen-address=127.0.0.1:" + port);
            try (var files = Files.list(configDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    c.withCopyFileToContainer(MountableFile.forHostPath(f), "/etc/prometheus-test/" + f.getFileName());
                }
            }
            c.start();
            return new PrometheusServer(ServerHandle.of(c));
        }
        Containers.sayOnce("Prometheus runs as a process: " + why);
        Path log = configDir.resolve("prometheus.log");
        Process p = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + configDir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + configDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new PrometheusServer(ServerHandle.of(p, log));
    }

    /** What Prometheus has printed so far, for failure messages. */
    public String log() {
        return server.log();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
