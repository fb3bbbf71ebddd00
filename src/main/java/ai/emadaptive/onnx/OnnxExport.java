package ai.emadaptive.onnx;

import ai.emadaptive.artifact.ManifestJson;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.ParamLayout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model artifact as ONNX graphs other runtimes can serve with early exits: {@code stage0.onnx} (the stem: NHWC
 * normalised pixels in, as the service feeds its engine, NCHW map out), {@code stage1..4.onnx} (map in, map out) and
 * {@code exit1..4.onnx} (stage k's map in, logits out). A caller stops after stage k by running exit k's head and
 * not stage k+1. {@code path1..4.onnx} are the same, pixels to exit k's logits in one graph, for a fixed exit. Batch norm is folded into the convolutions, as in the serving engine. {@code model.json} beside them
 * is the artifact's manifest (classes, task, normalisation, input fit, routers and lambda, thresholds, uncertainty)
 * plus the list of graphs and their tensor names.
 */
public final class OnnxExport {
    /** Tensor names: the stem's input, a stage's or head's input map, a stage's output map, a head's logits. */
    public static final String INPUT = "input", MAP = "map", MAP_OUT = "map_out", LOGITS = "logits";

    private final ModelSpec spec;
    private final FoldedWeights weights;

    private OnnxExport(ai.emadaptive.model.Weights weights) {
        this.spec = weights.spec();
        this.weights = new FoldedWeights(weights);
    }

    /** The whole path to exit k as one ONNX model (pixels NHWC in, {@link #LOGITS} out). */
    public static byte[] pathGraph(ai.emadaptive.model.Weights weights, int k) {
        return new OnnxExport(weights).path(k);
    }

    /**
     * Every stage graph (index 0 = the stem: NHWC pixels {@link #INPUT} to the NCHW {@link #MAP_OUT}; 1..4: {@link
     * #MAP} to {@link #MAP_OUT}) and every exit head (index 1..4: {@link #MAP} to {@link #LOGITS}; index 0 unused), as
     * a runtime that stops at an exit needs them.
     */
    public static byte[][][] stageAndHeadGraphs(ai.emadaptive.model.Weights weights) {
        OnnxExport x = new OnnxExport(weights);
        byte[][] stages = new byte[ModelSpec.STAGES + 1][], heads = new byte[ModelSpec.STAGES + 1][];
        for (int s = 0; s <= ModelSpec.STAGES; s++) stages[s] = x.stage(s);
        for (int e = 1; e <= ModelSpec.STAGES; e++) heads[e] = x.head(e);
        return new byte[][][] {stages, heads};
    }

    /** Writes the graphs and {@code model.json} into {@code dir}; returns the files written. */
    public static List<Path> write(ModelArtifact artifact, Path dir) throws IOException {
        Files.createDirectories(dir);
        OnnxExport x = new OnnxExport(artifact.weights());
        List<Path> files = new ArrayList<>();
        Map<String, Object> graphs = new LinkedHashMap<>();
        for (int s = 0; s <= ModelSpec.STAGES; s++) {
            Path f = dir.resolve("stage" + s + ".onnx");
            Files.write(f, x.stage(s));
            files.add(f);
            graphs.put(
                    "stage" + s,
                    Map.of(
                            "file",
                            f.getFileName().toString(),
                            "input",
                            s == 0 ? INPUT : MAP,
                            "output",
                            MAP_OUT,
                            "outputShape",
                            List.of(
                                    -1,
                                    s == 0 ? x.spec.width() : x.spec.stageChannels(s),
                                    x.spec.stageSize(s),
                                    x.spec.stageSize(s))));
        }
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            Path f = dir.resolve("exit" + e + ".onnx");
            Files.write(f, x.head(e));
            files.add(f);
            graphs.put("exit" + e, Map.of("file", f.getFileName().toString(), "input", MAP, "output", LOGITS));
        }
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            Path f = dir.resolve("path" + e + ".onnx");
            Files.write(f, x.path(e));
            files.add(f);
            graphs.put(
                    "path" + e,
                    Map.of(
                            "file",
                            f.getFileName().toString(),
                            "input",
                            INPUT,
                            "output",
                            LOGITS,
                            "note",
                            "stem to exit " + e + " in one graph, for a fixed exit"));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "em-adaptive onnx export");
        doc.put("opset", OnnxGraph.OPSET);
        doc.put(
                "input",
                Map.of(
                        "layout",
                        "NHWC",
                        "shape",
                        List.of(-1, x.spec.inputSize(), x.spec.inputSize(), x.spec.inChannels()),
                        "note",
                        "normalised as the manifest's input says (mean, std, size, fit)"));
        doc.put(
                "howToStop",
                "run stage0, then for k = 1..4: stage k, exit k's head; stop after exit k when the routers (or a"
                        + " threshold) say so. Logits are pre-softmax (single-label) or pre-sigmoid (multi-label).");
        doc.put("graphs", graphs);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        doc.put("manifest", mapper.readTree(ManifestJson.write(artifact.manifest())));
        Path json = dir.resolve("model.json");
        mapper.writeValue(json.toFile(), doc);
        files.add(json);
        return files;
    }

    private byte[] stage(int s) {
        OnnxGraph g = new OnnxGraph("stage" + s);
        String x = s == 0
                ? stem(g, g.input(INPUT, -1, spec.inputSize(), spec.inputSize(), spec.inChannels()))
                : stage(g, s, g.input(MAP, -1, spec.stageInChannels(s), spec.stageSize(s - 1), spec.stageSize(s - 1)));
        g.node("Identity", MAP_OUT, List.of(x));
        g.output(MAP_OUT, -1, s == 0 ? spec.width() : spec.stageChannels(s), spec.stageSize(s), spec.stageSize(s));
        return g.model("em-adaptive " + (s == 0 ? "stem" : "stage " + s));
    }

    /** One graph from the pixels to exit k's logits: for a runtime that serves one fixed exit, or to time one. */
    private byte[] path(int k) {
        OnnxGraph g = new OnnxGraph("path" + k);
        String x = stem(g, g.input(INPUT, -1, spec.inputSize(), spec.inputSize(), spec.inChannels()));
        for (int s = 1; s <= k; s++) x = stage(g, s, x);
        head(g, k, x);
        return g.model("em-adaptive stem to exit " + k);
    }

    /** The stem: NHWC pixels to the NCHW stage-0 map. */
    private String stem(OnnxGraph g, String pixels) {
        String x = g.node("Transpose", "nchw", List.of(pixels), OnnxGraph.Attr.ints("perm", 0, 3, 1, 2));
        x = g.node(
                "Relu", "stem.relu", List.of(conv(g, "stem", x, Names.STEM_CONV, Names.STEM_BN, spec.stem().stride)));
        if (spec.stem().maxPool) {
            x = g.node(
                    "MaxPool",
                    "stem.pool",
                    List.of(x),
                    OnnxGraph.Attr.ints("kernel_shape", 3, 3),
                    OnnxGraph.Attr.ints("strides", 2, 2),
                    OnnxGraph.Attr.ints("pads", 1, 1, 1, 1));
        }
        return x;
    }

    private String stage(OnnxGraph g, int s, String x) {
        for (int b = 0; b < ModelSpec.BLOCKS_PER_STAGE; b++) x = block(g, s, b, x, b == 0 ? spec.stageStride(s) : 1);
        return x;
    }

    private String block(OnnxGraph g, int s, int b, String x, int stride) {
        String name = Names.block(s, b);
        String mid = g.node(
                "Relu",
                name + ".relu1",
                List.of(conv(g, name + ".conv1", x, Names.conv1(s, b), Names.bn1(s, b), stride)));
        String out = conv(g, name + ".conv2", mid, Names.conv2(s, b), Names.bn2(s, b), 1);
        String shortcut = ParamLayout.hasDownsample(spec, s, b)
                ? conv(g, name + ".down", x, Names.downConv(s, b), Names.downBn(s, b), stride)
                : x;
        return g.node("Relu", name + ".out", List.of(g.node("Add", name + ".add", List.of(out, shortcut))));
    }

    private byte[] head(int e) {
        OnnxGraph g = new OnnxGraph("exit" + e);
        head(g, e, g.input(MAP, -1, spec.stageChannels(e), spec.stageSize(e), spec.stageSize(e)));
        return g.model("em-adaptive exit " + e + " head");
    }

    /** Exit e's head on stage e's map; its output is {@link #LOGITS}. */
    private void head(OnnxGraph g, int e, String x) {
        if (spec.headType() == HeadType.CONV) {
            x = g.node(
                    "Relu",
                    "head.relu",
                    List.of(conv(g, "head.conv", x, Names.headConv(e), Names.headBn(e), spec.convHeadStride(e))));
        }
        x = g.node(
                "Flatten",
                "pooled",
                List.of(g.node("GlobalAveragePool", "gap", List.of(x))),
                OnnxGraph.Attr.i("axis", 1));
        if (spec.headType() == HeadType.MLP) {
            x = g.node("Relu", "hidden", List.of(dense(g, "fc1", x, Names.headFc1W(e), Names.headFc1b(e))));
        }
        dense(g, LOGITS, x, Names.headOutW(e), Names.headOutb(e));
        g.output(LOGITS, -1, spec.numClasses());
    }

    /** A convolution with its batch norm folded in, "same" padding k/2 as the engine's. */
    private String conv(OnnxGraph g, String name, String x, String convName, String bn, int stride) {
        INDArray[] wb = weights.conv(convName, bn); // weights [out, kH, kW, in]
        INDArray oihw = wb[0].permute(0, 3, 1, 2).dup('c');
        long[] shape = oihw.shape();
        int k = (int) shape[2];
        String w = g.initializer(name + ".W", floats(oihw), shape);
        String bias = g.initializer(name + ".b", floats(wb[1]), shape[0]);
        return g.node(
                "Conv",
                name,
                List.of(x, w, bias),
                OnnxGraph.Attr.ints("kernel_shape", k, k),
                OnnxGraph.Attr.ints("strides", stride, stride),
                OnnxGraph.Attr.ints("pads", k / 2, k / 2, k / 2, k / 2));
    }

    /** y = x . W + b, W [in, out]. */
    private String dense(OnnxGraph g, String name, String x, String wName, String bName) {
        INDArray w = weights.plain(wName), b = weights.plain(bName);
        String wi = g.initializer(name + ".W", floats(w), w.shape());
        String bi = g.initializer(name + ".b", floats(b), b.length());
        return g.node("Gemm", name, List.of(x, wi, bi));
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
