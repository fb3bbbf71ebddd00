package ai.emadaptive.bench;

import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.control.AdaptiveLambda;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A reproducible load ramp: real-time streams of one clip added one by one (1 → N, each level held a while), then
 * all but one removed; run once with adaptive lambda and once per fixed lambda. Per level: latency percentiles,
 * share of frames within budget, drops, mean cost, accuracy against the clip's ground truth (or, given a reference,
 * agreement with the model's own full-depth labels); plus a timeline of
 * lambda and latency, and how long lambda takes to return to its floor once load falls.
 */
public final class LoadBenchmark {
    /**
     * Pause between streams added within a level: opening several decoders at once made a latency spike at the
     * start of each level, and cameras do not come online in the same millisecond.
     */
    private static final long STAGGER_MS = 250;

    private final ModelArtifact model;
    private final Path clip;
    private final PipelineSettings settings;
    private final Consumer<String> log;
    private String[] reference;

    public LoadBenchmark(ModelArtifact model, Path clip, PipelineSettings settings, Consumer<String> log) {
        this.model = model;
        this.clip = clip.toAbsolutePath().normalize();
        this.settings = settings;
        this.log = log;
    }

    /**
     * @param stageP95Ms    p95 of each pipeline stage (queue, preprocess, inference, overlay), to see where latency goes
     * @param reused        share of the frames that carried their stream's last result instead of being inferred
     * @param inferredP95Ms p95 latency of the inferred frames only (reused frames are quicker, so they pull the p95 down)
     */
    public record Level(
            int streams,
            int frames,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double withinBudget,
            long dropped,
            double dropRate,
            double meanCost,
            double accuracy,
            double meanLambda,
            double[] stageP95Ms,
            double reused,
            double inferredP95Ms) {}

    public record Point(double seconds, int streams, double lambda, int stride, double p95Ms) {}

    /** @param recoverySeconds time from the drop back to one stream until lambda was at its floor again (NaN: fixed or never) */
    public record Run(
            String mode,
            Double fixedLambda,
            double budgetMs,
            List<Level> levels,
            Level recovery,
            double recoverySeconds,
            List<Point> timeline) {}

    /**
     * Scores frames by agreement with the model's own full-depth label of the same clip frame (from
     * {@link #fullDepthLabels()}) instead of the clip's ground truth: for a model trained on another task.
     */
    public void agreeWith(String[] fullDepthLabels) {
        this.reference = fullDepthLabels;
    }

    /**
     * The label of every frame of the clip at full depth, from one pass as fast as possible (null where a frame was
     * not seen at full depth, e.g. one taken before the stream was pinned).
     */
    public String[] fullDepthLabels() throws InterruptedException {
        java.util.Map<Long, String> labels = new java.util.concurrent.ConcurrentHashMap<>();
        try (Pipeline p = pipeline(r -> {
            if (r.exit() == 4) labels.put(r.frame(), r.label());
        })) {
            StreamContext s = p.add(StreamSpec.of("reference", clip.toString())
                    .withRealtime(false)
                    .withPinnedExit(4));
            while (s.state() != StreamState.ENDED && s.state() != StreamState.FAILED) Thread.sleep(20);
            if (s.state() == StreamState.FAILED)
                throw new IllegalStateException("reference pass failed: " + s.lastError());
            long seen = -1;
            while (seen != s.processedCount()) { // until the last frames have left inference
                seen = s.processedCount();
                Thread.sleep(200);
            }
        }
        long frames = labels.keySet().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
        String[] out = new String[(int) frames];
        labels.forEach((i, l) -> out[i.intValue()] = l);
        return out;
    }

