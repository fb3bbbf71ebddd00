package ai.emadaptive.train;

/** Learning rate as a function of the optimiser step. */
@FunctionalInterface
public interface LrSchedule {
    double at(long step);

    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    /**
     * Linear warm-up over {@code warmup} steps, then cosine decay from {@code lr} to {@code minLr} at {@code total}.
     */
    static LrSchedule cosine(double lr, double minLr, long total, long warmup) {
        if (total <= warmup) throw new IllegalArgumentException("total steps must exceed warm-up steps");
        return step -> {
            if (step < warmup) return lr * (step + 1) / warmup;
            double t = Math.min(1.0, (double) (step - warmup) / (total - warmup));
            return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * t));
        };
    }
}
