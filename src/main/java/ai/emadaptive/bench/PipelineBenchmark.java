package ai.emadaptive.bench;

import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.control.Percentile;
import ai.emadaptive.ingest.Preprocessor;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.ingest.YuvFrames;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;

/**
 * The whole pipeline on a real clip, measured: real-time replay latency (decoded to overlay done) and drops; frames
 * per second as fast as possible for 1..N concurrent streams (nobody watching, so no overlays), routed and forced to
 * full depth in the same run; and a soak run of watched streams (BGR and overlay on every frame) that samples RSS and
 * JavaCPP native bytes for leaks.
 */
public final class PipelineBenchmark {
    private final ModelArtifact model;
    private final Path clip;
    private final Consumer<String> log;
    private final PipelineSettings base;

    /** @param base the settings every run starts from (the service's defaults, or another backend) */
    public PipelineBenchmark(ModelArtifact model, Path clip, PipelineSettings base, Consumer<String> log) {
        this.model = model;
        this.clip = clip.toAbsolutePath().normalize();
        this.base = base;
        this.log = log;
    }

    public record Latency(
            int frames,
            long dropped,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double maxMs,
            double meanCost,
            double accuracy) {}

    public record Throughput(
            int streams,
            String mode,
            double seconds,
            long frames,
            double framesPerSecond,
            double meanCost,
            double meanBatch,
            double lambda,
            double accuracy) {}

    /** The decoder thread's per-frame preparation of the network's input (crop, area resize, RGB, normalise). */
    public record Preprocessing(int width, int height, int size, int frames, double medianMsPerFrame) {}

    public record Sample(double seconds, long rssKib, long javacppPhysicalBytes, long javacppTotalBytes) {}

    public record Soak(
            int streams,
            double minutes,
            List<Sample> samples,
            double rssChangePercent,
            double nativeChangePercent,
            long frames,
            long dropped) {}

