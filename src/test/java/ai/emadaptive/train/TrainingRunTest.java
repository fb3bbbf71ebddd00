package ai.emadaptive.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Stem;
import ai.emadaptive.routing.FeatureCache;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The training plan end to end on a small synthetic set: it learns, checkpoints, and resumes where it stopped. */
class TrainingRunTest {
    private static final ModelSpec SPEC = new ModelSpec(4, 16, 3, Stem.CIFAR, 3, HeadType.MLP);

    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    /** Class 0: a bright square top left; 1: bottom left; 2: centre (all distinct under horizontal flips). */
    /** The squares with classes 1 and 2 merged. */
    private static ImageSet twoClasses(ImageSet three) {
        return new ImageSet(
                List.of("a", "b"),
                three.size(),
                three.pixels(),
                Arrays.stream(three.labels()).map(l -> Math.min(l, 1)).toArray());
    }

    static ImageSet squares(int perClass, long seed) {
        int s = 16;
        Random rnd = new Random(seed);
        int n = 3 * perClass;
        byte[] px = new byte[n * s * s * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            int oy = labels[i] == 1 ? 8 : labels[i] == 2 ? 4 : 0, ox = labels[i] == 2 ? 4 : 0;
            for (int y = 0; y < s; y++)
                for (int x = 0; x < s; x++)
                    for (int c = 0; c < 3; c++) {
                        boolean in = y >= oy && y < oy + 8 && x >= ox && x < ox + 8;
                        px[((i * s + y) * s + x) * 3 + c] = (byte) (in ? 200 + rnd.nextInt(40) : rnd.nextInt(90));
                    }
        }
        return new ImageSet(List.of("a", "b", "c"), s, px, labels);
    }

    private TrainingRun.Config config(Path ckpt, int maxEpochs) {
        return new TrainingRun.Config(
                SPEC,
                List.of(Phase.backbone(6, 0.1, 5e-4), Phase.exits(2, 0.05, 5e-4)),
                16,
                5,
                "squares",
                "test",
                ckpt,
                maxEpochs);
    }

    @Test
    void learnsAndResumesToTheSameModel() throws Exception {
        ImageSet train = squares(48, 1);
        ImageSet val = squares(10, 2);
        StringWriter log = new StringWriter();
        ModelArtifact full =
                new TrainingRun(config(dir.resolve("a"), 0), new PrintWriter(log, true)).run(train, val, false);
        double[] acc = FeatureCache.of(
                        full.weights(),
                        val,
                        new ai.emadaptive.data.Normalisation(
                                full.manifest().input().mean(),
                                full.manifest().input().std()),
                        8,
                        false)
                .accuracy();
        assertTrue(acc[3] >= 0.9, "final exit learns the squares: " + java.util.Arrays.toString(acc) + "\n" + log);
        assertEquals(acc[3], full.manifest().provenance().metrics().get("exit4.valAccuracy"), 1e-9);

        Path ckpt = dir.resolve("b");
        new TrainingRun(config(ckpt, 2), new PrintWriter(new StringWriter(), true)).run(train, val, false);
        assertEquals(0, Checkpoint.load(ckpt).state().phase());
        assertEquals(2, Checkpoint.load(ckpt).state().epoch());
        new TrainingRun(config(ckpt, 5), new PrintWriter(new StringWriter(), true)).run(train, val, true);
        assertEquals(1, Checkpoint.load(ckpt).state().phase(), "stopped inside the exits phase");
        assertEquals(1, Checkpoint.load(ckpt).state().epoch());
        ModelArtifact resumed =
                new TrainingRun(config(ckpt, 0), new PrintWriter(new StringWriter(), true)).run(train, val, true);
        for (String name : full.weights().all().keySet()) {
            double diff = full.weights()
                    .get(name)
                    .sub(resumed.weights().get(name))
                    .amaxNumber()
                    .doubleValue();
            assertEquals(0, diff, 1e-4, name + " differs after resuming");
        }
        assertEquals(8, Checkpoint.load(ckpt).state().history().size(), "one history row per epoch");
    }

    /** Trains SPEC with {@code phases} on {@code train}, starting from {@code init} when given. */
    private static ModelArtifact run(List<Phase> phases, ModelArtifact init, ImageSet train) throws Exception {
        TrainingRun r = new TrainingRun(
                new TrainingRun.Config(SPEC, phases, 16, 5, "squares", "test", null, 0),
                new PrintWriter(new StringWriter(), true));
        return (init == null ? r : r.initFrom(init)).run(train, null, false);
    }

