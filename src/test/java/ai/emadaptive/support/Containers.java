package ai.emadaptive.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The integration tests' servers as containers: images built locally by {@code .ci/run} (no registry is needed), run
 * with host networking so every port stays on 127.0.0.1. When Docker or an image is missing, callers fall back to a
 * bare process or skip, and say why in one line.
 */
public final class Containers {
    /** The service's CPU image, built from docker/Dockerfile.jvm by {@code .ci/run}. */
    public static final String SERVICE_IMAGE = "em-adaptive:cpu";

    public static final String KAFKA_IMAGE = "em-adaptive/kafka-broker:test";
    public static final String PROMETHEUS_IMAGE = "em-adaptive/prometheus:test";

    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private Containers() {}

    /** Why {@code image} cannot run here, or null when it can. */
    public static String unavailable(String image) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (!docker) return "no Docker engine is reachable (.ci/run starts one)";
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return null;
        } catch (RuntimeException e) {
            return "image " + image + " is not built (.ci/run builds it)";
        }
    }

    /** Skips the calling test unless {@code image} can run, printing why (surefire's summary would only count it). */
    public static void assumeRunnable(String image, String test) {
        String why = unavailable(image);
        if (why != null) sayOnce(test + " skipped: " + why);
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, why);
    }

    /** Prints {@code line} once per JVM: the one line that says a server runs as a process, not a container. */
    public static void sayOnce(String line) {
        if (SAID.add(line)) System.out.println("[containers] " + line);
    }

    /** A container of a local image on the host's network (no port mapping, no bridge needed). */
    @SuppressWarnings("resource")
    public static GenericContainer<?> onHostNetwork(String image) {
        return new GenericContainer<>(DockerImageName.parse(image)).withNetworkMode("host");
    }
}
