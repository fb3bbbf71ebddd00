package ai.emadaptive.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The control law against a simulated plant: latency grows with streams and falls with lambda, with noise. */
class LambdaControllerTest {
    private static final double BUDGET = 33;

    /** Normalised cost falls monotonically with lambda, as the routers guarantee. */
    private static double cost(double lambda) {
        return 0.35 + 0.65 / (1 + lambda);
    }

    /** p95 latency of the plant: 12 ms per stream at full cost, +-5% noise. */
    private static double p95(int streams, double lambda, Random rnd) {
        return 12 * streams * cost(lambda) * (1 + 0.05 * (2 * rnd.nextDouble() - 1));
    }

    @Test
    void loadUpRaisesLambdaUntilTheBudgetHoldsThenLoadDownReturnsToTheFloor() {
        LambdaController c = new LambdaController(ControlSettings.defaults(BUDGET), 1.0, 32);
        Random rnd = new Random(1);
        double lambda = c.lambda();
        for (int t = 0; t < 20; t++) lambda = c.tick(p95(1, lambda, rnd), 0);
        assertEquals(1.0, lambda, "light load: accuracy-optimal lambda");
        assertEquals(LambdaController.State.AT_FLOOR, c.state());

        // four streams: over budget at the floor
        assertTrue(p95(4, 1.0, new Random(2)) > BUDGET * 0.8);
        List<Double> trace = new ArrayList<>();
        int firstOk = -1;
        for (int t = 0; t < 80; t++) {
            double lat = p95(4, lambda, rnd);
            if (firstOk < 0 && lat <= BUDGET * 0.8) firstOk = t;
            lambda = c.tick(lat, 0);
            trace.add(lambda);
        }
        assertTrue(firstOk >= 0 && firstOk <= 5, "budget met within 5 ticks, was " + firstOk);
        assertTrue(lambda > 1.0);
        assertTrue(p95(4, lambda, new Random(3)) <= BUDGET, "steady state within budget");
        assertTrue(
                directionChanges(trace.subList(10, trace.size())) == 0,
                "steady load: lambda holds, no oscillation " + trace);

        // back to one stream: lambda returns to the floor within 10 ticks
        int back = -1;
        for (int t = 0; t < 40; t++) {
            lambda = c.tick(p95(1, lambda, rnd), 0);
            if (back < 0 && lambda == 1.0) back = t;
        }
        assertTrue(back >= 0 && back <= 10, "back at the floor after " + back + " ticks");
        assertEquals(LambdaController.State.AT_FLOOR, c.state());
    }

    @Test
    void dropsCountAsPressureAndTheCeilingHolds() {
        LambdaController c = new LambdaController(ControlSettings.defaults(BUDGET), 0.5, 4);
        double l = 0;
        for (int t = 0; t < 30; t++) l = c.tick(5, 0.2); // latency fine, but frames dropped
        assertEquals(4, l, "pinned at the ceiling");
        assertEquals(LambdaController.State.AT_CEILING, c.state());
    }

    @Test
    void insideTheDeadBandNothingMoves() {
        LambdaController c = new LambdaController(ControlSettings.defaults(BUDGET), 1, 32);
        c.tick(40, 0);
        double raised = c.lambda();
        for (int t = 0; t < 50; t++) c.tick(BUDGET * 0.65, 0); // between low (0.5) and high (0.8)
        assertEquals(raised, c.lambda());
        assertEquals(LambdaController.State.HOLDING, c.state());
        c.tick(BUDGET * 0.3, 0); // one calm tick is not enough
        assertEquals(raised, c.lambda());
        c.tick(BUDGET * 0.3, 0);
        assertTrue(c.lambda() < raised, "two calm ticks lower it");
    }

    @Test
    void atSaturationFailedProbesBackOffInsteadOfCycling() {
        // A worker at its limit: latency is low while cost stays under what it can process, and once cost is above,
        // it falls behind (latency over budget, frames dropped). Lowering lambda from just above the cliff brings
        // pressure straight back, so every probe costs a tick of drops.
        double cliff = cost(3.0);
        LambdaController c = new LambdaController(ControlSettings.defaults(BUDGET), 1.0, 32);
        int pressureTicks = 0, ticks = 0;
        for (int t = 0; t < 400; t++) {
            boolean behind = cost(c.lambda()) > cliff;
            double l = c.tick(behind ? 60 : 12, behind ? 0.05 : 0);
            if (t >= 40) {
                ticks++;
                if (behind) pressureTicks++;
                assertTrue(l < 12, "lambda stays near the cliff, not at the ceiling: " + l);
            }
        }
        // without the back-off this law probes every 3 ticks (a third of the ticks dropping frames)
        assertTrue(pressureTicks <= ticks / 15, pressureTicks + " of " + ticks + " ticks under pressure");
        assertTrue(pressureTicks >= 1, "it still probes for headroom");
    }

