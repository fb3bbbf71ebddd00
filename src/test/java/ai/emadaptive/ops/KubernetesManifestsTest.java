package ai.emadaptive.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.service.ServiceConfig;
import ai.emadaptive.support.Containers;
import ai.emadaptive.support.Executables;
import ai.emadaptive.support.MediaProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s as kubectl renders it, checked against what the rest of the repository builds: the image CI tags, the
 * user the Dockerfile makes, probes and scrape path that the running service answers, environment variables that
 * are settings the service has, and the recordings volume where the service writes.
 */
@QuarkusTest
@TestProfile(MediaProfile.class)
class KubernetesManifestsTest {
    @Test
    void theRenderedManifestsMatchTheImageAndTheService() throws Exception {
        assumeTrue(
                Executables.onPath("kubectl"),
                "kubectl is not installed (.ci/run installs Debian's kubernetes-client)");
        Process p = new ProcessBuilder("kubectl", "kustomize", "deploy/k8s")
                .redirectErrorStream(true)
                .start();
        String rendered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "kubectl kustomize deploy/k8s: " + rendered);
        Map<String, JsonNode> byKind = new HashMap<>();
        try (var docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(rendered)) {
            while (docs.hasNext()) {
                JsonNode d = docs.next();
                if (d != null && d.has("kind")) byKind.put(d.get("kind").asText(), d);
            }
        }
        JsonNode pod = byKind.get("Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");

        assertEquals(
                Containers.SERVICE_IMAGE,
                container.get("image").asText(),
                "the image .ci/run builds and the README tags");
        String dockerfile = Files.readString(Path.of("docker/Dockerfile.jvm"));
        String uid = pod.at("/securityContext/runAsUser").asText();
        assertTrue(
                dockerfile.contains("--uid " + uid) && dockerfile.contains("USER " + uid),
                "runAsUser " + uid + " is the image's user");
        assertEquals(8080, container.at("/ports/0/containerPort").asInt());
        assertTrue(dockerfile.contains("EXPOSE 8080"));

        // probes and the scrape path answer on the running service (the test profile's instance)
        for (String probe : List.of("/readinessProbe/httpGet/path", "/livenessProbe/httpGet/path")) {
            String path = container.at(probe).asText();
            assertEquals("http", container.at(probe.replace("/path", "/port")).asText());
            assertNotEquals(404, given().get(path).statusCode(), probe + " " + path + " exists");
            assertTrue(path.startsWith("/q/health/"), path);
        }
        JsonNode scrape = byKind.get("PodMonitor").at("/spec/podMetricsEndpoints/0");
        assertEquals("http", scrape.get("port").asText());
        assertEquals(200, given().get(scrape.get("path").asText()).statusCode(), "the scrape path serves metrics");
        assertEquals(
                "http", byKind.get("Service").at("/spec/ports/0/targetPort").asText());

        // every EMADAPTIVE_* variable is a setting of ServiceConfig
        TreeSet<String> settings = new TreeSet<>();
        keys("emadaptive", ServiceConfig.class, settings);
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container.get("env"))
            env.put(e.get("name").asText(), e.path("value").asText(null));
        for (String name : env.keySet()) {
            if (!name.startsWith("EMADAPTIVE_")) continue;
            assertTrue(
                    settings.stream()
                            .anyMatch(k ->
                                    envName(k).equals(name) || name.startsWith(envName(k.replace(".*", "")) + "_")),
                    name + " is not a setting of ServiceConfig: " + settings);
        }
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode m : container.get("volumeMounts"))
            mounts.put(m.get("name").asText(), m.get("mountPath").asText());
        assertEquals(
                mounts.get("recordings"),
                env.get("EMADAPTIVE_PIPELINE_RECORDINGS"),
                "recordings go to the recordings volume");
        assertTrue(
                env.get("QUARKUS_CONFIG_LOCATIONS").startsWith(mounts.get("config") + "/"),
                "the config file is on the config volume");
    }

    /** Property names of a {@code @ConfigMapping} interface, kebab-case; a map's entries as {@code name.*}. */
    private static void keys(String prefix, Class<?> type, TreeSet<String> out) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isDefault() || m.getParameterCount() > 0 || java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                continue;
            String name = prefix + "."
                    + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> r = m.getReturnType();
            if (r == Map.class) {
                Class<?> value = (Class<?>) ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[1];
                if (value.isInterface() && value.getDeclaringClass() == ServiceConfig.class)
                    keys(name + ".*", value, out);
                else out.add(name + ".*");
            } else if (r.isInterface() && r.getDeclaringClass() == ServiceConfig.class) {
                keys(name, r, out);
            } else {
                out.add(name);
            }
        }
    }

    private static String envName(String property) {
        return property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }
}
