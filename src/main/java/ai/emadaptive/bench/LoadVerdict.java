package ai.emadaptive.bench;

import java.util.List;

/**
 * Reads a load ramp against the adaptive-lambda targets, so every run states them the same way:
 * <ul>
 * <li>the <b>break</b>: the first level at which the fixed accuracy-optimal lambda (the reference) has more than 10%
 * of its frames over budget;</li>
 * <li>how adaptive held up to and including the break: its lowest share of frames within budget there;</li>
 * <li>the <b>sustained</b> load: the highest level such that adaptive dropped at most 1% of the frames there and at
 * every lower level; and also the highest level with at most 1% dropped, contiguous or not, since near saturation a
 * run can fail one level and pass the next;</li>
 * <li>the accuracy lost at a level: the reference's accuracy over the levels below its break (frame-weighted)
 * minus adaptive's at that level.</li>
 * </ul>
 * Fields are null where a ramp does not reach them (no break, nothing sustained, no accuracy).
 *
 * @param headroom sustained / break streams
 */
public record LoadVerdict(
        Integer breakStreams,
        Double adaptiveWithinUpToBreak,
        Integer sustainedStreams,
        Double headroom,
        Double accuracyLostAtSustained,
        Integer highestPassingStreams,
        Double accuracyLostAtHighestPassing,
        Double referenceAccuracy) {

    static final double MISS = 0.10;
    static final double DROP = 0.01;

    /** @param reference the fixed run at the accuracy-optimal lambda, on the same levels as {@code adaptive} */
    public static LoadVerdict of(List<LoadBenchmark.Level> adaptive, List<LoadBenchmark.Level> reference) {
        if (adaptive.size() != reference.size()) throw new IllegalArgumentException("runs have different levels");
        int brk = -1;
        for (int i = 0; i < reference.size() && brk < 0; i++)
            if (1 - reference.get(i).withinBudget() > MISS) brk = i;
        Double heldUpToBreak = null;
        if (brk >= 0) {
            double min = 1;
            for (int i = 0; i <= brk; i++) min = Math.min(min, adaptive.get(i).withinBudget());
            heldUpToBreak = min;
        }
        int sustained = -1;
        while (sustained + 1 < adaptive.size() && adaptive.get(sustained + 1).dropRate() <= DROP) sustained++;
        int passing = -1;
        for (int i = 0; i < adaptive.size(); i++) if (adaptive.get(i).dropRate() <= DROP) passing = i;
        double frames = 0, right = 0;
        for (int i = 0; i < (brk < 0 ? reference.size() : brk); i++) {
            LoadBenchmark.Level l = reference.get(i);
            if (Double.isNaN(l.accuracy())) continue;
            frames += l.frames();
            right += l.accuracy() * l.frames();
        }
        Double refAcc = frames > 0 ? right / frames : null;
        return new LoadVerdict(
                brk < 0 ? null : reference.get(brk).streams(),
                heldUpToBreak,
                sustained < 0 ? null : adaptive.get(sustained).streams(),
                brk < 0 || sustained < 0
                        ? null
                        : (double) adaptive.get(sustained).streams()
                                / reference.get(brk).streams(),
                lost(refAcc, adaptive, sustained),
                passing < 0 ? null : adaptive.get(passing).streams(),
                lost(refAcc, adaptive, passing),
                refAcc);
    }

    private static Double lost(Double refAcc, List<LoadBenchmark.Level> adaptive, int level) {
        if (refAcc == null || level < 0 || Double.isNaN(adaptive.get(level).accuracy())) return null;
        return refAcc - adaptive.get(level).accuracy();
    }

    /** One paragraph for the console. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (breakStreams == null) {
            b.append("the fixed accuracy-optimal lambda never missed its budget on more than 10% of frames");
        } else {
            b.append(String.format(
                    "fixed accuracy-optimal lambda breaks at %d streams; adaptive within budget up to it: >= %.1f%%",
                    breakStreams, 100 * adaptiveWithinUpToBreak));
        }
        if (sustainedStreams == null) {
            b.append("; adaptive dropped more than 1% at the first level");
        } else {
            b.append(
                    String.format("; adaptive sustains %d streams (<= 1%% dropped there and below)", sustainedStreams));
            if (headroom != null) b.append(String.format(", %.2fx the break", headroom));
            if (accuracyLostAtSustained != null)
                b.append(String.format(", accuracy lost there %.1f points", 100 * accuracyLostAtSustained));
            if (!highestPassingStreams.equals(sustainedStreams)) {
                b.append(String.format("; highest level with <= 1%% dropped: %d streams", highestPassingStreams));
                if (accuracyLostAtHighestPassing != null)
                    b.append(String.format(", accuracy lost %.1f points", 100 * accuracyLostAtHighestPassing));
            }
        }
        if (referenceAccuracy != null) b.append(String.format(" (reference accuracy %.3f)", referenceAccuracy));
        return b.toString();
    }
}
