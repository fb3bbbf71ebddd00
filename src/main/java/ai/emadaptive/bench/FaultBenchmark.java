package ai.emadaptive.bench;

import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.control.Percentile;
import ai.emadaptive.ingest.HostPolicy;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Healthy real-time streams beside hostile network sources ({@link HostileSources}): first the healthy streams
 * alone, then the same beside the hostile ones. Reports the healthy streams' latency and drops in both, how long a
 * stream added meanwhile takes to run, how long the flapping source takes to run again after each return (and what
 * it drops then), how long deleting each hostile stream takes, and whether any decoder thread outlives its stream.
 */
public final class FaultBenchmark {
    private final ModelArtifact model;
    private final Path clip;
    private final PipelineSettings settings;
    private final Consumer<String> log;

    public FaultBenchmark(ModelArtifact model, Path clip, PipelineSettings settings, Consumer<String> log) {
        this.model = model;
        this.clip = clip.toAbsolutePath().normalize();
        this.settings = settings;
        this.log = log;
    }

    /** Latency of the healthy streams' frames over the measured window. */
    public record Healthy(
            int streams, int frames, double p50Ms, double p95Ms, double p99Ms, double withinBudget, long dropped) {
        static Healthy of(int streams, double[] ms, long dropped, double budgetMs) {
            Arrays.sort(ms);
            if (ms.length == 0) return new Healthy(streams, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, dropped);
            long within = Arrays.stream(ms).filter(v -> v <= budgetMs).count();
            return new Healthy(
                    streams,
                    ms.length,
                    pct(ms, 0.50),
                    pct(ms, 0.95),
                    pct(ms, 0.99),
                    (double) within / ms.length,
                    dropped);
        }

        private static double pct(double[] sorted, double q) {
            return Percentile.of(sorted, 100 * q);
        }
    }

    /**
     * @param newStreamToRunningMs a file stream added while the hostile sources misbehave: from the add to RUNNING
     * @param flappingBackMs       per return of the flapping source: from its server accepting again to RUNNING
     * @param flappingDropsPerReturn frames the flapping stream dropped within 2 s of running again, on average
     * @param flappingDropReasons  all its drops over the run, by reason (a stream at full cost beside others also sheds
     *                             frames under load: superseded)
     * @param deleteMs             per hostile stream: how long its DELETE took
     * @param decoderThreadsLeft   decoder threads alive a second after every stream was removed
     */
    public record Report(
            String clip,
            double budgetMs,
            double seconds,
            List<String> hostile,
            Healthy alone,
            Healthy withHostile,
            double newStreamToRunningMs,
            List<Double> flappingBackMs,
            double flappingDropsPerReturn,
            Map<String, Long> flappingDropReasons,
            Map<String, Double> deleteMs,
            Map<String, String> hostileStates,
            long decoderThreadsLeft,
            boolean adaptive) {}

