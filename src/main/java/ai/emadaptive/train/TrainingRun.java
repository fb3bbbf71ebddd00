package ai.emadaptive.train;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.data.Augmentation;
import ai.emadaptive.data.BatchFiller;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Seeds;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.model.Weights;
import ai.emadaptive.routing.FeatureCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a training plan (a list of {@link Phase}s) over an image set: shuffled, augmented batches (deterministic
 * from the seed), a cosine learning rate per phase, per-exit validation accuracy and a checkpoint after every
 * epoch, and resumption from the last checkpoint.
 */
public final class TrainingRun {

    /**
     * @param maxEpochs    stop after this many epochs in this invocation (the checkpoint lets a later one go on);
     *                     0 for no limit
     * @param augmentation how training images vary from epoch to epoch
     */
    public record Config(
            ModelSpec spec,
            List<Phase> phases,
            int batch,
            long seed,
            String dataDescription,
            String command,
            Path checkpointDir,
            int maxEpochs,
            Augmentation augmentation) {
        /** CIFAR's augmentation. */
        public Config(
                ModelSpec spec,
                List<Phase> phases,
                int batch,
                long seed,
                String dataDescription,
                String command,
                Path checkpointDir,
                int maxEpochs) {
            this(spec, phases, batch, seed, dataDescription, command, checkpointDir, maxEpochs, Augmentation.CIFAR);
        }
    }

    private ModelArtifact init;

    /**
     * Starts from this model's weights and normalisation instead of a fresh initialisation (fine-tuning). A model
     * that differs only in its head type or its classes (pre-training on other data) gives its backbone; the heads
     * start fresh.
     */
    public TrainingRun initFrom(ModelArtifact model) {
        ModelSpec from = model.manifest().spec();
        if (!from.withClasses(config.spec().numClasses()).equals(config.spec().withHeadType(from.headType()))) {
            throw new IllegalArgumentException("--init model is " + from + ", the run trains " + config.spec());
        }
        this.init = model;
        return this;
    }

    private final Config config;
    private final PrintWriter out;

    public TrainingRun(Config config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /** Trains from scratch, or from {@code config.checkpointDir()} when {@code resume}; returns the final model. */
    public ModelArtifact run(ImageSet train, ImageSet val, boolean resume) throws IOException {
        Weights weights;
        Normalisation norm;
        Checkpoint.State state;
        Map<String, INDArray> optimizerState = Map.of();
        if (resume && Checkpoint.exists(config.checkpointDir())) {
            Checkpoint.Loaded c = Checkpoint.load(config.checkpointDir());
            weights = c.artifact().weights();
            norm = new Normalisation(
                    c.artifact().manifest().input().mean(),
                    c.artifact().manifest().input().std());
            state = c.state();
            optimizerState = c.optimizer();
            out.printf(
                    "resuming from %s: phase %d, epoch %d%n",
                    config.checkpointDir(), state.phase() + 1, state.epoch() + 1);
        } else if (init != null) {
            weights = init.manifest().spec().equals(config.spec())
                    ? init.weights()
                    : Weights.withBackboneOf(config.spec(), init.weights(), config.seed());
            norm = new Normalisation(
                    init.manifest().input().mean(), init.manifest().input().std());
            state = new Checkpoint.State(0, 0, 0, config.seed(), new ArrayList<>());
        } else {
            weights = Weights.init(config.spec(), config.seed());
            norm = Normalisation.of(train);
            state = new Checkpoint.State(0, 0, 0, config.seed(), new ArrayList<>());
        }
        MultiExitNetwork net = new MultiExitNetwork(weights);
        BatchFiller filler = new BatchFiller(train, norm, config.augmentation());
        int stepsPerEpoch = train.count() / config.batch();
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("batch " + config.batch() + " exceeds the " + train.count()
                    + " training images; use a batch of " + train.count() + " or less");
        }
        List<Map<String, Object>> history = new ArrayList<>(state.history());
        double[] lastAccuracy = null;
        int epochsRun = 0;
        phases:
        for (int p = state.phase(); p < config.phases().size(); p++) {
            Phase phase = config.phases().get(p);
            if (phase.epochs() == 0) continue;
            boolean resumingPhase = p == state.phase();
            Optimizer optimizer = phase.newOptimizer();
            if (resumingPhase && !optimizerState.isEmpty()) optimizer.load(optimizerState);
            long total = (long) phase.epochs() * stepsPerEpoch;
            long warmup = Math.min(total / 20, stepsPerEpoch);
            LrSchedule schedule = LrSchedule.cosine(phase.lr(), 0, Math.max(total, warmup + 1), warmup);
            MultiExitTrainer trainer =
                    new MultiExitTrainer(net, optimizer, schedule, phase.frozen(), resumingPhase ? state.step() : 0);
            for (int epoch = resumingPhase ? state.epoch() : 0; epoch < phase.epochs(); epoch++) {
                if (config.maxEpochs() > 0 && epochsRun++ == config.maxEpochs()) {
                    out.printf("stopping after %d epochs as asked; --resume continues%n", config.maxEpochs());
                    break phases;
                }
                long t0 = System.nanoTime();
                double[] loss = epoch(trainer, filler, train.count(), stepsPerEpoch, phase, p, epoch);
                double seconds = (System.nanoTime() - t0) / 1e9;
                lastAccuracy = val == null
                        ? null
                        : FeatureCache.of(weights, val, norm, 64, false).accuracy();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("phase", phase.name());
                row.put("epoch", epoch + 1);
                row.put("seconds", seconds);
                row.put("imagesPerSecond", stepsPerEpoch * config.batch() / seconds);
                row.put("trainLoss", loss);
                if (lastAccuracy != null) row.put("valAccuracy", lastAccuracy);
                history.add(row);
                out.printf(
                        "%s epoch %d/%d: %.0f s, %.1f img/s, loss %s%s%n",
                        phase.name(),
                        epoch + 1,
                        phase.epochs(),
                        seconds,
                        stepsPerEpoch * config.batch() / seconds,
                        format(loss),
                        lastAccuracy == null ? "" : ", val accuracy " + format(lastAccuracy));
                out.flush();
                boolean phaseDone = epoch + 1 == phase.epochs();
                Checkpoint.State next = phaseDone
                        ? new Checkpoint.State(p + 1, 0, 0, config.seed(), history)
                        : new Checkpoint.State(p, epoch + 1, trainer.steps(), config.seed(), history);
                if (config.checkpointDir() != null) {
                    Checkpoint.save(
                            config.checkpointDir(), artifact(weights, train, norm, lastAccuracy), optimizer, next);
                }
            }
            optimizerState = Map.of();
        }
        return artifact(weights, train, norm, lastAccuracy);
    }

