package ai.emadaptive.support;

import ai.emadaptive.artifact.ArtifactWriter;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The service on two small routed test models, with a generated clip in the one folder file sources may use.
 * Test classes sharing this profile share one running service.
 */
public class MediaProfile implements QuarkusTestProfile {
    public static final String TOKEN = "test-token";
    public static final Path DIR;
    public static final Path CLIP;

    static {
        try {
            DIR = Files.createTempDirectory("streaming-test");
            CLIP = StreamingFixtures.clip(DIR.resolve("clip.mp4"), 2.0, 320, 240, 5);
            StreamingFixtures.writeRoutedModel(DIR.resolve("model.zip"));
            ArtifactWriter.write(StreamingFixtures.routedModel(11), DIR.resolve("second.zip"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "emadaptive.model.path",
                DIR.resolve("model.zip").toString(),
                "emadaptive.models.second.path",
                DIR.resolve("second.zip").toString(),
                "emadaptive.sources.allowed-dirs",
                DIR.toString(),
                "emadaptive.sources.allowed-hosts",
                "127.0.0.1", // the tests' own media servers
                "emadaptive.pipeline.recordings",
                DIR.resolve("recordings").toString(),
                "emadaptive.pipeline.max-reconnects",
                "1",
                "emadaptive.pipeline.backoff-ms",
                "100",
                "emadaptive.pipeline.io-timeout-ms",
                "2000");
    }
}