    /** A pipeline that may read the clip's folder only, sending each frame's result to {@code events}. */
    private Pipeline pipeline(Consumer<FrameResult> events) {
        return new Pipeline(
                model,
                settings,
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(clip.getParent())),
                events);
    }

    /**
     * {@code streams} real-time streams in adaptive mode for {@code seconds}, nothing measured: the JIT compiles the
     * decode, preprocessing, routing and overlay paths here rather than in the first mode's first level.
     */
    public void warmUp(int streams, double seconds) throws InterruptedException {
        try (Pipeline p = pipeline(r -> {})) {
            addUpTo(p, new ArrayList<>(), streams, "warmup", null);
            Thread.sleep((long) (seconds * 1000));
        }
    }

    /** Adds real-time looping streams of the clip, {@link #STAGGER_MS} apart, until {@code live} holds {@code n}. */
    private void addUpTo(Pipeline p, List<StreamContext> live, int n, String prefix, Double fixedLambda)
            throws InterruptedException {
        while (live.size() < n) {
            if (!live.isEmpty()) Thread.sleep(STAGGER_MS);
            live.add(p.add(StreamSpec.of(prefix + (live.size() + 1), clip.toString())
                    .withLambda(fixedLambda)
                    .withLoop(true)
                    .withAdaptive(fixedLambda == null)));
        }
    }

    /** @param fixedLambda null for adaptive mode */
    public Run run(Double fixedLambda, int maxStreams, int step, double levelSeconds, double recoverySeconds)
            throws InterruptedException {
        Collector c = new Collector(reference);
        String mode = fixedLambda == null ? "adaptive" : "fixed";
        double budget = settings.control().budgetMs();
        List<Level> levels = new ArrayList<>();
        List<Point> timeline = new ArrayList<>();
        double recovered = Double.NaN;
        Level recovery;
        try (Pipeline p = pipeline(c)) {
            AdaptiveLambda control = p.control(Pipeline.DEFAULT_MODEL);
            double floor = p.defaultLambda();
            List<StreamContext> live = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int n = step; n <= maxStreams; n += step) {
                addUpTo(p, live, n, "load", fixedLambda);
                levels.add(hold(c, live, budget, levelSeconds, timeline, t0));
                Level l = levels.get(levels.size() - 1);
                log.accept(String.format(
                        "%-8s %2d streams: p95 %6.1f ms, within budget %5.1f%%, dropped %4.1f%%, cost %.3f, accuracy %.3f, lambda %.2f,"
                                + " reused %4.1f%% (p95 inferred %.1f, queue %.1f, preprocess %.1f, inference %.1f ms)",
                        fixedLambda == null ? mode : "λ=" + fixedLambda,
                        n,
                        l.p95Ms(),
                        100 * l.withinBudget(),
                        100 * l.dropRate(),
                        l.meanCost(),
                        l.accuracy(),
                        l.meanLambda(),
                        100 * l.reused(),
                        l.inferredP95Ms(),
                        l.stageP95Ms()[0],
                        l.stageP95Ms()[1],
                        l.stageP95Ms()[2]));
            }
            while (live.size() > 1) p.remove(live.remove(live.size() - 1).id());
            long drop = System.nanoTime();
            c.reset();
            long end = drop + (long) (recoverySeconds * 1e9);
            while (System.nanoTime() < end) {
                Thread.sleep(100);
                if (fixedLambda == null
                        && Double.isNaN(recovered)
                        && control.controller().lambda() <= floor
                        && control.controller().stride() == 1) recovered = (System.nanoTime() - drop) / 1e9;
                timeline.add(point(c, live, t0));
            }
            recovery = c.level(1, budget, live);
            log.accept(String.format(
                    "%-8s back to 1 stream: p95 %.1f ms, lambda %.2f%s",
                    fixedLambda == null ? mode : "λ=" + fixedLambda,
                    recovery.p95Ms(),
                    recovery.meanLambda(),
                    Double.isNaN(recovered) ? "" : String.format(", at its floor after %.1f s", recovered)));
        }
        return new Run(mode, fixedLambda, budget, levels, recovery, recovered, timeline);
    }

    private Level hold(
            Collector c, List<StreamContext> live, double budget, double seconds, List<Point> timeline, long t0)
            throws InterruptedException {
        Thread.sleep(1500); // let the new stream open and the controller react before measuring
        c.reset();
        long d0 = live.stream().mapToLong(StreamContext::droppedCount).sum(),
                n0 = live.stream().mapToLong(StreamContext::decodedCount).sum();
        long end = System.nanoTime() + (long) ((seconds - 1.5) * 1e9);
        while (System.nanoTime() < end) {
            Thread.sleep(250);
            timeline.add(point(c, live, t0));
        }
        c.dropped = live.stream().mapToLong(StreamContext::droppedCount).sum() - d0;
        c.decoded = live.stream().mapToLong(StreamContext::decodedCount).sum() - n0;
        return c.level(live.size(), budget, live);
    }

    private static Point point(Collector c, List<StreamContext> live, long t0) {
        return new Point(
                (System.nanoTime() - t0) / 1e9,
                live.size(),
                live.get(0).lambda(),
                live.get(0).stride(),
                c.recentP95());
    }

    /** Per-frame results of the current level. */
    private static final class Collector implements Consumer<FrameResult> {
        private final List<double[]> frames =
                new ArrayList<>(); // latency, cost, correct (1/0/-1), lambda, time, stages..., reused
        private final String[] reference;
        long dropped, decoded;

        /** @param reference full-depth label per clip frame, or null to score against the clip's ground truth */
        Collector(String[] reference) {
            this.reference = reference;
        }

        @Override
        public synchronized void accept(FrameResult r) {
            String truth =
                    reference == null ? r.truth() : r.frame() < reference.length ? reference[(int) r.frame()] : null;
            double correct = truth == null ? -1 : truth.equals(r.label()) ? 1 : 0;
            double[] s = r.stageMs();
            frames.add(new double[] {
                r.latencyMs(),
                r.cost(),
                correct,
                r.lambda(),
                System.nanoTime(),
                s[0],
                s[1],
                s[2],
                s[3],
                r.reused() ? 1 : 0
            });
        }

        synchronized void reset() {
            frames.clear();
            dropped = decoded = 0;
        }

        synchronized double recentP95() {
            long since = System.nanoTime() - 1_000_000_000L;
            double[] lat = frames.stream()
                    .filter(f -> f[4] >= since)
                    .mapToDouble(f -> f[0])
                    .sorted()
                    .toArray();
            return PipelineBenchmark.pct(lat, 95);
        }

        synchronized Level level(int streams, double budget, List<StreamContext> live) {
            double[] lat = frames.stream().mapToDouble(f -> f[0]).sorted().toArray();
            long within = Arrays.stream(lat).filter(v -> v <= budget).count();
            double cost = frames.stream().mapToDouble(f -> f[1]).average().orElse(Double.NaN);
            long labelled = frames.stream().filter(f -> f[2] >= 0).count();
            long right = frames.stream().filter(f -> f[2] == 1).count();
            double lambda = frames.stream().mapToDouble(f -> f[3]).average().orElse(Double.NaN);
            double dropRate = decoded == 0 ? 0 : (double) dropped / decoded;
            double[] stages = new double[4];
            for (int k = 0; k < 4; k++) {
                int col = 5 + k;
                stages[k] = PipelineBenchmark.pct(
                        frames.stream().mapToDouble(f -> f[col]).sorted().toArray(), 95);
            }
            return new Level(
                    streams,
                    lat.length,
                    PipelineBenchmark.pct(lat, 50),
                    PipelineBenchmark.pct(lat, 95),
                    PipelineBenchmark.pct(lat, 99),
                    lat.length == 0 ? Double.NaN : (double) within / lat.length,
                    dropped,
                    dropRate,
                    cost,
                    labelled == 0 ? Double.NaN : (double) right / labelled,
                    lambda,
                    stages,
                    frames.stream().mapToDouble(f -> f[9]).average().orElse(Double.NaN),
                    PipelineBenchmark.pct(
                            frames.stream()
                                    .filter(f -> f[9] == 0)
                                    .mapToDouble(f -> f[0])
                                    .sorted()
                                    .toArray(),
                            95));
        }
    }
}