    private double[] epoch(
            MultiExitTrainer trainer, BatchFiller filler, int n, int steps, Phase phase, int p, int epoch) {
        long seed = Seeds.mix(config.seed(), p * 100_000L + epoch);
        int[] order = shuffled(n, new Random(seed));
        Random augment = new Random(Seeds.mix(seed, 1));
        double[] sum = new double[ModelSpec.STAGES];
        try (Progress bar = new Progress(
                phase.name() + " " + (epoch + 1) + "/" + phase.epochs(), (long) steps * config.batch(), out)) {
            for (int s = 0; s < steps; s++) {
                INDArray x = filler.fill(order, s * config.batch(), config.batch(), augment);
                double[] loss = trainer.step(
                        x,
                        filler.labels(),
                        filler.targets(),
                        phase.exitWeights(),
                        phase.distillTemperature(),
                        phase.distillWeight());
                for (int e = 0; e < sum.length; e++) sum[e] += loss[e];
                bar.stepBy(config.batch(), String.format("loss %.3f", loss[ModelSpec.STAGES - 1]));
            }
        }
        for (int e = 0; e < sum.length; e++) sum[e] /= steps;
        return sum;
    }

    static int[] shuffled(int n, Random rnd) {
        int[] a = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private ModelArtifact artifact(Weights weights, ImageSet train, Normalisation norm, double[] valAccuracy) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (valAccuracy != null) {
            for (int e = 0; e < valAccuracy.length; e++) metrics.put("exit" + (e + 1) + ".valAccuracy", valAccuracy[e]);
        }
        Manifest m = Manifest.of(
                config.spec(),
                train.classes(),
                norm.mean(),
                norm.std(),
                null,
                Manifest.Provenance.now(config.dataDescription(), config.command(), metrics));
        // a multi-label model decides at even odds until thresholds are chosen on held-out images
        if (train.multiLabel())
            m = m.withTask(
                    TaskType.MULTI_LABEL,
                    FeatureCache.defaultThresholds(train.classes().size()));
        return new ModelArtifact(m, weights);
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(String.format("%.4f", v[i]));
        return b.append(']').toString();
    }
}
