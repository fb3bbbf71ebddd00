package ai.emadaptive.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.support.StreamingFixtures;
import ai.emadaptive.support.TestModels;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exported graphs run in ONNX Runtime give the serving engine's logits on every exit, stage by stage and as one
 * path graph, for both head types and for a stem with max pooling, on random weights and random frames.
 */
class OnnxExportTest {
    @TempDir
    Path dir;

    @Test
    void onnxRuntimeMatchesTheEngineOnEveryExit() throws Exception {
        check(StreamingFixtures.routedModel(3), "mlp");
        ModelSpec conv = new ModelSpec(8, 64, 3, Stem.IMAGENET, 5, HeadType.CONV);
        Manifest m = Manifest.of(
                conv,
                List.of("a", "b", "c", "d", "e"),
                new float[] {0.4f, 0.3f, 0.3f},
                new float[] {0.25f, 0.2f, 0.2f},
                null,
                new Manifest.Provenance("random", "test fixture", "2026-01-01T00:00:00Z", Map.of()));
        check(new ModelArtifact(m, TestModels.randomisedBatchNorm(conv, 9)), "conv");
    }

    private void check(ModelArtifact artifact, String name) throws Exception {
        Path out = dir.resolve(name);
        OnnxExport.write(artifact, out);
        assertTrue(Files.exists(out.resolve("model.json")));
        ModelSpec spec = artifact.weights().spec();
        int n = 3;
        INDArray frames = Nd4j.rand(DataType.FLOAT, n, spec.inputSize(), spec.inputSize(), spec.inChannels())
                .subi(0.5)
                .muli(2);
        ServingEngine engine = new ServingEngine(artifact.weights(), n);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OrtSession> sessions = new HashMap<>();
        try {
            for (int s = 0; s <= ModelSpec.STAGES; s++)
                sessions.put(
                        "stage" + s,
                        env.createSession(out.resolve("stage" + s + ".onnx").toString()));
            for (int e = 1; e <= ModelSpec.STAGES; e++)
                sessions.put(
                        "exit" + e,
                        env.createSession(out.resolve("exit" + e + ".onnx").toString()));
            for (int e = 1; e <= ModelSpec.STAGES; e++)
                sessions.put(
                        "path" + e,
                        env.createSession(out.resolve("path" + e + ".onnx").toString()));
            float[] x = frames.dup('c').data().asFloat();
            long[] shape = frames.shape();
            OnnxTensor map = run(env, sessions.get("stage0"), OnnxExport.INPUT, x, shape, OnnxExport.MAP_OUT);
            for (int e = 1; e <= ModelSpec.STAGES; e++) {
                OnnxTensor next = run(env, sessions.get("stage" + e), OnnxExport.MAP, map, OnnxExport.MAP_OUT);
                map.close();
                map = next;
                OnnxTensor logits = run(env, sessions.get("exit" + e), OnnxExport.MAP, map, OnnxExport.LOGITS);
                float[][] ort = (float[][]) logits.getValue();
                logits.close();
                OnnxTensor whole = run(env, sessions.get("path" + e), OnnxExport.INPUT, x, shape, OnnxExport.LOGITS);
                float[][] path = (float[][]) whole.getValue();
                whole.close();
                INDArray ours = engine.run(frames, e).dup();
                double max = 0;
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < spec.numClasses(); c++) {
                        max = Math.max(max, Math.abs(ort[i][c] - ours.getFloat(i, c)));
                        max = Math.max(max, Math.abs(path[i][c] - ours.getFloat(i, c)));
                    }
                }
                double scale = Math.max(1e-3, ours.amaxNumber().doubleValue());
                assertTrue(
                        max <= 1e-4 * Math.max(1, scale),
                        name + " exit " + e + ": max logit difference " + max + " (logits up to " + scale + ")");
                assertEquals(spec.numClasses(), ort[0].length);
            }
            map.close();
        } finally {
            for (OrtSession s : sessions.values()) s.close();
        }
    }

    private static OnnxTensor run(
            OrtEnvironment env, OrtSession session, String in, float[] data, long[] shape, String out)
            throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
            return take(session.run(Map.of(in, t)), out);
        }
    }

    private static OnnxTensor run(OrtEnvironment env, OrtSession session, String in, OnnxTensor t, String out)
            throws Exception {
        return take(session.run(Map.of(in, t)), out);
    }

    /** Copies the named output out of the result (which owns it) before the result is closed. */
    private static OnnxTensor take(OrtSession.Result r, String out) throws Exception {
        try (r) {
            OnnxTensor t = (OnnxTensor) r.get(out).orElseThrow();
            FloatBuffer b = t.getFloatBuffer();
            return OnnxTensor.createTensor(
                    OrtEnvironment.getEnvironment(), b, t.getInfo().getShape());
        }
    }
}