    @Test
    void initFromAModelTrainsOnlyWhatThePlanTrains() throws Exception {
        ImageSet train = squares(16, 3);
        ModelArtifact start = run(List.of(Phase.backbone(1, 0.1, 5e-4)), null, train);
        ai.emadaptive.model.Weights before = start.weights().copy();
        ModelArtifact heads = run(List.of(Phase.backbone(0, 0.1, 5e-4), Phase.exits(1, 0.05, 5e-4)), start, train);
        for (String name : before.all().keySet()) {
            boolean same = before.get(name).equals(heads.weights().get(name));
            if (ai.emadaptive.model.Names.isHead(name)) continue;
            assertTrue(same, name + " is backbone: frozen while the heads train");
        }
        assertTrue(
                before.all().keySet().stream()
                        .filter(ai.emadaptive.model.Names::isHead)
                        .anyMatch(n -> !before.get(n).equals(heads.weights().get(n))),
                "heads changed");
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new TrainingRun(
                                new TrainingRun.Config(
                                        new ModelSpec(8, 16, 3, Stem.CIFAR, 3, HeadType.MLP),
                                        List.of(Phase.exits(1, 0.05, 0)),
                                        16,
                                        5,
                                        "",
                                        "",
                                        null,
                                        0),
                                new PrintWriter(new StringWriter(), true))
                        .initFrom(start));
    }

    @Test
    void jointExitWeightsChooseWhichExitsLearn() throws Exception {
        ImageSet train = squares(16, 3);
        ModelArtifact start = run(List.of(Phase.backbone(1, 0.1, 5e-4)), null, train);
        ai.emadaptive.model.Weights before = start.weights().copy();
        // exit 1 weighted 0 and no distillation: its head gets no gradient (and no weight decay at wd 0); exit 2's
        // learns
        ModelArtifact tuned = run(List.of(Phase.joint(1, 0.05, 0, new double[] {0, 1, 1, 1}, 0, 0)), start, train);
        String exit1 = ai.emadaptive.model.Names.headOutW(1), exit2 = ai.emadaptive.model.Names.headOutW(2);
        assertTrue(before.get(exit1).equals(tuned.weights().get(exit1)), "exit 1 weighted 0 does not learn");
        assertFalse(before.get(exit2).equals(tuned.weights().get(exit2)), "exit 2 learns");
        assertThrows(IllegalArgumentException.class, () -> Phase.joint(1, 0.1, 0, new double[] {1, 1}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Phase.joint(1, 0.1, 0, new double[] {1, -1, 1, 1}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Phase.joint(1, 0.1, 0, new double[] {0, 0, 0, 0}, 0, 0));
    }

    @Test
    void aTrainedBackboneTakesAnotherHeadType() throws Exception {
        ImageSet train = squares(64, 3);
        ModelArtifact mlp = new TrainingRun(
                        new TrainingRun.Config(
                                SPEC, List.of(Phase.backbone(12, 0.1, 5e-4)), 16, 5, "squares", "test", null, 0),
                        new PrintWriter(new StringWriter(), true))
                .run(train, null, false);
        ModelSpec convSpec = SPEC.withHeadType(HeadType.CONV);
        ModelArtifact conv = new TrainingRun(
                        new TrainingRun.Config(
                                convSpec, List.of(Phase.exits(6, 0.05, 5e-4)), 16, 5, "squares", "test", null, 0),
                        new PrintWriter(new StringWriter(), true))
                .initFrom(mlp)
                .run(train, null, false);
        assertEquals(convSpec, conv.manifest().spec());
        for (String name : conv.weights().all().keySet()) {
            if (Names.isHead(name)) continue;
            assertEquals(
                    mlp.weights().get(name),
                    conv.weights().get(name),
                    name + " is the MLP model's backbone, unchanged");
        }
        assertTrue(conv.weights().all().containsKey(Names.headConv(1)), "conv heads");
        Normalisation norm = new Normalisation(
                conv.manifest().input().mean(), conv.manifest().input().std());
        double[] before =
                FeatureCache.of(mlp.weights(), squares(10, 9), norm, 16, false).accuracy();
        double[] acc =
                FeatureCache.of(conv.weights(), squares(10, 9), norm, 16, false).accuracy();
        assertTrue(before[3] > 0.9, "the MLP model learned: " + Arrays.toString(before));
        assertTrue(acc[3] > 0.9, "the fresh final conv head learned on the frozen backbone: " + Arrays.toString(acc));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TrainingRun(
                                new TrainingRun.Config(
                                        new ModelSpec(4, 16, 3, Stem.IMAGENET, 3, HeadType.CONV),
                                        List.of(Phase.exits(1, 0.05, 0)),
                                        16,
                                        5,
                                        "",
                                        "",
                                        null,
                                        0),
                                new PrintWriter(new StringWriter(), true))
                        .initFrom(mlp));
    }

    @Test
    void aBackbonePretrainedOnOtherClassesStartsANewTask() throws Exception {
        ModelArtifact three = run(List.of(Phase.backbone(1, 0.1, 5e-4)), null, squares(16, 3));
        ModelSpec twoClasses = SPEC.withClasses(2);
        ModelArtifact two = new TrainingRun(
                        new TrainingRun.Config(
                                twoClasses, List.of(Phase.exits(0, 0.05, 0)), 16, 5, "squares", "test", null, 0),
                        new PrintWriter(new StringWriter(), true))
                .initFrom(three)
                .run(twoClasses(squares(16, 2)), null, false);
        assertEquals(List.of("a", "b"), two.manifest().classes());
        assertEquals(2, two.weights().get(Names.headOutW(4)).size(1), "the heads answer the new task's two classes");
        for (String name : two.weights().all().keySet()) {
            if (!Names.isHead(name))
                assertEquals(
                        three.weights().get(name),
                        two.weights().get(name),
                        name + " comes from the pre-trained backbone");
        }
    }
}
