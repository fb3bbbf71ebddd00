package ai.emadaptive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentileTest {
    @Test
    void nearestRankOnKnownSamples() {
        double[] hundred = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        assertEquals(50, Percentile.of(hundred, 50));
        assertEquals(95, Percentile.of(hundred, 95));
        assertEquals(99, Percentile.of(hundred, 99));
        assertEquals(100, Percentile.of(hundred, 100));
        assertEquals(1, Percentile.of(hundred, 0));
        double[] ten = IntStream.rangeClosed(1, 10).asDoubleStream().toArray();
        assertEquals(10, Percentile.of(ten, 95), "the smallest sample with at least 95% at or below it");
        assertEquals(7, Percentile.of(new double[] {7}, 99));
        assertTrue(Double.isNaN(Percentile.of(new double[0], 50)));
    }
}
