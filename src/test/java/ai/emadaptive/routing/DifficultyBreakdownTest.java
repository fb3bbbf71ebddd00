package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DifficultyBreakdownTest {
    @Test
    void levelsJoinTheCsvInSetOrder(@TempDir Path dir) throws Exception {
        Path csv = Files.write(
                dir.resolve("labels.csv"),
                List.of("file,class,smoke,level", "a/1.png,a,0,0", "b/2.png,b,2,2", "a/0.png,a,1,1"));
        assertArrayEquals(
                new int[] {1, 0, 2},
                DifficultyBreakdown.levels(
                        csv, List.of(Path.of("a/0.png"), Path.of("a/1.png"), Path.of("b/2.png")), "level"));
        assertThrows(
                java.io.IOException.class, () -> DifficultyBreakdown.levels(csv, List.of(Path.of("c/9.png")), "level"));
    }

    @Test
    void oneFactorColumnGroupsBySizeOfItsLevel(@TempDir Path dir) throws Exception {
        Path csv = Files.write(
                dir.resolve("labels.csv"),
                List.of("file,class,exposure,level", "a/0.png,a,-3,3", "a/1.png,a,2,2", "a/2.png,a,0,1"));
        List<Path> files = List.of(Path.of("a/0.png"), Path.of("a/1.png"), Path.of("a/2.png"));
        assertArrayEquals(new int[] {3, 2, 0}, DifficultyBreakdown.levels(csv, files, "exposure"));
        assertThrows(java.io.IOException.class, () -> DifficultyBreakdown.levels(csv, files, "fog"));
    }

    @Test
    void perLevelAccuracyAndExits() {
        // 4 images, 2 classes; logits per exit [exit][image][class]: exit 1 right on images 0 and 2 only, exit 4 always
        // right
        float[][] right0 = {{2, 0}}, wrong0 = {{0, 2}};
        float[][][] logits = new float[4][4][];
        int[] labels = {0, 0, 0, 0};
        for (int e = 0; e < 4; e++) {
            for (int i = 0; i < 4; i++) logits[e][i] = (e == 0 && (i == 1 || i == 3)) ? wrong0[0] : right0[0];
        }
        FeatureCache cache = new FeatureCache(logits, null, labels);
        int[] level = {0, 0, 1, 1};
        int[] emExits = {1, 4, 1, 3};
        double[] cost = {0, 0.25, 0.5, 0.75, 1};
        List<DifficultyBreakdown.Level> r = DifficultyBreakdown.of(cache, level, emExits, cost);
        assertEquals(2, r.size());
        DifficultyBreakdown.Level easy = r.get(0), hard = r.get(1);
        assertEquals(2, easy.images());
        assertEquals(1.0, easy.fullAccuracy());
        assertEquals(0.5, easy.exit1Accuracy());
        assertEquals(1.0, easy.emAccuracy());
        assertEquals(2.5, easy.emMeanExit());
        assertEquals(0.625, easy.emCost());
        assertArrayEquals(new double[] {0.5, 0, 0, 0.5}, easy.emExitMix());
        assertEquals(2.0, hard.emMeanExit());
        assertEquals(0.5, hard.exit1Accuracy());
        assertArrayEquals(new double[] {0.5, 1, 1, 1}, hard.exitAccuracy());
        // the oracle stops at exit 1 where exit 1 is right (images 0 and 2) and at exit 2, the next right one,
        // elsewhere
        assertEquals(1.5, easy.oracleMeanExit());
        assertEquals(1.5, hard.oracleMeanExit());
    }
}