    /** One stream of the clip at its own frame rate, start to end. */
    /**
     * Times {@link Preprocessor#fill} on the clip's first frames as the decoder runs it, one thread, after a warm-up:
     * the median of five rounds of {@code frames} frames.
     */
    public Preprocessing preprocessing(int frames) {
        YuvFrames clipFrames = YuvFrames.read(clip, 60);
        Preprocessor prep = new Preprocessor(model.manifest().input());
        float[] out = new float[prep.rowLength()];
        List<byte[]> yuv = clipFrames.frames();
        double[] rounds = new double[6];
        for (int r = 0; r < rounds.length; r++) { // round 0 warms the JIT up
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++)
                prep.fill(yuv.get(i % yuv.size()), clipFrames.width(), clipFrames.height(), out);
            rounds[r] = (System.nanoTime() - t0) / 1e6 / frames;
        }
        double[] measured = Arrays.copyOfRange(rounds, 1, rounds.length);
        Arrays.sort(measured);
        return new Preprocessing(clipFrames.width(), clipFrames.height(), prep.size(), frames, measured[2]);
    }

    public Latency realtime() throws InterruptedException {
        Collector c = new Collector();
        try (Pipeline p = pipeline(c)) {
            StreamContext s = p.add(StreamSpec.of("rt", clip.toString()));
            s.observer(f -> {}); // every frame overlaid, as for a watched or recorded stream: the latency includes it
            while (s.state().active()) Thread.sleep(20);
            if (s.state() != StreamState.ENDED)
                throw new IllegalStateException("stream " + s.state() + ": " + s.lastError());
            double[] lat = c.latencies();
            Arrays.sort(lat);
            return new Latency(
                    lat.length,
                    s.droppedCount(),
                    pct(lat, 50),
                    pct(lat, 95),
                    pct(lat, 99),
                    lat.length == 0 ? 0 : lat[lat.length - 1],
                    c.meanCost(),
                    s.accuracy());
        }
    }

    /**
     * The service's usual operating point: one real-time stream with its overlay drawn on every frame, recorded to
     * MP4 (in a temporary folder, deleted after), and one live viewer pulling the MJPEG preview as the web page does
     * (every 66 ms, a JPEG encoded per new frame).
     */
    public Latency operatingPoint() throws Exception {
        Collector c = new Collector();
        Path recordings = Files.createTempDirectory("bench-recordings");
        PipelineSettings settings = base.withRecordings(recordings);
        java.util.concurrent.atomic.AtomicLong jpegs = new java.util.concurrent.atomic.AtomicLong();
        try (Pipeline p = new Pipeline(
                model,
                settings,
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(clip.getParent())),
                c)) {
            StreamContext s = p.add(StreamSpec.of("op", clip.toString()).withRecord(true));
            var preview = p.preview("op").orElseThrow();
            Thread viewer = new Thread(
                    () -> {
                        long last = -1;
                        preview.watch();
                        while (!Thread.currentThread().isInterrupted()) {
                            long seq = preview.sequence();
                            if (seq != last) {
                                last = seq;
                                if (preview.jpeg() != null) jpegs.incrementAndGet();
                            } else {
                                preview.watch();
                            }
                            try {
                                Thread.sleep(66);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "bench-viewer");
            viewer.setDaemon(true);
            viewer.start();
            while (s.state().active()) Thread.sleep(20);
            viewer.interrupt();
            if (s.state() != StreamState.ENDED)
                throw new IllegalStateException("stream " + s.state() + ": " + s.lastError());
            double[] lat = c.latencies();
            Arrays.sort(lat);
            log.accept(String.format("operating point: %d JPEGs sent to the viewer", jpegs.get()));
            return new Latency(
                    lat.length,
                    s.droppedCount(),
                    pct(lat, 50),
                    pct(lat, 95),
                    pct(lat, 99),
                    lat.length == 0 ? 0 : lat[lat.length - 1],
                    c.meanCost(),
                    s.accuracy());
        } finally {
            try (var files = Files.walk(recordings)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * {@code streams} looping copies of the clip, as fast as the pipeline takes them; full depth pins every frame to
     * exit 4, otherwise the routers decide at {@code lambda} (null: the model's default).
     */
    public Throughput throughput(int streams, boolean fullDepth, double seconds, Double lambda)
            throws InterruptedException {
        Collector c = new Collector();
        try (Pipeline p = pipeline(c)) {
            List<StreamContext> list = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                StreamContext s = p.add(StreamSpec.of("s" + i, clip.toString())
                        .withRealtime(false)
                        .withLoop(true)
                        .withPinnedExit(fullDepth ? 4 : 0));
                if (lambda != null && !fullDepth) p.adaptive(s.id(), false, lambda);
                list.add(s);
            }
            Thread.sleep(2000); // warm-up: decoders open, engine plans built
            long f0 = list.stream().mapToLong(StreamContext::processedCount).sum();
            c.reset();
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            long frames = list.stream().mapToLong(StreamContext::processedCount).sum() - f0;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            return new Throughput(
                    streams,
                    fullDepth ? "full depth" : "routed",
                    elapsed,
                    frames,
                    frames / elapsed,
                    c.meanCost(),
                    c.meanBatch(),
                    list.get(0).lambda(),
                    list.stream().mapToDouble(StreamContext::accuracy).average().orElse(Double.NaN));
        }
    }

    /** {@code streams} real-time looping streams for {@code minutes}, sampling memory every {@code everySeconds}. */
    public Soak soak(int streams, double minutes, double everySeconds) throws InterruptedException {
        Collector c = new Collector();
        c.keepLatencies = false;
        try (Pipeline p = pipeline(c)) {
            List<StreamContext> list = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                StreamContext s =
                        p.add(StreamSpec.of("soak" + i, clip.toString()).withLoop(true));
                s.observer(f -> {}); // watched, as in the OR: BGR conversion and overlay on every frame are in the soak
                list.add(s);
            }
            List<Sample> samples = new ArrayList<>();
            long t0 = System.nanoTime();
            long end = t0 + (long) (minutes * 60e9);
            while (System.nanoTime() < end) {
                Thread.sleep((long) (everySeconds * 1000));
                Sample s = new Sample(
                        (System.nanoTime() - t0) / 1e9, rssKib(), Pointer.physicalBytes(), Pointer.totalBytes());
                samples.add(s);
                log.accept(String.format(
                        "soak %5.0f s: RSS %d MiB, JavaCPP physical %d MiB, tracked native %d MiB, frames %d",
                        s.seconds(),
                        s.rssKib() / 1024,
                        s.javacppPhysicalBytes() >> 20,
                        s.javacppTotalBytes() >> 20,
                        list.stream().mapToLong(StreamContext::processedCount).sum()));
            }
            // Compare after warm-up (first fifth) against the end: allocation settles in the first minute.
            List<Sample> after = samples.subList(samples.size() / 5, samples.size());
            double rss = range(after.stream().mapToDouble(Sample::rssKib).toArray());
            double nat =
                    range(after.stream().mapToDouble(Sample::javacppTotalBytes).toArray());
            return new Soak(
                    streams,
                    minutes,
                    samples,
                    rss,
                    nat,
                    list.stream().mapToLong(StreamContext::processedCount).sum(),
                    list.stream().mapToLong(StreamContext::droppedCount).sum());
        }
    }

    private Pipeline pipeline(Consumer<FrameResult> events) {
        PipelineSettings s = base;
        return new Pipeline(
                model,
                s,
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(clip.getParent())),
                events);
    }

    /** (max - min) / first, in percent. */
    private static double range(double[] v) {
        if (v.length == 0 || v[0] == 0) return 0;
        double lo = Arrays.stream(v).min().getAsDouble(),
                hi = Arrays.stream(v).max().getAsDouble();
        return 100 * (hi - lo) / v[0];
    }

    static double pct(double[] sorted, double p) {
        return Percentile.of(sorted, p);
    }

    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (Exception e) {
            // not Linux: report 0
        }
        return 0;
    }

    /** Gathers per-frame results from the pipeline's event stream. */
    private static final class Collector implements Consumer<FrameResult> {
        final ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        volatile boolean keepLatencies = true;
        double costSum, batchSum;
        long n;

        @Override
        public synchronized void accept(FrameResult r) {
            if (keepLatencies) latencies.add(r.latencyMs());
            costSum += r.cost();
            batchSum += r.batchSize();
            n++;
        }

        synchronized void reset() {
            latencies.clear();
            costSum = batchSum = n = 0;
        }

        double[] latencies() {
            return latencies.stream().mapToDouble(Double::doubleValue).toArray();
        }

        synchronized double meanCost() {
            return n == 0 ? Double.NaN : costSum / n;
        }

        synchronized double meanBatch() {
            return n == 0 ? Double.NaN : batchSum / n;
        }
    }
}
