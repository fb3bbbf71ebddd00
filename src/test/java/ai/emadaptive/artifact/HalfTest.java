package ai.emadaptive.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfTest {

    @Test
    void knownEncodings() {
        assertEquals(0x3C00, Half.fromFloat(1f) & 0xFFFF);
        assertEquals(0xC000, Half.fromFloat(-2f) & 0xFFFF);
        assertEquals(0x7BFF, Half.fromFloat(65504f) & 0xFFFF); // largest finite
        assertEquals(0x0400, Half.fromFloat(0x1p-14f) & 0xFFFF); // smallest normal
        assertEquals(0x0001, Half.fromFloat(0x1p-24f) & 0xFFFF); // smallest subnormal
        assertEquals(0x3555, Half.fromFloat(1f / 3) & 0xFFFF);
        assertEquals(0x8000, Half.fromFloat(-0f) & 0xFFFF);
        assertEquals(0x7C00, Half.fromFloat(65520f) & 0xFFFF); // rounds past the largest finite: infinity
        assertEquals(0x7C00, Half.fromFloat(Float.POSITIVE_INFINITY) & 0xFFFF);
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        assertEquals(0, Half.fromFloat(0x1p-26f)); // below half the smallest subnormal
    }

    @Test
    void everyFiniteHalfSurvivesTheRoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00) continue;
            float f = Half.toFloat((short) h);
            assertEquals(h, Half.fromFloat(f) & 0xFFFF, () -> "half " + Integer.toHexString(f2h(f)) + " via " + f);
        }
    }

    @Test
    void valuesBetweenTwoHalvesRoundToTheNearestAndTiesToEven() {
        // positive halves only (the sign is a separate bit), each next to its successor, subnormals included
        for (int h = 0; h < 0x7BFF; h++) {
            float lo = Half.toFloat((short) h);
            float hi = Half.toFloat((short) (h + 1));
            float mid = (lo + hi) / 2; // exact: two halves' midpoint needs 12 significant bits
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, Half.fromFloat(mid) & 0xFFFF, "tie between " + lo + " and " + hi);
            assertEquals(
                    h, Half.fromFloat(Math.nextDown(mid)) & 0xFFFF, "just below the midpoint of " + lo + " and " + hi);
            assertEquals(
                    h + 1,
                    Half.fromFloat(Math.nextUp(mid)) & 0xFFFF,
                    "just above the midpoint of " + lo + " and " + hi);
            assertEquals(0x8000 | h, Half.fromFloat(-Math.nextDown(mid)) & 0xFFFF);
        }
    }

    private static int f2h(float f) {
        return Half.fromFloat(f) & 0xFFFF;
    }
}
