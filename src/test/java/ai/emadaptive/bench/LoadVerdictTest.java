package ai.emadaptive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadVerdictTest {
    /** levels of 4, 8, 12, ... streams from {within budget, drop rate, accuracy} triples, 1,000 frames each */
    private static List<LoadBenchmark.Level> levels(double[]... rows) {
        List<LoadBenchmark.Level> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            double[] r = rows[i];
            out.add(new LoadBenchmark.Level(
                    4 * (i + 1),
                    1000,
                    1,
                    2,
                    3,
                    r[0],
                    (long) (r[1] * 1000),
                    r[1],
                    0.4,
                    r[2],
                    1,
                    new double[4],
                    0,
                    Double.NaN));
        }
        return out;
    }

    @Test
    void breakSustainedLoadAndAccuracyLostAsTheTargetsDefineThem() {
        List<LoadBenchmark.Level> ref = levels(
                new double[] {1, 0, 0.92},
                new double[] {0.99, 0, 0.90},
                new double[] {0.95, 0.02, 0.91},
                new double[] {0.89, 0.05, 0.90},
                new double[] {0.5, 0.4, 0.9},
                new double[] {0.1, 0.9, 0.9});
        List<LoadBenchmark.Level> adaptive = levels(
                new double[] {1, 0, 0.92},
                new double[] {1, 0, 0.91},
                new double[] {0.995, 0, 0.90},
                new double[] {0.991, 0.002, 0.88},
                new double[] {0.98, 0.02, 0.84},
                new double[] {0.98, 0.001, 0.80});
        LoadVerdict v = LoadVerdict.of(adaptive, ref);
        assertEquals(16, v.breakStreams(), "0.89 within budget is the first miss on more than 10%");
        assertEquals(0.991, v.adaptiveWithinUpToBreak(), 1e-12, "lowest share up to and including the break");
        assertEquals(16, v.sustainedStreams(), "24 streams dropped 2%, so the contiguous run stops at 16");
        assertEquals(1.0, v.headroom(), 1e-12);
        assertEquals(24, v.highestPassingStreams(), "a pass after a failed level still counts as the highest passing");
        assertEquals(
                (0.92 + 0.90 + 0.91) / 3,
                v.referenceAccuracy(),
                1e-12,
                "reference accuracy over the levels before its break");
        assertEquals(v.referenceAccuracy() - 0.88, v.accuracyLostAtSustained(), 1e-12);
        assertEquals(v.referenceAccuracy() - 0.80, v.accuracyLostAtHighestPassing(), 1e-12);
        assertTrue(v.describe().contains("breaks at 16 streams"), v.describe());
        assertTrue(v.describe().contains("highest level with <= 1% dropped: 24 streams"), v.describe());
    }

    @Test
    void aRampThatNeverBreaksHasNoBreakAndNoHeadroom() {
        List<LoadBenchmark.Level> ok = levels(new double[] {1, 0, 0.9}, new double[] {0.95, 0, 0.9});
        LoadVerdict v = LoadVerdict.of(ok, ok);
        assertNull(v.breakStreams());
        assertNull(v.headroom());
        assertEquals(8, v.sustainedStreams());
        assertEquals(0, v.accuracyLostAtSustained(), 1e-12);
        LoadVerdict none = LoadVerdict.of(
                levels(new double[] {0.5, 0.3, Double.NaN}), levels(new double[] {0.5, 0.3, Double.NaN}));
        assertEquals(4, none.breakStreams());
        assertNull(none.sustainedStreams());
        assertNull(none.referenceAccuracy(), "no level before the break, and no accuracy");
        assertThrows(IllegalArgumentException.class, () -> LoadVerdict.of(ok, levels(new double[] {1, 0, 1})));
    }
}
