package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DefaultLambdaTest {
    private static final double[] GRID = {-1, 0, 0.5, 1, 2};

    @Test
    void theLargestLambdaWithinTheToleranceOfFullDepth() {
        assertEquals(1, DefaultLambda.choose(GRID, new double[] {0.93, 0.93, 0.928, 0.926, 0.90}, 0.93, 0.005));
    }

    @Test
    void aNegativeLambdaWhenOnlyNegativeOnesAreAccurateEnough() {
        // the 256 px candidate's case: lambda 0 was 0.77 point below full depth, -1 was 0.24 below
        assertEquals(
                -1, DefaultLambda.choose(GRID, new double[] {0.9623, 0.9570, 0.9532, 0.9462, 0.9387}, 0.9647, 0.005));
    }

    @Test
    void theMostAccurateLambdaWhenNoneIsWithinTheTolerance() {
        // 0 and 0.5 tie on accuracy: the larger, cheaper one
        assertEquals(0.5, DefaultLambda.choose(GRID, new double[] {0.90, 0.91, 0.91, 0.89, 0.85}, 0.95, 0.005));
    }

    @Test
    void aGridAndItsAccuraciesMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> DefaultLambda.choose(GRID, new double[] {0.9}, 0.9, 0.005));
    }
}