    /** @param adaptive run the healthy streams in adaptive mode (the controller may stride and raise lambda under load) */
    public Report run(
            int healthy,
            int hostileCount,
            double seconds,
            double budgetMs,
            double upSeconds,
            double downSeconds,
            boolean adaptive)
            throws Exception {
        Path tsFile = Files.createTempFile("hostile", ".ts");
        double tsSeconds = toTransportStream(clip, tsFile);
        byte[] ts = Files.readAllBytes(tsFile);
        Files.deleteIfExists(tsFile);

        log.accept(String.format("healthy streams alone: %d x %s for %.0f s", healthy, clip.getFileName(), seconds));
        Healthy alone = measureHealthy(healthy, seconds, budgetMs, null, adaptive).healthy;

        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < hostileCount; i++)
            kinds.add(HostileSources.kinds().get(i % HostileSources.kinds().size()));
        log.accept(String.format(
                "the same beside %d hostile sources %s (flapping: %.0f s up, %.0f s down)",
                hostileCount, kinds, upSeconds, downSeconds));
        try (HostileSources hostile = new HostileSources(ts, tsSeconds, upSeconds, downSeconds)) {
            Phase b = measureHealthy(healthy, seconds, budgetMs, new Hostile(hostile, kinds), adaptive);
            return new Report(
                    clip.toString(),
                    budgetMs,
                    seconds,
                    kinds,
                    alone,
                    b.healthy,
                    b.newStreamMs,
                    b.backMs,
                    b.dropsPerReturn,
                    b.flappingDropReasons,
                    b.deleteMs,
                    b.states,
                    b.threadsLeft,
                    adaptive);
        }
    }

    private record Hostile(HostileSources sources, List<String> kinds) {}

    private static final class Phase {
        Healthy healthy;
        double newStreamMs = Double.NaN;
        List<Double> backMs = new ArrayList<>();
        double dropsPerReturn = Double.NaN;
        Map<String, Long> flappingDropReasons = new LinkedHashMap<>();
        Map<String, Double> deleteMs = new LinkedHashMap<>();
        Map<String, String> states = new LinkedHashMap<>();
        long threadsLeft;
    }

    private Phase measureHealthy(int healthy, double seconds, double budgetMs, Hostile hostile, boolean adaptive)
            throws Exception {
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        Set<String> healthyIds = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
        Consumer<FrameResult> events = r -> {
            if (measuring.get() && healthyIds.contains(r.stream())) latencies.add(r.latencyMs());
        };
        Phase out = new Phase();
        SourcePolicy policy =
                new SourcePolicy(Set.of("file", "http"), List.of(clip.getParent()), HostPolicy.only("127.0.0.1"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Pipeline p = new Pipeline(
                model,
                settings.withMaxStreams(healthy + (hostile == null ? 0 : hostile.kinds.size()) + 2),
                registry,
                policy,
                events)) {
            List<StreamContext> bad = new ArrayList<>();
            if (hostile != null) {
                for (int i = 0; i < hostile.kinds.size(); i++) {
                    String kind = hostile.kinds.get(i);
                    bad.add(p.add(StreamSpec.of(kind + "-" + (i + 1), hostile.sources.url(kind))));
                }
            }
            List<StreamContext> good = new ArrayList<>();
            for (int i = 0; i < healthy; i++) {
                String id = "healthy-" + (i + 1);
                healthyIds.add(id);
                good.add(p.add(StreamSpec.of(id, clip.toString()).withLoop(true).withAdaptive(adaptive)));
                Thread.sleep(250);
            }
            Thread.sleep(3000); // decoders opened, JIT warm
            long dropped0 = good.stream().mapToLong(StreamContext::droppedCount).sum();
            measuring.set(true);
            long start = System.nanoTime(), end = start + (long) (seconds * 1e9);
            StreamContext flapping = bad.stream()
                    .filter(s -> s.id().startsWith("flapping"))
                    .findFirst()
                    .orElse(null);
            List<Long> runningAt = new ArrayList<>();
            StreamState last = flapping == null ? null : flapping.state();
            List<long[]> returnDrops =
                    new ArrayList<>(); // per return: {2 s after it, drops then, drops within those 2 s}
            boolean added = false;
            while (System.nanoTime() < end) {
                if (hostile != null && !added && System.nanoTime() > start + (end - start) / 2) {
                    added = true;
                    long t0 = System.nanoTime();
                    StreamContext late =
                            p.add(StreamSpec.of("late", clip.toString()).withLoop(true));
                    while (late.state() != StreamState.RUNNING && System.nanoTime() - t0 < 10_000_000_000L)
                        Thread.sleep(2);
                    out.newStreamMs = late.state() == StreamState.RUNNING ? (System.nanoTime() - t0) / 1e6 : Double.NaN;
                    p.remove("late");
                }
                if (flapping != null) {
                    StreamState now = flapping.state();
                    if (now == StreamState.RUNNING && last != StreamState.RUNNING) {
                        runningAt.add(System.nanoTime());
                        returnDrops.add(new long[] {System.nanoTime() + 2_000_000_000L, flapping.droppedCount(), -1});
                    }
                    last = now;
                    for (long[] d : returnDrops)
                        if (d[2] < 0 && System.nanoTime() >= d[0]) d[2] = flapping.droppedCount() - d[1];
                }
                Thread.sleep(5);
            }
            measuring.set(false);
            long dropped = good.stream().mapToLong(StreamContext::droppedCount).sum() - dropped0;
            out.healthy = Healthy.of(
                    healthy, latencies.stream().mapToDouble(Double::doubleValue).toArray(), dropped, budgetMs);
            if (flapping != null) {
                List<Long> ups = hostile.sources.flappingUpSince();
                for (long r : runningAt) {
                    long up =
                            ups.stream().filter(u -> u <= r).max(Long::compare).orElse(Long.MIN_VALUE);
                    if (up >= start) out.backMs.add((r - up) / 1e6);
                }
                out.dropsPerReturn = returnDrops.stream()
                        .filter(d -> d[2] >= 0)
                        .mapToLong(d -> d[2])
                        .average()
                        .orElse(Double.NaN);
                for (var c : registry.find(ai.emadaptive.metrics.MetricNames.DROPPED)
                        .tag("stream", flapping.id())
                        .counters()) {
                    if (c.count() > 0) out.flappingDropReasons.put(c.getId().getTag("reason"), (long) c.count());
                }
            }
            for (StreamContext s : bad) {
                out.states.put(
                        s.id(),
                        s.state() + ", " + s.processedCount() + " frames processed"
                                + (s.lastError() == null ? "" : ": " + s.lastError()));
                long t0 = System.nanoTime();
                p.remove(s.id());
                out.deleteMs.put(s.id(), (System.nanoTime() - t0) / 1e6);
            }
        }
        Thread.sleep(1000);
        out.threadsLeft = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("decode-"))
                .count();
        return out;
    }

    /** Re-encodes the clip as H.264 in MPEG-TS (a network camera's usual format). @return its duration, seconds */
    public static double toTransportStream(Path clip, Path ts) throws Exception {
        int frames = 0;
        double fps;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
            g.start();
            fps = g.getFrameRate() > 0 ? g.getFrameRate() : 30;
            try (FFmpegFrameRecorder r =
                    new FFmpegFrameRecorder(ts.toFile(), g.getImageWidth(), g.getImageHeight(), 0)) {
                r.setFormat("mpegts");
                r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                r.setFrameRate(fps);
                r.setGopSize((int) Math.round(fps));
                r.setVideoOption("tune", "zerolatency");
                r.start();
                Frame f;
                while ((f = g.grabImage()) != null) {
                    r.record(f);
                    frames++;
                }
            }
        }
        return frames / fps;
    }
}
