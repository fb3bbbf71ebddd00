package ai.emadaptive.train;

import ai.emadaptive.model.ModelSpec;

/**
 * One stage of a training plan.
 *
 * @param exitWeights loss weight of exits 1..4
 * @param frozen      backbone frozen (inference-mode BN, no gradients): only the heads learn
 * @param optimizer   "sgd" (Nesterov momentum 0.9) or "adam"
 * @param distillTemperature  when positive, exits 1..3 also learn the final exit's softened predictions
 * @param distillWeight       weight of that distillation term (the cross-entropy keeps 1 - weight)
 */
public record Phase(
        String name,
        int epochs,
        double[] exitWeights,
        boolean frozen,
        String optimizer,
        double lr,
        double weightDecay,
        double distillTemperature,
        double distillWeight) {

    /** The seed's first stage: the whole network on the final exit only. */
    public static Phase backbone(int epochs, double lr, double wd) {
        return new Phase("backbone", epochs, new double[] {0, 0, 0, 1}, false, "sgd", lr, wd, 0, 0);
    }

    /** The seed's second stage: the four heads together on the frozen backbone. */
    public static Phase exits(int epochs, double lr, double wd) {
        return new Phase("exits", epochs, new double[] {1, 1, 1, 1}, true, "sgd", lr, wd, 0, 0);
    }

    /** All exits trained together with the backbone, optionally distilled from the final exit. */
    public static Phase joint(int epochs, double lr, double wd, double distillTemperature, double distillWeight) {
        return joint(epochs, lr, wd, new double[] {1, 1, 1, 1}, distillTemperature, distillWeight);
    }

    /**
     * As {@link #joint(int, double, double, double, double)} with a loss weight per exit: a fine-tune that should
     * make early exits usable without eroding what the deep ones learned can weight the deep exits up.
     */
    public static Phase joint(
            int epochs, double lr, double wd, double[] exitWeights, double distillTemperature, double distillWeight) {
        if (exitWeights.length != ModelSpec.STAGES) {
            throw new IllegalArgumentException(
                    "exit weights: " + ModelSpec.STAGES + " values (exits 1-4), not " + exitWeights.length);
        }
        double sum = 0;
        for (double w : exitWeights) {
            if (!(w >= 0) || Double.isInfinite(w))
                throw new IllegalArgumentException("exit weights must be finite and >= 0, not " + w);
            sum += w;
        }
        if (sum == 0) throw new IllegalArgumentException("exit weights are all 0: nothing would learn");
        return new Phase("joint", epochs, exitWeights.clone(), false, "sgd", lr, wd, distillTemperature, distillWeight);
    }

    public Optimizer newOptimizer() {
        return switch (optimizer) {
            case "sgd" -> new Sgd(0.9, weightDecay, true);
            case "adam" -> new Adam(0.9, 0.999, 1e-8, weightDecay);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }
}
