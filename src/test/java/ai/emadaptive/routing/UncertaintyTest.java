package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The feature distance on features whose distribution is known, and the linear algebra under it. */
class UncertaintyTest {
    private static final int C = 6;

    /** Two groups per stage, correlated channels: channel 1 follows channel 0. */
    private static float[] sample(Random rnd, int group) {
        float[] f = new float[C];
        double a = rnd.nextGaussian();
        f[0] = (float) (a + 4 * group);
        f[1] = (float) (a + 0.1 * rnd.nextGaussian());
        for (int k = 2; k < C; k++) f[k] = (float) (rnd.nextGaussian() + (k == 2 ? -3 * group : 0));
        return f;
    }

    private static Uncertainty fitted(Random rnd, int n, double q) {
        float[][][] features = new float[4][n][];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = i % 2;
            float[] f = sample(rnd, groups[i]);
            for (int s = 0; s < 4; s++) features[s][i] = f;
        }
        return Uncertainty.fit(features, groups, q, "synthetic");
    }

    private static double max(Uncertainty u, float[] f, int exit) {
        float[] z = new float[u.maxChannels()];
        double m = 0;
        for (int s = 1; s <= exit; s++) m = Math.max(m, u.score(s, f, z));
        return m;
    }

    @Test
    void newInDistributionFramesAreFlaggedAtAboutOneMinusTheQuantile() {
        Random rnd = new Random(3);
        Uncertainty u = fitted(rnd, 4000, 0.95);
        int flagged = 0, n = 4000;
        for (int i = 0; i < n; i++) if (u.uncertain(4, max(u, sample(rnd, i % 2), 4))) flagged++;
        assertEquals(0.05, (double) flagged / n, 0.02);
    }

    /** Frames of "another video": the same groups, every channel shifted by {@code shift} standard deviations. */
    private static float[] shifted(Random rnd, int group, double shift) {
        float[] f = sample(rnd, group);
        for (int k = 0; k < C; k++) f[k] += (float) shift;
        return f;
    }

    @Test
    void thresholdsSetOnOtherVideosKeepANewVideoCertainAndStillFlagWhatIsFarther() {
        Random rnd = new Random(6);
        int n = 2000;
        float[][][] fit = new float[4][n][], held = new float[4][n][];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = i % 2;
            float[] f = sample(rnd, groups[i]), h = shifted(rnd, i % 2, rnd.nextBoolean() ? 1.0 : -1.0);
            for (int s = 0; s < 4; s++) {
                fit[s][i] = f;
                held[s][i] = h;
            }
        }
        Uncertainty own = fitted(new Random(7), n, 0.99);
        Uncertainty across = Uncertainty.fit(fit, groups, held, 0.99, "synthetic");
        int ownFlags = 0, acrossFlags = 0, farFlags = 0;
        for (int i = 0; i < n; i++) {
            float[] next = shifted(rnd, i % 2, rnd.nextBoolean() ? 1.0 : -1.0);
            if (own.uncertain(4, max(own, next, 4))) ownFlags++;
            if (across.uncertain(4, max(across, next, 4))) acrossFlags++;
            if (across.uncertain(4, max(across, shifted(rnd, i % 2, 4.0), 4))) farFlags++;
        }
        assertTrue(
                ownFlags > 0.1 * n,
                "thresholds from the fitting frames' own spread flag much of a new video: " + ownFlags);
        assertTrue(acrossFlags < 0.03 * n, "thresholds from other videos keep a new one certain: " + acrossFlags);
        assertTrue(farFlags > 0.9 * n, "and still flag frames farther than any video: " + farFlags);
    }

    @Test
    void aFrameOffTheLearntCorrelationIsFlaggedThoughEachChannelLooksUsual() {
        Random rnd = new Random(4);
        Uncertainty u = fitted(rnd, 2000, 0.99);
        float[] usual = sample(rnd, 0);
        usual[0] = 0;
        usual[1] = 0;
        assertFalse(u.uncertain(1, max(u, usual, 1)));
        // each channel within its usual range, but channel 1 no longer follows channel 0: only a full covariance sees
        // it
        float[] odd = usual.clone();
        odd[0] = 1.5f;
        odd[1] = -1.5f;
        assertTrue(u.uncertain(1, max(u, odd, 1)));
        float[] far = usual.clone();
        far[4] = 12;
        assertTrue(u.uncertain(1, max(u, far, 1)));
        // the distance is to the nearest group: the second group's centre is in distribution
        float[] other = new float[C];
        other[0] = 4;
        other[1] = 0;
        other[2] = -3;
        assertFalse(u.uncertain(4, max(u, other, 4)), "the second group's mean");
    }

    @Test
    void choleskyAndTriangularInverseWhitenTheCovariance() {
        double[][] a = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
        double[][] l = Uncertainty.cholesky(a);
        double[][] inv = Uncertainty.invertLower(l);
        // inv * a * inv^T = identity
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int p = 0; p < 3; p++) for (int q = 0; q < 3; q++) v += inv[i][p] * a[p][q] * inv[j][q];
                assertEquals(i == j ? 1 : 0, v, 1e-12, i + "," + j);
            }
        }
        assertArrayEquals(new double[] {2, 0, 0}, l[0], 1e-12);
    }

    @Test
    void itRoundTripsThroughJsonAsTheArtifactStoresIt() {
        Uncertainty u = fitted(new Random(5), 200, 0.99);
        Uncertainty back = Uncertainty.fromJson(u.toJson());
        float[] f = sample(new Random(6), 1);
        assertEquals(max(u, f, 4), max(back, f, 4), 1e-12);
        assertArrayEquals(u.thresholds(), back.thresholds(), 0);
    }
}