    @Test
    void aLateTailIsPressureEvenWhileTheP95SitsInTheDeadBand() {
        // latency in bursts: the p95 stays between low and high, but at full cost 3% of the frames are over the
        // budget, a share that shrinks with cost and is gone below cost 0.6
        LambdaController c = new LambdaController(ControlSettings.defaults(BUDGET), 0, 32);
        double lateSum = 0;
        int ticks = 0;
        for (int t = 0; t < 200; t++) {
            double late = Math.max(0, 0.03 * (cost(c.lambda()) - 0.6) / 0.4);
            c.tick(BUDGET * 0.65, late, 0);
            if (t >= 20) {
                lateSum += late;
                ticks++;
            }
        }
        assertTrue(c.lambda() > 1.0, "raised until the tail is within maxLateRate: " + c.lambda());
        assertTrue(lateSum / ticks <= 0.005, "late share in steady state " + lateSum / ticks);
        assertTrue(c.lambda() < 3, "but not far past it: " + c.lambda());

        LambdaController p95Only = new LambdaController(ControlSettings.defaults(BUDGET), 0, 32);
        for (int t = 0; t < 200; t++) p95Only.tick(BUDGET * 0.65, 0);
        assertEquals(0, p95Only.lambda(), "the p95 alone never sees the tail");
    }

    @Test
    void aFloorOfZeroIsReached() {
        LambdaController c = new LambdaController(ControlSettings.defaults(BUDGET), 0, 32);
        for (int t = 0; t < 20; t++) c.tick(100, 0.5);
        assertEquals(32, c.lambda());
        int ticks = 0;
        while (c.lambda() > 0 && ticks < 100) {
            c.tick(5, 0);
            ticks++;
        }
        assertEquals(0, c.lambda(), "lowering subtracts a step, so 0 is reached, not approached");
        assertTrue(ticks <= 16, "from the ceiling to 0 in " + ticks + " ticks");
        assertEquals(LambdaController.State.AT_FLOOR, c.state());
    }

    @Test
    void aNegativeFloorIsRaisedAndRegainedLikeAnyOther() {
        // routers whose accuracy-optimal lambda is below 0 (the real-footage model's is -1): scaling lambda itself
        // would move it further down under pressure, so the law scales the distance above the floor
        LambdaController c = new LambdaController(ControlSettings.defaults(BUDGET), -1, 32);
        double previous = c.lambda();
        for (int t = 0; t < 6; t++) {
            double l = c.tick(60, 0);
            assertTrue(l > previous, "pressure raises lambda at every tick: " + previous + " -> " + l);
            previous = l;
        }
        assertTrue(previous > 1, "six ticks of pressure take it well past 0: " + previous);
        int ticks = 0;
        while (c.lambda() > -1 && ticks < 100) {
            c.tick(5, 0);
            ticks++;
        }
        assertEquals(-1, c.lambda(), "back at the floor");
        assertTrue(ticks <= 16, "back in " + ticks + " ticks");
        assertEquals(LambdaController.State.AT_FLOOR, c.state());
    }

    /** The 256 px surgical model's shape: every frame at exit 1 costs 0.8 of its accuracy-optimal routing. */
    private static double shed(double lambda) {
        return 0.8 + 0.2 / (1 + lambda);
    }

    /** p95 of a plant where lambda sheds at most a fifth and the stride divides the network's work. */
    private static double p95(int streams, double lambda, int stride, Random rnd) {
        return 12 * streams * shed(lambda) / stride * (1 + 0.05 * (2 * rnd.nextDouble() - 1));
    }

