package ai.emadaptive.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class SceneAugmentationTest {
    private static final int S = 32;
    private static final Normalisation UNIT = new Normalisation(new float[] {0, 0, 0}, new float[] {1, 1, 1});

    /** A bright red left half (x < S/2) beside a dark blue right half. */
    private static ImageSet halves() {
        byte[] px = new byte[S * S * 3];
        for (int y = 0; y < S; y++)
            for (int x = 0; x < S; x++) {
                int o = (y * S + x) * 3;
                px[o] = (byte) (x < S / 2 ? 220 : 20);
                px[o + 1] = (byte) 40;
                px[o + 2] = (byte) (x < S / 2 ? 30 : 120);
            }
        return new ImageSet(List.of("a"), S, px, new int[] {0});
    }

    private static float[] fill(BatchFiller f, Random rnd) {
        return f.fill(new int[] {0}, 0, 1, rnd).data().asFloat();
    }

    @Test
    void withoutRandomnessTheImageIsOnlyNormalised() {
        ImageSet set = halves();
        float[] plain = fill(new BatchFiller(set, UNIT, Augmentation.SCENE), null);
        assertArrayEquals(fill(new BatchFiller(set, UNIT, Augmentation.CIFAR), null), plain);
        assertEquals(220 / 255f, plain[0], 1e-6);
    }

    @Test
    void everyDrawFramesAndLightsTheImageDifferentlyYetKeepsItsContent() {
        BatchFiller filler = new BatchFiller(halves(), UNIT, Augmentation.SCENE);
        Random rnd = new Random(7);
        float[] first = fill(filler, rnd);
        int flipped = 0, draws = 200;
        double brightness = 0;
        for (int d = 0; d < draws; d++) {
            float[] a = fill(filler, rnd);
            assertFalse(java.util.Arrays.equals(first, a), "draw " + d + " equals the first");
            double left = 0, right = 0, sum = 0;
            for (int y = 0; y < S; y++)
                for (int x = 0; x < S; x++) {
                    float r = a[(y * S + x) * 3];
                    assertTrue(r >= 0 && r <= 1, "pixels stay in range: " + r);
                    if (x < 4) left += r;
                    if (x >= S - 4) right += r;
                    for (int c = 0; c < 3; c++) sum += a[(y * S + x) * 3 + c];
                }
            // the red half stays redder than the blue one whatever the light: only the side changes, by the flip
            assertTrue(left != right, "draw " + d + " keeps the two halves apart");
            if (right > left) flipped++;
            brightness += sum / (S * S * 3) / draws;
        }
        assertTrue(flipped > draws / 4 && flipped < 3 * draws / 4, "about half the draws are flipped: " + flipped);
        double original = (220 + 20 + 40 + 40 + 30 + 120) / 6.0 / 255;
        assertEquals(original, brightness, 0.1 * original, "light varies around the image's own, not away from it");
    }

    @Test
    void theSameSeedGivesTheSameBatch() {
        BatchFiller a = new BatchFiller(halves(), UNIT, Augmentation.SCENE),
                b = new BatchFiller(halves(), UNIT, Augmentation.SCENE);
        INDArray x = a.fill(new int[] {0}, 0, 1, new Random(3)), y = b.fill(new int[] {0}, 0, 1, new Random(3));
        assertEquals(x, y);
    }
}
