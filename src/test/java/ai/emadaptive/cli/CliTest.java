package ai.emadaptive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.TestArtifacts;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        CommandLine cli = EmAdaptiveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"serve", "train", "bench", "model-info", "import-weights"}) {
            assertEquals(0, run(cmd, "--help"));
            assertTrue(out.toString().contains("Usage: em-adaptive " + cmd), out.toString());
        }
    }

    @Test
    void trainRefusesABatchLargerThanTheTrainingSet() throws Exception {
        Path data = dir.resolve("tiny");
        ai.emadaptive.generate.ImageSetGenerator.generateSplits(data, 2, 1, 16, 3);
        assertEquals(
                2,
                run(
                        "train",
                        "--data",
                        data.toString(),
                        "--input-size",
                        "16",
                        "--width",
                        "4",
                        "--batch",
                        "64",
                        "--mode",
                        "JOINT",
                        "--epochs",
                        "1",
                        "--out",
                        dir.resolve("m.zip").toString()));
        assertTrue(
                err.toString().contains("error: batch 64 exceeds the 12 training images; use a batch of 12 or less"),
                err.toString());
        assertTrue(Files.notExists(dir.resolve("m.zip")));
    }

    @Test
    void badInputEndsInOneErrorLineNotAStackTrace() throws Exception {
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("r.zip"));
        assertEquals(
                2,
                run(
                        "bench-load",
                        "--model",
                        model.toString(),
                        "--max-streams",
                        "0",
                        "--json",
                        dir.resolve("b.json").toString()));
        assertEquals(
                2,
                run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data",
                        dir.resolve("missing").toString()));
        Path data = dir.resolve("tiny");
        ai.emadaptive.generate.ImageSetGenerator.generateSplits(data, 2, 1, 16, 3);
        assertEquals(
                2,
                run(
                        "train",
                        "--data",
                        data.toString(),
                        "--input-size",
                        "16",
                        "--width",
                        "4",
                        "--batch",
                        "4",
                        "--mode",
                        "JOINT",
                        "--exit-weights",
                        "1,1",
                        "--out",
                        dir.resolve("m.zip").toString()));
        assertEquals(2, run("plot", "--sweep", dir.resolve("none.json").toString(), "--out-dir", dir.toString()));
        assertEquals(2, run("generate", "images", "--out", dir.resolve("g").toString(), "--per-class", "-1"));
        assertEquals(2, run("generate", "video", "--out", dir.resolve("v.mp4").toString(), "--seconds", "0"));
        String[] lines = err.toString().strip().split("\\R");
        assertEquals(6, lines.length, err.toString());
        assertTrue(lines[0].startsWith("error: --max-streams and --step must be >= 1"), lines[0]);
        assertTrue(lines[1].startsWith("error: ") && lines[1].contains("missing"), lines[1]);
        assertEquals("error: exit weights: 4 values (exits 1-4), not 2", lines[2]);
        assertTrue(lines[3].startsWith("error: ") && lines[3].contains("none.json"), lines[3]);
        assertEquals("error: images per class must be >= 1, not -1", lines[4]);
        assertTrue(lines[5].startsWith("error: a clip needs fps >= 1 and at least one frame"), lines[5]);
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
    void importWeightsMakesAnArtifactOfANetworkTrainedInPyTorch() throws Exception {
        Path fixture = Path.of(
                        getClass().getResource("/torch-fixture/weights.bin").toURI())
                .getParent();
        Path model = dir.resolve("imported.zip");
        assertEquals(
                0,
                run(
                        "import-weights",
                        "--weights",
                        fixture.resolve("weights.bin").toString(),
                        "--meta",
                        fixture.resolve("meta.json").toString(),
                        "--out",
                        model.toString()),
                err.toString());
        assertEquals(0, run("model-info", "--verify", model.toString()), err.toString());
        assertTrue(out.toString().contains("gpu_train.py --fixture"), out.toString());

        assertEquals(
                2,
                run(
                        "import-weights",
                        "--weights",
                        fixture.resolve("meta.json").toString(),
                        "--meta",
                        fixture.resolve("meta.json").toString(),
                        "--out",
                        dir.resolve("bad.zip").toString()));
        assertTrue(err.toString().contains("not an EMAW weights file"), err.toString());
        assertTrue(Files.notExists(dir.resolve("bad.zip")));
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
        int code = run(
                "bench",
                "--width",
                "4",
                "--batches",
                "1,2",
                "--samples",
                "6",
                "--baseline-samples",
                "3",
                "--train-batch",
                "4",
                "--train-steps",
                "1",
                "--json",
                json.toString());
        assertEquals(0, code, err.toString());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(16, report.get("inference").size(), "2 implementations x 2 batches x 4 exits");
        for (JsonNode p : report.get("inference")) {
            assertTrue(p.get("medianMsPerFrame").asDouble() > 0, p.toString());
            assertTrue(
                    p.get("p99MsPerFrame").asDouble()
                            >= p.get("medianMsPerFrame").asDouble(),
                    p.toString());
        }
        assertTrue(report.get("convPeak").get("nhwcGflops").asDouble() > 0);
        assertTrue(report.get("training").get("imagesPerSecond").asDouble() > 0);
        assertTrue(report.get("machine").get("cores").asInt() > 0);
        assertTrue(out.toString().contains("dl4j-computation-graph"), out.toString());
    }

    @Test
    void snapshotSavesTheOverlaidFrame() throws Exception {
        Path clip = ai.emadaptive.support.StreamingFixtures.clip(dir.resolve("c.mp4"), 0.5, 320, 240, 4);
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("m.zip"));
        Path png = dir.resolve("shot.png");
        assertEquals(
                0,
                run(
                        "snapshot",
                        "--clip",
                        clip.toString(),
                        "--model",
                        model.toString(),
                        "--frame",
                        "5",
                        "--out",
                        png.toString()),
                err.toString());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(320, img.getWidth());
        int[] p = ai.emadaptive.output.OverlayRenderer.panel(320, 240);
        int stripe = img.getRGB(p[0], p[1] + 2) & 0xffffff;
        boolean exitColour = false;
        for (int e = 1; e <= 4; e++)
            exitColour |= stripe == (ai.emadaptive.output.OverlayRenderer.EXIT_COLOURS[e].getRGB() & 0xffffff);
        assertTrue(exitColour, "the panel's stripe shows the exit colour: " + Integer.toHexString(stripe));
        assertEquals(
                1,
                run(
                        "snapshot",
                        "--clip",
                        clip.toString(),
                        "--model",
                        model.toString(),
                        "--frame",
                        "999",
                        "--out",
                        png.toString()));
    }

    @Test
    void benchPipelineMeasuresRealTimeAndThroughput() throws Exception {
        Path clip = ai.emadaptive.support.StreamingFixtures.clip(dir.resolve("b.mp4"), 1.0, 320, 240, 6);
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("m.zip"));
        Path json = dir.resolve("pipeline.json");
        assertEquals(
                0,
                run(
                        "bench-pipeline",
                        "--clip",
                        clip.toString(),
                        "--model",
                        model.toString(),
                        "--streams",
                        "2",
                        "--seconds",
                        "1",
                        "--lambda",
                        "40",
                        "--json",
                        json.toString()),
                err.toString());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode rt = report.get("realtime");
        assertEquals(
                30,
                rt.get("frames").asInt() + rt.get("dropped").asInt(),
                "every frame of the 1 s clip timed or counted as dropped");
        assertTrue(rt.get("frames").asInt() > 0);
        assertTrue(rt.get("p99Ms").asDouble() >= rt.get("p50Ms").asDouble());
        JsonNode runs = report.get("throughput");
        assertEquals(2, runs.size());
        assertEquals("routed", runs.get(0).get("mode").asText());
        assertEquals(1.0, runs.get(1).get("meanCost").asDouble(), 1e-9, "full depth costs 1");
        assertTrue(runs.get(0).get("framesPerSecond").asDouble() > 0);
        assertEquals(40.0, runs.get(0).get("lambda").asDouble(), 1e-9, "the routed streams ran at --lambda");
        double accuracy = runs.get(0).get("accuracy").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, "routed accuracy against the clip's labels: " + accuracy);
    }

    @Test
    void benchLoadRampsStreamsForEachMode() throws Exception {
        Path clip = ai.emadaptive.support.StreamingFixtures.clip(dir.resolve("l.mp4"), 1.0, 320, 240, 7);
        java.nio.file.Files.delete(dir.resolve("l.csv")); // no ground truth: accuracy is not scored
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("m.zip"));
        Path json = dir.resolve("load.json"), png = dir.resolve("load.png");
        assertEquals(
                0,
                run(
                        "bench-load",
                        "--clip",
                        clip.toString(),
                        "--model",
                        model.toString(),
                        "--max-streams",
                        "2",
                        "--level-seconds",
                        "2.5",
                        "--recovery-seconds",
                        "1",
                        "--fixed",
                        "0.5",
                        "--warmup-seconds",
                        "1",
                        "--json",
                        json.toString(),
                        "--png",
                        png.toString()),
                err.toString());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode runs = report.get("runs");
        assertEquals(2, runs.size(), "adaptive and one fixed lambda");
        assertEquals("adaptive", runs.get(0).get("mode").asText());
        assertEquals(0.5, runs.get(1).get("fixedLambda").asDouble());
        for (JsonNode r : runs) {
            assertEquals(2, r.get("levels").size());
            assertEquals(2, r.get("levels").get(1).get("streams").asInt());
            assertTrue(r.get("levels").get(0).get("frames").asInt() > 0);
            assertTrue(r.get("timeline").size() > 3);
            JsonNode accuracy = r.get("levels").get(0).get("accuracy");
            assertTrue(
                    accuracy.isNull() || accuracy.asText().equals("NaN"),
                    "without ground truth or --agreement a level has no accuracy: " + accuracy);
        }
        assertEquals(
                0.5,
                runs.get(1).get("levels").get(0).get("meanLambda").asDouble(),
                1e-9,
                "fixed mode keeps its lambda");
        assertTrue(
                report.get("verdict").isNull(),
                "no fixed run at the accuracy-optimal lambda (1), so nothing to judge against");
        assertTrue(javax.imageio.ImageIO.read(png.toFile()).getWidth() == 1000);
    }

    @Test
    void benchLoadScoresAgreementWithFullDepthWhenAsked() throws Exception {
        Path clip = ai.emadaptive.support.StreamingFixtures.clip(dir.resolve("a.mp4"), 1.0, 320, 240, 8);
        java.nio.file.Files.delete(
                dir.resolve("a.csv")); // no ground truth: only the full-depth reference can score frames
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("m.zip"));
        Path agree = dir.resolve("agree.json");
        String[] common = {
            "bench-load",
            "--clip",
            clip.toString(),
            "--model",
            model.toString(),
            "--max-streams",
            "1",
            "--level-seconds",
            "2.5",
            "--recovery-seconds",
            "1",
            "--fixed",
            "1",
            "--warmup-seconds",
            "0"
        };
        assertEquals(0, run(concat(common, "--agreement", "--json", agree.toString())), err.toString());
        JsonNode with = new ObjectMapper().readTree(agree.toFile());
        assertEquals(
                "agreement with the model's full-depth labels",
                with.get("accuracy").asText());
        assertTrue(
                with.get("verdict").isObject() && with.get("verdict").has("sustainedStreams"),
                "judged against fixed lambda 1: " + with);
        for (JsonNode r : with.get("runs")) {
            double a = r.get("levels").get(0).get("accuracy").asDouble();
            assertTrue(a >= 0 && a <= 1, "agreement is a share: " + a);
        }
    }

    @Test
    void modelInfoSaysHowTheRoutersWereFitted() throws Exception {
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("r.zip"));
        assertEquals(0, run("model-info", model.toString()), err.toString());
        assertTrue(
                out.toString().contains("em, 3 routers, default lambda 1.0, EM evidence weight 25.0"), out.toString());
    }

    @Test
    void evaluateAndSweepScoreALabelledClipAsTheServiceSeesIt() throws Exception {
        Path clip = ai.emadaptive.support.StreamingFixtures.clip(dir.resolve("e.mp4"), 0.5, 320, 180, 9);
        int frames = Files.readAllLines(dir.resolve("e.csv")).size() - 1;
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("m.zip"));
        Path json = dir.resolve("e.json");
        assertEquals(
                0,
                run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data",
                        clip.toString(),
                        "--by-difficulty",
                        "--timed-images",
                        "0",
                        "--json",
                        json.toString()),
                err.toString());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(frames, doc.get("testImages").asInt());
        int byLevel = 0;
        for (JsonNode l : doc.get("byDifficulty")) byLevel += l.get("images").asInt();
        assertEquals(frames, byLevel, "every frame has its sidecar level");
        assertEquals(
                0,
                run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data",
                        clip.toString(),
                        "--frame-every",
                        "2",
                        "--by-difficulty",
                        "--timed-images",
                        "0",
                        "--json",
                        json.toString()),
                err.toString());
        JsonNode half = new ObjectMapper().readTree(json.toFile());
        assertEquals((frames + 1) / 2, half.get("testImages").asInt(), "frames 0, 2, 4, ...");
        int halfByLevel = 0;
        for (JsonNode l : half.get("byDifficulty"))
            halfByLevel += l.get("images").asInt();
        assertEquals((frames + 1) / 2, halfByLevel, "each kept frame with its own sidecar level");
        assertEquals(
                0,
                run(
                        "sweep",
                        "--model",
                        model.toString(),
                        "--data",
                        clip.toString(),
                        "--points",
                        "5",
                        "--csv",
                        dir.resolve("s.csv").toString(),
                        "--json",
                        dir.resolve("s.json").toString()),
                err.toString());
        assertTrue(Files.readAllLines(dir.resolve("s.csv")).size() > 10);
        assertEquals(
                2,
                run(
                        "train",
                        "--data",
                        clip.toString(),
                        "--out",
                        dir.resolve("t.zip").toString()));
        assertTrue(err.toString().contains("is a clip: training needs a data set folder"), err.toString());
    }

    @Test
    void evaluateAndSweepReadOnlyTheTestImages() throws Exception {
        Path model = ai.emadaptive.support.StreamingFixtures.writeRoutedModel(dir.resolve("m.zip"));
        int size = ai.emadaptive.artifact.ArtifactReader.readManifest(model)
                .input()
                .size();
        Path data = dir.resolve("g");
        ai.emadaptive.generate.ImageSetGenerator.generateSplits(data, 2, 3, size, 5);
        // a training image nobody can decode: scoring must not touch the training set at all
        Files.write(data.resolve("train/grasper/broken.png"), new byte[] {1, 2, 3});
        Path json = dir.resolve("e.json");
        assertEquals(
                0,
                run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data",
                        data.toString(),
                        "--timed-images",
                        "0",
                        "--json",
                        json.toString()),
                err.toString());
        assertEquals(
                3 * 6,
                new ObjectMapper().readTree(json.toFile()).get("testImages").asInt());
        assertEquals(
                0,
                run(
                        "sweep",
                        "--model",
                        model.toString(),
                        "--data",
                        data.toString(),
                        "--points",
                        "5",
                        "--csv",
                        dir.resolve("s.csv").toString(),
                        "--json",
                        dir.resolve("s.json").toString()),
                err.toString());
        // routers read the training images, so there the broken one is reported by name
        assertEquals(
                2,
                run(
                        "routers",
                        "--model",
                        model.toString(),
                        "--data",
                        data.toString(),
                        "--out",
                        dir.resolve("r.zip").toString()));
        assertTrue(err.toString().contains("broken.png"), err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
