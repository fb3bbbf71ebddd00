package ai.emadaptive.support;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.ingest.GroundTruth;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service on small test models (two routed single-label ones, a multi-label tool model named {@code tools}) and
 * the real-footage model (named {@code real}), with generated clips in the folder file sources may use. Test classes
 * sharing this profile share one running service (one start instead of one per class).
 */
public class MediaProfile implements QuarkusTestProfile {
    public static final String TOKEN = "test-token";
    public static final Path DIR;
    public static final Path CLIP;
    /** Two seconds of flat grey climbing from dark to light: every moment of it looks different. */
    public static final Path RAMP_CLIP;
    /** A clip whose 0/1-column sidecar alternates {grasper, clipper} and {grasper}, for the {@code tools} model. */
    public static final Path TOOL_CLIP;
    /** Where a test may put cuts of the shared real footage for the {@code real} model. */
    public static final Path REAL_CUTS = Path.of("target", "real-footage-cut").toAbsolutePath();

    static {
        try {
            DIR = Files.createTempDirectory("streaming-test");
            CLIP = StreamingFixtures.clip(DIR.resolve("clip.mp4"), 2.0, 320, 240, 5);
            RAMP_CLIP = StreamingFixtures.rampClip(DIR.resolve("ramp.mp4"), 320, 240, 60);
            StreamingFixtures.writeRoutedModel(DIR.resolve("model.zip"));
            ArtifactWriter.write(StreamingFixtures.routedModel(11), DIR.resolve("second.zip"));
            TOOL_CLIP = StreamingFixtures.clip(DIR.resolve("tools.mp4"), 1.0, 320, 240, 12);
            List<String> sidecar = new ArrayList<>(List.of("frame,grasper,hook,clipper,irrigator"));
            for (int i = 0; i < 30; i++) sidecar.add(i + ",1,0," + (i % 2 == 0 ? 1 : 0) + ",0");
            Files.write(GroundTruth.sidecar(TOOL_CLIP), sidecar);
            ArtifactWriter.write(ToolFixtures.toolModel(3), DIR.resolve("tools.zip"));
            Files.createDirectories(REAL_CUTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not make the test clips", e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("emadaptive.model.path", DIR.resolve("model.zip").toString()),
                Map.entry(
                        "emadaptive.models.second.path",
                        DIR.resolve("second.zip").toString()),
                Map.entry(
                        "emadaptive.models.tools.path", DIR.resolve("tools.zip").toString()),
                Map.entry(
                        "emadaptive.models.real.path",
                        Path.of("docs", "results", "real-lapchole", "model.zip")
                                .toAbsolutePath()
                                .toString()),
                Map.entry("emadaptive.sources.allowed-dirs", DIR + "," + REAL_CUTS),
                Map.entry("emadaptive.sources.allowed-hosts", "127.0.0.1"), // the tests' own media servers
                Map.entry(
                        "emadaptive.pipeline.recordings",
                        DIR.resolve("recordings").toString()),
                Map.entry("emadaptive.pipeline.max-reconnects", "1"),
                Map.entry("emadaptive.pipeline.backoff-ms", "100"),
                Map.entry("emadaptive.pipeline.io-timeout-ms", "2000"));
    }
}