    @Test
    void whereLambdaCannotHoldTheBudgetTheStrideDoesAndLambdaComesBack() {
        // three streams: over the raise threshold even with every frame at exit 1
        assertTrue(12 * 3 * shed(32) * 0.95 > BUDGET * 0.8);
        LambdaController lambdaOnly = new LambdaController(ControlSettings.defaults(BUDGET), 0.25, 32);
        Random rnd = new Random(4);
        for (int t = 0; t < 60; t++) lambdaOnly.tick(p95(3, lambdaOnly.lambda(), 1, rnd), 0);
        assertEquals(32, lambdaOnly.lambda(), "lambda alone ends at its ceiling");
        assertEquals(1, lambdaOnly.stride(), "max stride 1: no reuse");
        assertTrue(p95(3, 32, 1, rnd) > BUDGET * 0.8, "and the budget is still threatened");

        LambdaController c =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(3, false), 0.25, 32);
        int pressure = 0;
        List<Integer> strides = new ArrayList<>();
        for (int t = 0; t < 160; t++) {
            double lat = p95(3, c.lambda(), c.stride(), rnd);
            if (t >= 30 && lat > BUDGET * 0.8) pressure++;
            double before = c.lambda();
            int strideBefore = c.stride();
            c.tick(lat, 0);
            if (c.stride() > strideBefore)
                assertEquals(32, before, "the stride rises only once lambda is at its ceiling");
            if (t >= 30) strides.add(c.stride());
        }
        assertEquals(0, pressure, "after the first ticks the budget holds: no probe of stride 1 that must fail");
        assertEquals(2, c.stride(), "stride 2 carries three streams");
        assertTrue(strides.stream().allMatch(v -> v == 2), "and stays: " + strides);
        assertEquals(
                0.25, c.lambda(), "with the stride holding the load, lambda returned to its accuracy-optimal floor");

