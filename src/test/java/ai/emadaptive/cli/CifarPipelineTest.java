package ai.emadaptive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.artifact.ArtifactReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/**
 * The seed's pipeline end to end on a few hundred real CIFAR-10 images from ../shared: train (two stages),
 * routers, evaluate, sweep, plot, through the CLI as a user runs it.
 */
class CifarPipelineTest {
    private static final Path ARCHIVE = Path.of("..", "shared", "datasets", "cifar10-jpg.tar.gz");

    @TempDir
    static Path dir;

    @BeforeAll
    static void extract() throws Exception {
        assumeTrue(Files.isRegularFile(ARCHIVE), "CIFAR-10 archive not at " + ARCHIVE.toAbsolutePath());
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        // 30 training and 10 test images per class
        Process tar = new ProcessBuilder(
                        "tar",
                        "-xzf",
                        ARCHIVE.toAbsolutePath().toString(),
                        "-C",
                        dir.toString(),
                        "--wildcards",
                        "cifar10/train/*/00[0-2]?.jpg",
                        "cifar10/test/*/000?.jpg")
                .inheritIO()
                .start();
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar failed");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = EmAdaptiveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute(args), String.join(" ", args) + "\n" + out + err);
        return out.toString();
    }

    @Test
    void trainRoutersEvaluateSweepPlot() throws Exception {
        String data = dir.resolve("cifar10").toString();
        Path model = dir.resolve("model.zip");
        Path routed = dir.resolve("routed.zip");
        String log = run(
                "train",
                "--data",
                data,
                "--width",
                "4",
                "--epochs-backbone",
                "3",
                "--epochs-exits",
                "1",
                "--batch",
                "32",
                "--out",
                model.toString());
        assertTrue(log.contains("300 training images"), log);
        assertTrue(log.contains("exits epoch 1/1"), log);
        run("routers", "--model", model.toString(), "--data", data, "--out", routed.toString(), "--epochs", "2");
        assertNotNull(ArtifactReader.read(routed).manifest().routers(), "routers stored in the artifact");

        Path evalJson = dir.resolve("eval.json");
        String table = run(
                "evaluate",
                "--model",
                routed.toString(),
                "--data",
                data,
                "--timed-images",
                "10",
                "--json",
                evalJson.toString(),
                "--frames",
                dir.resolve("frames.tsv").toString());
        JsonNode eval = new ObjectMapper().readTree(evalJson.toFile());
        List<String> methods = new java.util.ArrayList<>();
        eval.get("results").forEach(r -> methods.add(r.get("method").asText()));
        assertEquals(
                List.of(
                        "full",
                        "fixed-exit-1",
                        "fixed-exit-2",
                        "fixed-exit-3",
                        "fixed-exit-4",
                        "random",
                        "entropy",
                        "em",
                        "oracle"),
                methods,
                table);
        eval.get("results").forEach(r -> {
            double acc = r.get("accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 1, r.toString());
        });
        assertTrue(eval.get("results").get(1).get("msPerImage").asDouble() > 0, "fixed exits are timed on the engine");
        assertFramesTableAgrees(dir.resolve("frames.tsv"), eval);

        Path csv = dir.resolve("sweep.csv");
        Path json = dir.resolve("sweep.json");
        run(
                "sweep",
                "--model",
                routed.toString(),
                "--data",
                data,
                "--points",
                "6",
                "--csv",
                csv.toString(),
                "--json",
                json.toString());
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.stream().filter(r -> r.startsWith("em,")).count() == 6, rows.toString());
        assertTrue(rows.stream().filter(r -> r.startsWith("entropy,")).count() == 7, rows.toString());

        Path plots = dir.resolve("plots");
        run("plot", "--sweep", json.toString(), "--out-dir", plots.toString());
        for (String png : new String[] {"accuracy-vs-cost.png", "exit-mix-vs-lambda.png"}) {
            var img = ImageIO.read(plots.resolve(png).toFile());
            assertTrue(img.getWidth() >= 800, png);
        }
    }

    @Test
    void heldOutTrainingImagesAreLeftOutOfTrainingAndFitTheRouters() {
        String data = dir.resolve("cifar10").toString();
        Path model = dir.resolve("held.zip");
        String log = run(
                "train",
                "--data",
                data,
                "--holdout-every",
                "3",
                "--width",
                "4",
                "--epochs-backbone",
                "1",
                "--epochs-exits",
                "1",
                "--batch",
                "32",
                "--out",
                model.toString());
        assertTrue(log.contains("200 training images"), log);
        String routers = run(
                "routers",
                "--model",
                model.toString(),
                "--data",
                data,
                "--holdout-every",
                "3",
                "--out",
                dir.resolve("held-routed.zip").toString(),
                "--epochs",
                "1");
        assertTrue(routers.contains("feature cache: 100 held-out images"), routers);
    }

    /** Single-label per-frame table: a label column, and exit 4's most probable class right as often as "full" says. */
    static void assertFramesTableAgrees(Path tsv, JsonNode eval) throws Exception {
        List<String> rows = Files.readAllLines(tsv);
        String[] head = rows.get(0).split("\t", -1);
        assertEquals("label", head[head.length - 1]);
        int classes = (head.length - 2) / 4;
        assertEquals(eval.get("testImages").asInt(), rows.size() - 1, "one row per test frame");
        int right = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split("\t", -1);
            int best = 0;
            for (int k = 1; k < classes; k++)
                if (Double.parseDouble(c[1 + 3 * classes + k]) > Double.parseDouble(c[1 + 3 * classes + best]))
                    best = k;
            if (head[1 + 3 * classes + best].substring(3).equals(c[c.length - 1])) right++;
        }
        double full = eval.get("results").get(0).get("accuracy").asDouble();
        assertEquals(
                full, (double) right / (rows.size() - 1), 2.0 / (rows.size() - 1), "exit 4's top class from the table");
    }
}
