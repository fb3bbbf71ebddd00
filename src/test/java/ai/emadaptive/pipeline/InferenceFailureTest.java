package ai.emadaptive.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.engine.InferenceBackend;
import ai.emadaptive.engine.InferenceEngine;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import ai.emadaptive.ingest.Preprocessor;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.support.StreamingFixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A worker whose engine fails keeps working: the batch's frames are dropped as inference errors on their streams, the
 * failure is logged once however often it repeats (naming the streams), and inference resumes when the engine does.
 */
class InferenceFailureTest {
    /** A real engine that throws while {@code failing} is set. */
    private record FailingEngine(InferenceEngine engine, AtomicBoolean failing) implements InferenceEngine {
        @Override
        public ModelSpec spec() {
            return engine.spec();
        }

        @Override
        public int maxBatch() {
            return engine.maxBatch();
        }

        @Override
        public INDArray input(int n) {
            return engine.input(n);
        }

        @Override
        public Pass start(int n) {
            if (failing.get()) throw new IllegalStateException("out of device memory");
            return engine.start(n);
        }

        @Override
        public long stageRuns(int s) {
            return engine.stageRuns(s);
        }

        @Override
        public long headRuns(int e) {
            return engine.headRuns(e);
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    @Test
    void aFailingEngineDropsItsBatchesLogsOnceAndRecovers() throws Exception {
        ModelArtifact model = StreamingFixtures.routedModel(5);
        AtomicBoolean failing = new AtomicBoolean();
        InferenceEngine engine = new FailingEngine(
                InferenceBackend.ENGINE.create(model.weights(), new FoldedWeights(model.weights()), 2, 1), failing);
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        // the JBoss log manager the service logs through (a plain JUL logger is not it where JUL initialised first)
        org.jboss.logmanager.Logger log = org.jboss.logmanager.Logger.getLogger(InferenceStage.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(capture);
        FrameExchange exchange = new FrameExchange();
        InferenceStage stage = new InferenceStage(model, engine, exchange, 1_000_000L, 1, null);
        StreamContext a = stream("or-a", model), b = stream("or-b", model);
        AtomicInteger processed = new AtomicInteger();
        for (StreamContext s : List.of(a, b)) {
            s.sink(f -> {
                processed.incrementAndGet();
                f.pool.release(f);
            });
            exchange.register(s);
        }
        int row = new Preprocessor(model.manifest().input()).rowLength();
        FramePool pool =
                new FramePool(64, 48, 8, row, model.manifest().classes().size());
        Thread worker = new Thread(stage, "inference-test");
        worker.start();
        try {
            failing.set(true);
            for (int i = 0; i < 6; i++) {
                publish(exchange, a, pool);
                publish(exchange, b, pool);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> a.droppedCount() + b.droppedCount() == 12);
            assertEquals(0, processed.get());
            assertTrue(
                    a.lastError().contains("inference failed") && a.lastError().contains("out of device memory"));
            List<LogRecord> errors = logged.stream()
                    .filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertEquals(1, errors.size(), "one line for a failure that repeated on every batch: " + errors.size());
            String line = errors.get(0).getMessage(); // formatted by the log manager: the streams are in it
            assertTrue(line.contains("or-a, or-b"), "names the streams: " + line);

            failing.set(false);
            for (int i = 0; i < 3; i++) publish(exchange, a, pool);
            await().atMost(Duration.ofSeconds(20)).until(() -> processed.get() == 3);
            assertEquals(12, a.droppedCount() + b.droppedCount(), "nothing more dropped once it works");
            assertTrue(
                    logged.stream().anyMatch(r -> String.valueOf(r.getMessage()).contains("works again")),
                    "its recovery is logged");
        } finally {
            stage.stop();
            worker.join(5000);
            log.removeHandler(capture);
        }
    }

    private static StreamContext stream(String id, ModelArtifact model) {
        return new StreamContext(
                StreamSpec.of(id, "file:/x.mp4").withRealtime(false),
                null,
                1.0,
                model.manifest().classes(),
                model.manifest().task());
    }

    private static void publish(FrameExchange exchange, StreamContext s, FramePool pool) throws InterruptedException {
        FrameBuffer f = pool.acquire();
        f.decodedNanos = System.nanoTime();
        s.decoded();
        exchange.publish(s, f, true);
    }
}