        int back = -1;
        for (int t = 0; t < 40; t++) {
            c.tick(p95(1, c.lambda(), c.stride(), rnd), 0);
            if (back < 0 && c.state() == LambdaController.State.AT_FLOOR) back = t;
        }
        assertTrue(back >= 0 && back <= 10, "one stream: every frame inferred again after " + back + " ticks");
        assertEquals(1, c.stride());
        assertEquals(0.25, c.lambda());
    }

    @Test
    void reuseFirstMovesTheStrideBeforeLambdaBothWays() {
        LambdaController c =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(3, true), 0.25, 32);
        Random rnd = new Random(5);
        for (int t = 0; t < 60; t++) c.tick(p95(3, c.lambda(), c.stride(), rnd), 0);
        assertEquals(0.25, c.lambda(), "three streams: the stride suffices, lambda stays at its floor");
        assertEquals(2, c.stride());

        // nine streams are over the budget itself at stride 3: they need some lambda on top
        assertTrue(12 * 9 * shed(0.25) / 3 > BUDGET);
        boolean lambdaBeforeMaxStride = false;
        double largestStep = 0;
        int over = 0;
        for (int t = 0; t < 80; t++) {
            double before = c.lambda();
            double lat = p95(9, c.lambda(), c.stride(), rnd);
            if (t >= 40 && lat > BUDGET) over++;
            c.tick(lat, 0);
            largestStep = Math.max(largestStep, c.lambda() - before);
            if (c.lambda() > 0.25 && c.stride() < 3) lambdaBeforeMaxStride = true;
        }
        assertEquals(0.25, largestStep, 1e-9, "behind the stride lambda is trimmed a step a tick, never multiplied");
        assertEquals(3, c.stride());
        assertTrue(c.lambda() > 0.25, "lambda rises once the stride is at its most: " + c.lambda());
        assertTrue(!lambdaBeforeMaxStride, "never lambda before the stride is used up");
        assertTrue(over <= 4, "within budget on all but a few of the last 40 ticks: " + over);

        boolean strideBeforeFloor = false;
        for (int t = 0; t < 80; t++) {
            c.tick(p95(1, c.lambda(), c.stride(), rnd), 0);
            if (c.stride() < 3 && c.lambda() > 0.25) strideBeforeFloor = true;
        }
        assertTrue(!strideBeforeFloor, "with headroom lambda comes down first");
        assertEquals(LambdaController.State.AT_FLOOR, c.state());
        assertEquals(1, c.stride());
    }

    @Test
    void withoutAStrideToGoFirstLambdaIsRaisedAsFastAsAlone() {
        // max-stride 1 turns reuse off: reuse-first must not leave lambda with only the slow nudge
        LambdaController plain = new LambdaController(ControlSettings.defaults(BUDGET), 0.25, 32);
        LambdaController reuseOff =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(1, true), 0.25, 32);
        for (int t = 0; t < 6; t++) {
            plain.tick(60, 0);
            reuseOff.tick(60, 0);
            assertEquals(plain.lambda(), reuseOff.lambda(), 1e-12);
        }
        assertEquals(1, reuseOff.stride());
        assertTrue(reuseOff.lambda() > 3, "six ticks of strong pressure: " + reuseOff.lambda());
    }

    @Test
    void behindAStrideAtItsMostSingleLateTicksDoNotRatchetLambdaUp() {
        // stride 4 carries the load with the p95 in the dead band; one tick in ten has a late tail
        LambdaController c =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(4, true), 0.25, 32);
        for (int t = 0; t < 3; t++) c.tick(30, 0);
        assertEquals(4, c.stride());
        double highest = 0, sum = 0;
        for (int t = 0; t < 400; t++) {
            c.tick(BUDGET * 0.65, t % 10 == 0 ? 0.02 : 0, 0);
            highest = Math.max(highest, c.lambda());
            if (t >= 100) sum += c.lambda();
        }
        assertTrue(
                highest <= 0.75, "each late tick nudges lambda, the ticks without pressure take it back: " + highest);
        assertTrue(sum / 300 < 0.5, "mean lambda " + sum / 300);
        assertEquals(4, c.stride(), "the stride comes down only with headroom");
    }

    @Test
    void behindAStrideAtItsMostOnlyTheBudgetItselfRaisesLambda() {
        LambdaController c =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(4, true), 0.25, 32);
        for (int t = 0; t < 3; t++) c.tick(0.85 * BUDGET, 0);
        assertEquals(4, c.stride(), "a p95 over high * budget raises the stride");
        assertEquals(0.25, c.lambda());
        for (int t = 0; t < 20; t++) c.tick(0.95 * BUDGET, 0, 0);
        assertEquals(
                0.25, c.lambda(), "behind a stride at its most a p95 within the budget leaves lambda at its floor");
        assertEquals(4, c.stride(), "and is no headroom for the stride");
        c.tick(0.95 * BUDGET, 0.008, 0);
        assertEquals(0.25, c.lambda(), "0.8% late is within the 99% target: no raise");
        c.tick(0.95 * BUDGET, 0.02, 0);
        assertEquals(0.5, c.lambda(), 1e-12, "a late share over the target raises it");
        c.tick(1.1 * BUDGET, 0, 0);
        assertEquals(0.75, c.lambda(), 1e-12, "so does a p95 over the budget");
        c.tick(0.9 * BUDGET, 0, 0.02);
        assertEquals(1.0, c.lambda(), 1e-12, "and drops");

        LambdaController lambdaFirst =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(4, false), 0.25, 32);
        lambdaFirst.tick(0.85 * BUDGET, 0);
        assertTrue(lambdaFirst.lambda() > 0.25, "lambda first: high * budget raises lambda as before");
    }

    @Test
    void behindAStrideAtItsMostABurstsTrimComesBackWhileTheP95SwingsAcrossTheBand() {
        LambdaController c =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(4, true), 0.25, 32);
        for (int t = 0; t < 3; t++) c.tick(0.85 * BUDGET, 0);
        for (int t = 0; t < 8; t++) c.tick(1.2 * BUDGET, 0); // a burst: a new stream's decoder starting
        assertEquals(2.25, c.lambda(), 1e-12);
        int back = -1;
        for (int t = 0; t < 40 && back < 0; t++) {
            c.tick((t % 2 == 0 ? 0.7 : 0.9) * BUDGET, 0, 0); // every other tick in the band between 0.8 B and B
            if (c.lambda() == 0.25) back = t;
        }
        assertTrue(back >= 0 && back <= 16, "back at the floor after " + back + " ticks, the stride still at 4");
        assertEquals(4, c.stride());
    }

    @Test
    void theStrideIsPartOfTheCeiling() {
        LambdaController c =
                new LambdaController(ControlSettings.defaults(BUDGET).withReuse(3, false), 0.5, 4);
        List<LambdaController.State> states = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            c.tick(5, 0.2); // latency fine, frames dropped
            states.add(c.state());
        }
        assertEquals(4, c.lambda());
        assertEquals(3, c.stride());
        assertEquals(LambdaController.State.AT_CEILING, c.state());
        int firstCeiling = states.indexOf(LambdaController.State.AT_CEILING);
        assertTrue(
                firstCeiling > 0 && states.get(firstCeiling - 1) == LambdaController.State.RAISING,
                "lambda at its ceiling with the stride still to raise is not yet the ceiling: " + states);
    }

    private static int directionChanges(List<Double> v) {
        int changes = 0, last = 0;
        for (int i = 1; i < v.size(); i++) {
            int d = Double.compare(v.get(i), v.get(i - 1));
            if (d != 0 && last != 0 && d != last) changes++;
            if (d != 0) last = d;
        }
        return changes;
    }
}
