package ai.emadaptive.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.TaskType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data-set labels in a model's class space: targets, single labels, "none", unknown classes, skipped frames. */
class ModelLabelsTest {
    private static final byte P = ImageSet.PRESENT, A = ImageSet.ABSENT, U = ImageSet.UNKNOWN;
    // data classes: Grasper, Bipolar, Hook
    private static final FrameLabels LABELS = new FrameLabels(
            List.of("Grasper", "Bipolar", "Hook"),
            List.of(
                    frame(P, A, P), // grasper + hook
                    frame(P, A, A), // grasper alone
                    frame(A, A, A), // no tool
                    frame(A, P, A), // bipolar alone (unknown to the model)
                    frame(U, U, P)), // clip-level: hook acts, the rest unknown
            true);

    private static LabelledFrame frame(byte... t) {
        return new LabelledFrame(Path.of("f.png"), LabelledFrame.STILL, t);
    }

    @Test
    void scoringMapsTargetsByNameAndKeepsSingleToolLabels() {
        List<String> model = List.of("hook", "grasper", "none");
        ModelLabels.Result r =
                ModelLabels.forModel(LABELS, 1, new byte[15], new int[] {0, 1, 2, 3, 4}, model, Map.of());
        ImageSet s = r.set();
        assertArrayEquals(new byte[] {P, P, U, A, P, U, A, A, U, A, A, U, P, U, U}, s.targets());
        // single labels: -, grasper, none, - (bipolar is unknown to the model), hook
        assertArrayEquals(new int[] {-1, 1, 2, -1, 0}, s.labels());
        assertEquals(Map.of("Bipolar", 1), r.unknown());
        assertEquals(List.of("none"), r.unlabelled());
        assertTrue(
                r.notes().get(0).contains("'Bipolar', present in 1 frames"),
                r.notes().toString());
    }

    @Test
    void singleLabelTrainingAddsNoneAndSkipsFramesWithSeveralTools() {
        ModelLabels.Result r = ModelLabels.forTraining(
                LABELS,
                1,
                new byte[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4},
                new int[] {0, 1, 2, 3, 4},
                TaskType.SINGLE_LABEL);
        ImageSet s = r.set();
        assertEquals(List.of("Grasper", "Bipolar", "Hook", "none"), s.classes());
        assertArrayEquals(new int[] {0, 3, 1, 2}, s.labels());
        assertArrayEquals(
                new byte[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4}, s.pixels(), "the kept frames' pixels, in order");
        assertEquals(1, r.skipped());
    }

    @Test
    void multiLabelTrainingKeepsEveryFrameWithItsTargets() {
        ModelLabels.Result r =
                ModelLabels.forTraining(LABELS, 1, new byte[15], new int[] {0, 1, 2, 3, 4}, TaskType.MULTI_LABEL);
        assertTrue(r.set().multiLabel());
        assertEquals(5, r.set().count());
        assertArrayEquals(new int[] {-1, 0, -1, 1, 2}, r.set().labels());
    }

    @Test
    void aliasesMatchDifferentlySpelledClasses() {
        ModelLabels.Result r = ModelLabels.forModel(
                LABELS,
                1,
                new byte[3],
                new int[] {3},
                List.of("bipolar-forceps", "grasper", "hook"),
                Map.of("bipolar", "bipolar-forceps"));
        assertEquals(Map.of(), r.unknown());
        assertArrayEquals(new int[] {0}, r.set().labels());
    }
}
