package ai.emadaptive.bench;

import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Weights;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The benchmark baseline: the multi-exit ResNet-18 up to one fixed exit, built the ordinary way with DL4J's
 * layer API (a {@link ComputationGraph}, NCHW, batch norm as separate layers). Every layer is named after the
 * tensors it holds: the tensor {@code s2.b0.conv1.W} is parameter {@code W} of layer {@code s2.b0.conv1}, so
 * {@link #copyWeights} needs no mapping table.
 */
public final class LayerApiBaseline {
    private LayerApiBaseline() {}

    private static final String INPUT = "input";

    /** Stem, stages 1..exit and the head of {@code exit} only; its single output is that head's logits. */
    public static ComputationGraph build(ModelSpec spec, int exit) {
        if (exit < 1 || exit > ModelSpec.STAGES)
            throw new IllegalArgumentException("exit " + exit + " outside 1.." + ModelSpec.STAGES);
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                // Truncate with explicit padding gives floor((in + 2p - k) / s) + 1, the engine's output sizes.
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(spec.inputSize(), spec.inputSize(), spec.inChannels()));
        String x = stem(g, spec);
        for (int s = 1; s <= exit; s++) {
            for (int b = 0; b < ModelSpec.BLOCKS_PER_STAGE; b++) x = block(g, spec, s, b, x);
        }
        String logits = head(g, spec, exit, x);
        ComputationGraph graph = new ComputationGraph(g.setOutputs(logits).build());
        graph.init();
        return graph;
    }

    /**
     * Copies every parameter the graph holds from {@code weights}: parameter {@code key} of layer {@code L}
     * is the tensor {@code L.key}. Running mean and variance are parameters of DL4J's batch norm, so they
     * come across too.
     */
    public static void copyWeights(Weights weights, ComputationGraph graph, int exit) {
        if (graph.getNumInputArrays() != 1
                || !graph.getConfiguration().getNetworkOutputs().equals(List.of(logitsLayer(exit)))) {
            throw new IllegalArgumentException("graph was not built by LayerApiBaseline.build for exit " + exit);
        }
        for (Layer layer : graph.getLayers()) {
            String name = layer.getConfig().getLayerName();
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                String tensor = name + "." + p.getKey();
                layer.setParam(p.getKey(), fit(tensor, weights.get(tensor), p.getValue()));
            }
        }
    }

    /** Our tensor in the shape DL4J keeps it in; vectors may differ only by a leading 1 ([C] vs [1, C]). */
    private static INDArray fit(String tensor, INDArray ours, INDArray theirs) {
        boolean sameShape = Arrays.equals(ours.shape(), theirs.shape());
        boolean sameVector = ours.isVector() && theirs.isVector() && ours.length() == theirs.length();
        if (!sameShape && !sameVector) {
            throw new IllegalArgumentException("tensor " + tensor + " has shape " + Arrays.toString(ours.shape())
                    + ", the DL4J layer expects " + Arrays.toString(theirs.shape()));
        }
        return ours.castTo(DataType.FLOAT).reshape('c', theirs.shape());
    }

    private static String stem(GraphBuilder g, ModelSpec spec) {
        int k = spec.stem().kernel;
        String x = relu(
                g, "stem.relu", convBn(g, Names.STEM_CONV, Names.STEM_BN, spec.width(), k, spec.stem().stride, INPUT));
        if (!spec.stem().maxPool) return x;
        g.addLayer(
                "stem.pool",
                new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(3, 3)
                        .stride(2, 2)
                        .padding(1, 1)
                        .build(),
                x);
        return "stem.pool";
    }

    /** BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)). */
    private static String block(GraphBuilder g, ModelSpec spec, int s, int b, String x) {
        int c = spec.stageChannels(s);
        int stride = b == 0 ? spec.stageStride(s) : 1;
        String prefix = Names.block(s, b);
        String mid = relu(g, prefix + ".relu1", convBn(g, Names.conv1(s, b), Names.bn1(s, b), c, 3, stride, x));
        String main = convBn(g, Names.conv2(s, b), Names.bn2(s, b), c, 3, 1, mid);
        String shortcut = ParamLayout.hasDownsample(spec, s, b)
                ? convBn(g, Names.downConv(s, b), Names.downBn(s, b), c, 1, stride, x)
                : x;
        g.addVertex(prefix + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), main, shortcut);
        return relu(g, prefix + ".relu2", prefix + ".add");
    }

    private static String head(GraphBuilder g, ModelSpec spec, int e, String x) {
        int c = spec.stageChannels(e);
        String exit = Names.exit(e);
        String features = x;
        if (spec.headType() == HeadType.CONV) {
            features = relu(
                    g, exit + ".relu", convBn(g, Names.headConv(e), Names.headBn(e), c, 3, spec.convHeadStride(e), x));
        }
        g.addLayer(exit + ".pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), features);
        String pooled = exit + ".pool";
        if (spec.headType() == HeadType.MLP) {
            String fc1 = layerOf(Names.headFc1W(e));
            g.addLayer(
                    fc1,
                    new DenseLayer.Builder()
                            .nOut(c)
                            .activation(Activation.IDENTITY)
                            .build(),
                    pooled);
            pooled = relu(g, exit + ".relu", fc1);
        }
        // An output layer with identity activation: the graph returns logits, as the engine does (the loss is never
        // used).
        g.addLayer(
                logitsLayer(e),
                new OutputLayer.Builder(LossFunction.MSE)
                        .nOut(spec.numClasses())
                        .activation(Activation.IDENTITY)
                        .build(),
                pooled);
        return logitsLayer(e);
    }

    /** Name of the logits layer of exit {@code e}. */
    private static String logitsLayer(int e) {
        return layerOf(Names.headOutW(e));
    }

    /** Convolution without bias, then its batch norm; returns the batch norm's name. */
    private static String convBn(GraphBuilder g, String convTensor, String bn, int out, int k, int stride, String x) {
        String conv = layerOf(convTensor);
        g.addLayer(
                conv,
                new ConvolutionLayer.Builder(k, k)
                        .stride(stride, stride)
                        .padding(k / 2, k / 2)
                        .nOut(out)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .build(),
                x);
        // useLogStd(false): the "var" parameter holds the variance itself, so our running variance copies over as is.
        g.addLayer(
                bn,
                new BatchNormalization.Builder()
                        .eps(FoldedWeights.BN_EPS)
                        .useLogStd(false)
                        .build(),
                conv);
        return bn;
    }

    private static String relu(GraphBuilder g, String name, String x) {
        g.addLayer(
                name, new ActivationLayer.Builder().activation(Activation.RELU).build(), x);
        return name;
    }

    /** The layer holding a tensor: its name without the last segment ({@code s1.b0.conv1.W} -> {@code s1.b0.conv1}). */
    private static String layerOf(String tensor) {
        return tensor.substring(0, tensor.lastIndexOf('.'));
    }
}
