package ai.emadaptive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.TestArtifacts;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/** The picocli commands, run in-process as the executable runs them. */
class CliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new EmAdaptiveCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"serve", "train", "bench", "model-info"}) {
            assertEquals(0, run(cmd, "--help"));
            assertTrue(out.toString().contains("Usage: em-adaptive " + cmd), out.toString());
        }
    }

    @Test
    void modelInfoPrintsTheManifest() throws Exception {
        Path file = dir.resolve("model.zip");
        ArtifactWriter.write(TestArtifacts.artifact(ModelSpec.cifarResNet18(8, HeadType.MLP), 1), file);
        assertEquals(0, run("model-info", "--verify", file.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("multi-exit-resnet18"), text);
        assertTrue(text.contains("weights: verified"), text);
    }

    @Test
    void modelInfoNamesTheFileAndProblemOfABrokenArtifact() throws Exception {
        Path file = dir.resolve("broken.zip");
        Files.writeString(file, "not a model");
        assertEquals(2, run("model-info", file.toString()));
        assertTrue(err.toString().contains(file.toString()), err.toString());
        assertTrue(err.toString().contains("not a zip"), err.toString());
    }

    @Test
    void benchWritesEveryPathForBothImplementations() throws Exception {
        Path json = dir.resolve("bench.json");
        int code = run("bench", "--width", "4", "--batches", "1,2", "--samples", "6", "--baseline-samples", "3",
                "--train-batch", "4", "--train-steps", "1", "--json", json.toString());
        assertEquals(0, code, err.toString());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(16, report.get("inference").size(), "2 implementations x 2 batches x 4 exits");
        for (JsonNode p : report.get("inference")) {
            assertTrue(p.get("medianMsPerFrame").asDouble() > 0, p.toString());
            assertTrue(p.get("p99MsPerFrame").asDouble() >= p.get("medianMsPerFrame").asDouble(), p.toString());
        }
        assertTrue(report.get("convPeak").get("nhwcGflops").asDouble() > 0);
        assertTrue(report.get("training").get("imagesPerSecond").asDouble() > 0);
        assertTrue(report.get("machine").get("cores").asInt() > 0);
        assertTrue(out.toString().contains("dl4j-computation-graph"), out.toString());
    }
}
