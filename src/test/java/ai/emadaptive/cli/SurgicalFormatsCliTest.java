package ai.emadaptive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.support.StreamingFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/**
 * train, routers, evaluate and sweep on the surgical label formats through the CLI as a user runs them: a generated
 * YOLO set (multi-label and single-label models), Cholec80 annotation files and a clip CSV over a real encoded video,
 * and malformed labels.
 */
class SurgicalFormatsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of(
            "full",
            "fixed-exit-1",
            "fixed-exit-2",
            "fixed-exit-3",
            "fixed-exit-4",
            "random",
            "entropy",
            "em",
            "oracle");

    @TempDir
    static Path dir;

    static Path yolo, multi, routed;
    static String trainLog, routersLog;

    record Run(int code, String out, String err) {}

    static Run exec(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = EmAdaptiveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    static String run(String... args) {
        Run r = exec(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
        return r.out();
    }

    @BeforeAll
    static void trainAMultiLabelModel() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        yolo = dir.resolve("yolo");
        run(
                "generate",
                "yolo",
                "--out",
                yolo.toString(),
                "--train",
                "240",
                "--val",
                "80",
                "--size",
                "32",
                "--seed",
                "5");
        multi = dir.resolve("multi.zip");
        routed = dir.resolve("multi-routed.zip");
        trainLog = run(
                "train",
                "--format",
                "YOLO",
                "--data",
                yolo.toString(),
                "--mode",
                "JOINT",
                "--epochs",
                "2",
                "--width",
                "4",
                "--input-size",
                "32",
                "--batch",
                "30",
                "--holdout-every",
                "4",
                "--out",
                multi.toString());
        routersLog = routers(routed);
    }

    /** Routers for the multi-label model, fitted on its held-out YOLO frames. */
    private static String routers(Path out, String... options) {
        List<String> args = new ArrayList<>(
                List.of("routers", "--model", multi.toString(), "--format", "YOLO", "--data", yolo.toString()));
        args.addAll(List.of("--holdout-every", "4", "--out", out.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    @Test
    void confidenceOnlyRoutersReadTheHeadsConfidenceAlone() throws Exception {
        Path routed = dir.resolve("confidence-only.zip");
        routers(routed, "--confidence-only");
        JsonNode routers =
                JSON.valueToTree(ArtifactReader.read(routed).manifest().routers());
        assertEquals("em-confidence", routers.get("method").asText());
        for (JsonNode r : routers.get("routers")) {
            assertTrue(r.get("confidenceOnly").asBoolean(), r.toString());
            assertEquals(3, r.get("w").size(), "three confidence inputs, no pooled feature: " + r);
        }
        String table = run("evaluate", "--model", routed.toString(), "--format", "YOLO", "--data", yolo.toString());
        assertTrue(table.lines().anyMatch(l -> l.startsWith("em ")), table);

        Run both = exec(
                "routers",
                "--model",
                multi.toString(),
                "--data",
                yolo.toString(),
                "--format",
                "YOLO",
                "--feature-only",
                "--confidence-only",
                "--out",
                dir.resolve("never.zip").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--feature-only and --confidence-only exclude each other"), both.err());
        assertFalse(Files.exists(dir.resolve("never.zip")));
    }

    @Test
    void aMultiLabelModelTrainsRoutesAndIsScoredPerTool() throws Exception {
        assertTrue(trainLog.contains("181 training images, 80 validation images, 5 classes"), trainLog);
        assertTrue(trainLog.contains("(multi-label)"), trainLog);
        assertTrue(trainLog.contains("thresholds chosen on 59 held-out images"), trainLog);
        Manifest m = ArtifactReader.read(routed).manifest();
        assertEquals(TaskType.MULTI_LABEL, m.task());
        assertEquals(List.of("grasper", "scissors", "hook", "clip-applier", "suction-irrigator"), m.classes());
        assertEquals(4, m.thresholds().size());
        assertTrue(routersLog.contains("lambda grid (auto)"), routersLog);
        assertTrue(routersLog.contains("feature cache: 59 held-out images"), routersLog);
        assertDefaultLambdaChosenByMap(routersLog);

        Path json = dir.resolve("eval.json");
        String table = run(
                "evaluate",
                "--model",
                routed.toString(),
                "--format",
                "YOLO",
                "--data",
                yolo.toString(),
                "--timed-images",
                "5",
                "--json",
                json.toString(),
                "--frames",
                dir.resolve("frames.tsv").toString());
        assertTrue(table.contains("80 test images (accuracy: exact tool set"), table);
        assertTrue(table.contains("mAP"), table);
        JsonNode doc = JSON.readTree(json.toFile());
        assertEquals("MULTI_LABEL", doc.get("task").asText());
        List<String> methods = new ArrayList<>();
        doc.get("toolMetrics").fieldNames().forEachRemaining(methods::add);
        assertEquals(METHODS, methods);
        for (String method : METHODS) {
            JsonNode t = doc.get("toolMetrics").get(method);
            assertEquals(5, t.get("ap").size(), method);
            assertEquals(5, t.get("f1").size(), method);
            double map = t.get("map").asDouble();
            assertTrue(map > 0 && map <= 1, method + " mAP " + map);
        }
        // routers calibrated the uncertain flag on the routing frames: frames like them are mostly certain
        assertTrue(routersLog.contains("uncertainty (feature-distance"), routersLog);
        double coverage = doc.get("uncertainty").get("full").get("coverage").asDouble();
        assertTrue(coverage > 0.8, "generated validation frames covered: " + coverage);
        // the full network is exit 4, whichever way it is named
        assertEquals(
                doc.get("toolMetrics").get("full").toString(),
                doc.get("toolMetrics").get("fixed-exit-4").toString());
        int positives = 0;
        for (JsonNode p : doc.get("toolMetrics").get("full").get("positives")) positives += p.asInt();
        assertTrue(positives > 80, "more tool presences than frames: several tools per frame (" + positives + ")");
        assertFramesTableMatches(dir.resolve("frames.tsv"), doc);

        Path csv = dir.resolve("sweep.csv");
        run(
                "sweep",
                "--model",
                routed.toString(),
                "--format",
                "YOLO",
                "--data",
                yolo.toString(),
                "--points",
                "6",
                "--csv",
                csv.toString(),
                "--json",
                dir.resolve("sweep.json").toString());
        assertEquals(
                6,
                Files.readAllLines(csv).stream()
                        .filter(r -> r.startsWith("em,"))
                        .count());
    }

    @Test
    void classesAreMatchedByNameAndUnknownOnesReported() throws Exception {
        // the val split as a flat set whose labels spell one tool differently
        Path flat = dir.resolve("flat");
        copy(yolo.resolve("images/val"), flat.resolve("images"));
        copy(yolo.resolve("labels/val"), flat.resolve("labels"));
        Files.writeString(
                flat.resolve("data.yaml"),
                "names: {0: Grasper, 1: Scissors, 2: Hook, 3: clipper, 4: SuctionIrrigator}\n");
        Path json = dir.resolve("unknown.json");
        String out = run(
                "evaluate",
                "--model",
                routed.toString(),
                "--format",
                "YOLO",
                "--data",
                flat.toString(),
                "--timed-images",
                "0",
                "--json",
                json.toString());
        assertTrue(out.contains("note: the model does not know 'clipper'"), out);
        assertTrue(
                Double.isNaN(JSON.readTree(json.toFile())
                                .get("toolMetrics")
                                .get("full")
                                .get("ap")
                                .get(3)
                                .asDouble(Double.NaN))
                        || JSON.readTree(json.toFile())
                                .get("toolMetrics")
                                .get("full")
                                .get("ap")
                                .get(3)
                                .isNull(),
                "no AP for a tool the data set does not label");
        String mapped = run(
                "evaluate",
                "--model",
                routed.toString(),
                "--format",
                "YOLO",
                "--data",
                flat.toString(),
                "--timed-images",
                "0",
                "--class-map",
                "clipper=clip-applier",
                "--json",
                json.toString());
        assertFalse(mapped.contains("does not know"), mapped);
        assertTrue(JSON.readTree(json.toFile())
                        .get("toolMetrics")
                        .get("full")
                        .get("ap")
                        .get(3)
                        .asDouble()
                > 0);
    }

    @Test
    void aSingleLabelModelOnToolPresenceLearnsNoneAndIsScoredOnSingleToolFrames() throws Exception {
        Path single = dir.resolve("single.zip");
        String log = run(
                "train",
                "--format",
                "YOLO",
                "--task",
                "SINGLE_LABEL",
                "--data",
                yolo.toString(),
                "--mode",
                "JOINT",
                "--epochs",
                "1",
                "--width",
                "4",
                "--input-size",
                "32",
                "--batch",
                "20",
                "--out",
                single.toString());
        assertTrue(log.contains("frames with more than one tool (or unknown ones) left out"), log);
        Manifest m = ArtifactReader.read(single).manifest();
        assertEquals(TaskType.SINGLE_LABEL, m.task());
        assertEquals("none", m.classes().get(m.classes().size() - 1));
        Path json = dir.resolve("single.json");
        run(
                "evaluate",
                "--model",
                single.toString(),
                "--format",
                "YOLO",
                "--data",
                yolo.toString(),
                "--timed-images",
                "0",
                "--json",
                json.toString());
        JsonNode full = JSON.readTree(json.toFile()).get("toolMetrics").get("full");
        int frames = full.get("singleToolFrames").asInt();
        assertTrue(frames > 20 && frames < 80, "frames with one tool or none: " + frames);
        double acc = full.get("singleToolAccuracy").asDouble();
        assertTrue(acc >= 0 && acc <= 1);
        assertEquals(
                acc,
                JSON.readTree(json.toFile())
                        .get("results")
                        .get(0)
                        .get("accuracy")
                        .asDouble(),
                1e-9,
                "a single-label model's accuracy is its single-tool accuracy");
    }

    @Test
    void cholec80ToolAndPhaseFilesAndAClipCsvOverARealVideo() throws Exception {
        Path cholec = Files.createDirectories(dir.resolve("cholec80"));
        StreamingFixtures.clip(cholec.resolve("video01.mp4"), 2.4, 96, 64, 3);
        Files.delete(cholec.resolve("video01.csv"));
        Files.writeString(
                cholec.resolve("video01-tool.txt"),
                "Frame\tGrasper\tBipolar\tHook\tScissors\tClipper\tIrrigator\tSpecimenBag\n"
                        + "0\t1\t0\t1\t0\t0\t0\t0\n25\t1\t1\t0\t0\t0\t0\t0\n50\t0\t0\t0\t0\t1\t0\t0\n");
        StringBuilder phase = new StringBuilder("Frame\tPhase\n");
        for (int f = 0; f < 72; f++)
            phase.append(f)
                    .append('\t')
                    .append(f < 36 ? "Preparation" : "CalotTriangleDissection")
                    .append('\n');
        Files.writeString(cholec.resolve("video01-phase.txt"), phase.toString());

        Path json = dir.resolve("cholec.json");
        String out = run(
                "evaluate",
                "--model",
                routed.toString(),
                "--format",
                "CHOLEC80",
                "--data",
                cholec.toString(),
                "--class-map",
                "clipper=clip-applier,irrigator=suction-irrigator",
                "--timed-images",
                "0",
                "--json",
                json.toString());
        assertTrue(out.contains("3 test images"), out);
        assertTrue(out.contains("the model does not know 'bipolar', present in 1 frames"), out);
        JsonNode full = JSON.readTree(json.toFile()).get("toolMetrics").get("full");
        assertEquals("[2,0,1,1,0]", full.get("positives").toString());

        String phases = run(
                "train",
                "--format",
                "CHOLEC80",
                "--cholec-labels",
                "PHASE",
                "--frame-every",
                "8",
                "--data",
                cholec.toString(),
                "--mode",
                "JOINT",
                "--epochs",
                "1",
                "--width",
                "4",
                "--input-size",
                "32",
                "--batch",
                "3",
                "--out",
                dir.resolve("phase.zip").toString());
        assertTrue(phases.contains("9 training images"), phases);
        assertEquals(
                List.of("calot_triangle_dissection", "preparation"),
                ArtifactReader.read(dir.resolve("phase.zip")).manifest().classes());

        Path csv = cholec.resolve("clips.csv");
        Files.writeString(csv, "file,instrument,verb\nvideo01.mp4,grasper,retract\n");
        String clip = run(
                "evaluate",
                "--model",
                routed.toString(),
                "--format",
                "CLIP_CSV",
                "--data",
                csv.toString(),
                "--frame-every",
                "20",
                "--timed-images",
                "0",
                "--json",
                json.toString());
        assertTrue(clip.contains("4 test images"), clip);
        JsonNode c = JSON.readTree(json.toFile()).get("toolMetrics").get("full");
        assertEquals(4, c.get("singleToolFrames").asInt(), "a clip's label names its acting tool: one per frame");
        assertEquals("[4,0,0,0,0]", c.get("positives").toString());
    }

    @Test
    void malformedLabelsEndWithTheFileAndLine() throws Exception {
        Path bad = dir.resolve("bad");
        copy(yolo.resolve("images/val"), bad.resolve("images"));
        copy(yolo.resolve("labels/val"), bad.resolve("labels"));
        Files.copy(yolo.resolve("data.yaml"), bad.resolve("data.yaml"));
        Files.writeString(bad.resolve("labels/000003.txt"), "0 0.5 0.5 0.2 0.2\n7 0.5 0.5 0.2 0.2\n");
        Run r = exec(
                "evaluate",
                "--model",
                routed.toString(),
                "--format",
                "YOLO",
                "--data",
                bad.toString(),
                "--timed-images",
                "0");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("labels/000003.txt:2: "), r.err());
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    /**
     * A multi-label model's default lambda follows the rule on mAP, read back from the routers' own table: the
     * largest lambda within half a point of the full network's mAP, else the one with the best mAP.
     */
    static void assertDefaultLambdaChosenByMap(String log) {
        java.util.regex.Matcher full = java.util.regex.Pattern.compile(
                        "full network: mAP ([0-9.]+) \\(the default lambda is chosen by mAP\\)")
                .matcher(log);
        assertTrue(full.find(), log);
        double fullMap = Double.parseDouble(full.group(1));
        java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                        "lambda +(-?[0-9.]+): accuracy [0-9.]+, mAP ([0-9.]+), cost")
                .matcher(log);
        double within = Double.NEGATIVE_INFINITY, best = Double.NaN, bestMap = -1;
        int rows = 0;
        while (row.find()) {
            rows++;
            double lambda = Double.parseDouble(row.group(1)), map = Double.parseDouble(row.group(2));
            if (map >= fullMap - 0.005) within = Math.max(within, lambda);
            if (map > bestMap || (map == bestMap && lambda > best)) {
                best = lambda;
                bestMap = map;
            }
        }
        assertEquals(8, rows, "one mAP per lambda of the auto grid: " + log);
        java.util.regex.Matcher chosen = java.util.regex.Pattern.compile("default lambda (-?[0-9.]+), written")
                .matcher(log);
        assertTrue(chosen.find(), log);
        double expected = within != Double.NEGATIVE_INFINITY ? within : best;
        assertEquals(expected, Double.parseDouble(chosen.group(1)), 0.006, log);
    }

    /**
     * The per-frame table: one row per test frame, a probability per exit and tool, and truths whose presences add up
     * to the positives the summary counted, tool by tool.
     */
    static void assertFramesTableMatches(Path tsv, JsonNode doc) throws Exception {
        List<String> rows = Files.readAllLines(tsv);
        List<String> classes = new ArrayList<>();
        doc.get("classes").forEach(c -> classes.add(c.asText()));
        String[] head = rows.get(0).split("\t", -1);
        assertEquals(1 + 5 * classes.size(), head.length, rows.get(0));
        assertEquals("p1_" + classes.get(0), head[1]);
        assertEquals("truth_" + classes.get(classes.size() - 1), head[head.length - 1]);
        assertEquals(doc.get("testImages").asInt(), rows.size() - 1, "one row per test frame");
        int[] present = new int[classes.size()];
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split("\t", -1);
            for (int j = 1; j <= 4 * classes.size(); j++) {
                double p = Double.parseDouble(c[j]);
                assertTrue(p >= 0 && p <= 1, row);
            }
            for (int k = 0; k < classes.size(); k++) if (c[1 + 4 * classes.size() + k].equals("1")) present[k]++;
        }
        JsonNode positives = doc.get("toolMetrics").get("full").get("positives");
        for (int k = 0; k < classes.size(); k++)
            assertEquals(positives.get(k).asInt(), present[k], classes.get(k) + " present");
    }
}
