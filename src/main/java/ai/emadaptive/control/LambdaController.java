package ai.emadaptive.control;

/**
 * Sets lambda from measured load, once per tick (a fixed period, e.g. 250 ms), with a dead band:
 * <ul>
 * <li>pressure (the window's p95 end-to-end latency above {@code high * budget}, or more than {@code maxDropRate} of
 * the frames dropped): raise lambda multiplicatively, {@code x = x * raiseFactor + raiseStep}, up to the ceiling;
 * only more than {@code maxLateRate} of the frames over the budget: raise it by {@code raiseStep};</li>
 * <li>headroom (p95 below {@code low * budget}, no frame over the budget and no drops) for {@code calmTicks} ticks
 * in a row: lower lambda, {@code x = max(0, x * lowerFactor - lowerStep)}, a step per tick;</li>
 * <li>in between: hold.</li>
 * </ul>
 * where {@code x = lambda - floor}: the law scales lambda's distance above the floor, not lambda itself, so a floor
 * below 0 (routers whose accuracy-optimal lambda is negative) is raised the same way as any other.
 * Near saturation a lower lambda can be just too expensive: latency is fine until the worker falls behind, then
 * frames drop. Each lowering that brings pressure back therefore doubles the calm ticks needed before the next
 * one (up to {@code maxCalmTicks}, back to {@code calmTicks} at the floor), so the controller probes less and less
 * often instead of cycling between two lambdas and dropping frames every few ticks.
 * Because every router's exit probability rises with lambda (cost falls monotonically), raising lambda sheds
 * compute; the floor is the accuracy-optimal lambda, so with no load the stream runs as accurately as routing
 * allows. The gap between {@code low} and {@code high}, and the calm ticks, keep it from oscillating.
 * <p>Lambda can only move frames to earlier exits, so what it sheds is bounded by the cost of exit 1. The second,
 * coarse actuator is the stride ({@link #stride()}): one frame in {@code stride} is inferred and the frames between
 * carry its result, which video allows because consecutive frames mostly show the same thing. Under pressure the
 * controller moves one actuator at a time, lambda first and then the stride a step per tick (or the stride first
 * with {@link ControlSettings#reuseFirst()}), and with headroom it undoes them in the reverse order, or moves the
 * other one where that one cannot move; calm ticks and back-off apply to both. The stride comes down only where the
 * p95 scaled by the extra work ({@code stride / (stride - 1)}) stays under {@code high * budget}: with lambda first,
 * a load that needs stride 2 keeps it and lets lambda return to its floor, the more accurate of the two. With the
 * stride first, lambda behind a stride at its most is a trim: raised a step at a time, and only where the budget
 * itself is missed (see {@code raiseAboveMs()}), and lowered on ticks that would not be pressure elsewhere (see
 * {@code trimming()}). The floor state is lambda at its floor with stride 1, the ceiling state both at their
 * limits.
 * Plain state machine: no clock, no threads; the caller ticks it.
 */
public final class LambdaController {
    public enum State {
        AT_FLOOR,
        HOLDING,
        RAISING,
        LOWERING,
        AT_CEILING
    }

    private final ControlSettings settings;
    private final double floor;
    private final double ceiling;
    private double lambda;
    private int stride = 1;
    private int calm;
    private int calmNeeded;
    private boolean loweredSincePressure;
    private State state = State.AT_FLOOR;

    /** @param floor the accuracy-optimal lambda (lambda never goes below it); {@code ceiling} the cheapest allowed */
    public LambdaController(ControlSettings settings, double floor, double ceiling) {
        if (!(Double.isFinite(floor) && ceiling > floor))
            throw new IllegalArgumentException("need a finite floor < ceiling");
        this.settings = settings;
        this.floor = floor;
        this.ceiling = ceiling;
        this.lambda = floor;
        this.calmNeeded = settings.calmTicks();
    }

    /** One control step with no frame over the budget: see {@link #tick(double, double, double)}. */
    public double tick(double p95Ms, double dropRate) {
        return tick(p95Ms, 0, dropRate);
    }

    /**
     * One control step.
     *
     * @param p95Ms    95th percentile end-to-end latency of the frames processed during the tick (NaN if none)
     * @param lateRate share of frames whose latency exceeded the budget: of this tick's, or, as {@link AdaptiveLambda}
     *                 passes it, of the last few ticks' when this tick had a late frame and 0 otherwise
     *                 ({@link TailShare}); 0 means no late frame this tick
     * @param dropRate share of decoded frames dropped during the tick
     * @return the lambda to use until the next tick
     */
    public double tick(double p95Ms, double lateRate, double dropRate) {
        boolean strong = (!Double.isNaN(p95Ms) && p95Ms > raiseAboveMs()) || dropRate > settings.maxDropRate();
        boolean pressure = strong || lateRate > (behindMaxStride() ? settings.trimLateRate() : settings.maxLateRate());
        boolean headroom = !pressure
                && dropRate == 0
                && lateRate == 0
                && (Double.isNaN(p95Ms) || p95Ms < settings.low() * settings.budgetMs());
        if (pressure) {
            calm = 0;
            // the probe failed: wait longer before the next; not for the trim behind a stride at its most, whose probe
            // is a
            // small step with the network already at 1 / max-stride of its work, not a step off a cliff
            if (loweredSincePressure && !behindMaxStride())
                calmNeeded = Math.min(settings.maxCalmTicks(), 2 * calmNeeded);
            loweredSincePressure = false;
            boolean reuse = stride < settings.maxStride() && (settings.reuseFirst() || lambda >= ceiling);
            if (reuse) stride++;
            else raiseLambda(strong && !strideFirst());
            state = atTop() ? State.AT_CEILING : State.RAISING;
        } else if (headroom
                || trimming()
                        && !Double.isNaN(p95Ms)
                        && p95Ms <= settings.high() * settings.budgetMs()
                        && lateRate <= settings.maxLateRate()
                        && dropRate == 0) {
            calm++;
            boolean lessReuse =
                    headroom && stride > 1 && p95AtStride(p95Ms, stride - 1) < settings.high() * settings.budgetMs();
            boolean canLower = lambda > floor || lessReuse;
            if (calm >= calmNeeded && canLower) {
                // undo in the reverse order of raising; when that actuator cannot move, the other may
                boolean strideNow = lessReuse && (!settings.reuseFirst() || lambda == floor);
                if (strideNow) stride--;
                else lowerLambda();
                loweredSincePressure = true;
                // back at the bottom, or lambda back at its floor (nothing of lambda left to probe): the back-off ends
                if (atBottom() || !strideNow && lambda == floor) calmNeeded = settings.calmTicks();
                state = atBottom() ? State.AT_FLOOR : State.LOWERING;
            } else {
                state = atBottom() ? State.AT_FLOOR : State.HOLDING;
            }
        } else {
            if (!trimming())
                calm = 0; // the trim's band between its thresholds holds lambda but does not restart the wait
            state = atBottom() ? State.AT_FLOOR : atTop() ? State.AT_CEILING : State.HOLDING;
        }
        return lambda;
    }

    /**
     * The p95 that counts as pressure: {@code high * budget}, early enough to act before frames are late; but behind a
     * stride at its most (stride first) only the budget itself, as only a late share over the target itself
     * ({@code trimLateRate}) counts there. The network then runs on one frame in max-stride and what is left of the
     * latency is mostly the node's other work (decoding every frame of every stream), which lambda barely moves, while
     * each raise sends hard frames to exit 1: on the smoky clip a p95 at 0.8 B from 13 streams drove lambda to 1-7 and
     * cost 10-30 points with no gain in frames within the budget. Drops still raise it at once.
     */
    private double raiseAboveMs() {
        return behindMaxStride() ? settings.budgetMs() : settings.high() * settings.budgetMs();
    }

    /** The stride goes first and is at its most: lambda is the last resort. */
    private boolean behindMaxStride() {
        return strideFirst() && stride == settings.maxStride();
    }

    /**
     * The p95 expected at a lower stride: inferring one frame in {@code to} instead of one in {@code stride} multiplies
     * the network's work by {@code stride / to}, and latency grows at least as fast as load. A stride step is coarse
     * (2 -> 1 doubles the work), so the controller lowers it only where this stays under the raise threshold: a probe
     * that is sure to fail would cost a burst of late frames each time.
     */
    private double p95AtStride(double p95Ms, int to) {
        return Double.isNaN(p95Ms) ? 0 : p95Ms * stride / to;
    }

    /**
     * A late tail alone means the stream runs near its budget: nudge; a high p95 or drops: raise fast. With the stride
     * first, lambda only ever nudges: the stride has already cut the network's work to 1 / max-stride, so what is
     * left is a trim, and a fast raise overshoots into early exits that can cost tens of points (on the smoky clip
     * exit 1 gets 12% of the hardest frames right).
     */
    private void raiseLambda(boolean strong) {
        double x = lambda - floor;
        lambda = Math.min(
                ceiling,
                floor + (strong ? x * settings.raiseFactor() + settings.raiseStep() : x + settings.raiseStep()));
    }

    private void lowerLambda() {
        lambda = floor + Math.max(0, (lambda - floor) * settings.lowerFactor() - settings.lowerStep());
        if (lambda - floor < 1e-3) lambda = floor;
    }

    /**
     * Lambda above its floor behind a stride at its most (stride first): there lambda is a trim, raised a step at a
     * time, and lowered on any tick that would not be pressure elsewhere (p95 within {@code high * budget}, the late
     * share within {@code maxLateRate}, nothing dropped), not only on fully calm ones. With the stride at its most the
     * p95 of a loaded node sits in the dead band; waiting for half the budget and not one late frame let single late
     * ticks ratchet lambda up for good (on the smoky clip, to 1-3 and 10-13 points lost). Between that and the raise
     * thresholds of the trim (the budget itself, {@code trimLateRate}) lambda holds, but such a tick does not restart
     * the calm ticks' count: at a loaded node the p95 of a 250 ms tick swings across 0.8 B, and restarting held lambda
     * at 2.5 and 3.25 for about 6 s each after bursts (mixed clip, 16-17 streams, 5 points lost at 17).
     */
    private boolean trimming() {
        return behindMaxStride() && lambda > floor;
    }

    /** The stride moves first, and there is a stride to move (max-stride above 1). */
    private boolean strideFirst() {
        return settings.reuseFirst() && settings.maxStride() > 1;
    }

    /** Accuracy-optimal lambda, every frame inferred. */
    private boolean atBottom() {
        return lambda == floor && stride == 1;
    }

    /** Nothing more to shed. */
    private boolean atTop() {
        return lambda >= ceiling && stride == settings.maxStride();
    }

    /**
     * Frames per inference for adaptive streams: 1 runs the network on every frame; k runs it on one frame in k and
     * the k-1 between carry that frame's result. Only above 1 when {@link ControlSettings#maxStride()} allows.
     */
    public int stride() {
        return stride;
    }

    public double lambda() {
        return lambda;
    }

    public State state() {
        return state;
    }

    public ControlSettings settings() {
        return settings;
    }
}
