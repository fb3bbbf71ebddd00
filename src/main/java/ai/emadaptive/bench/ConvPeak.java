package ai.emadaptive.bench;

import ai.emadaptive.model.Ops;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * This machine's practical convolution peak: libnd4j's conv2d called directly on the densest layer of the CIFAR
 * ResNet-18 (64 -> 64 channels, 3x3, 32x32, batch 32), in both layouts; the faster one is the peak.
 */
public final class ConvPeak {
    private ConvPeak() {}

    public record Result(double nhwcGflops, double nchwGflops, double nhwcMedianMs, double nchwMedianMs) {
        public double peakGflops() {
            return Math.max(nhwcGflops, nchwGflops);
        }
    }

    public static Result measure(int samples) {
        int n = 32, c = 64, s = 32;
        double flops = 2.0 * n * c * c * 9 * s * s;
        INDArray w = Nd4j.randn(DataType.FLOAT, c, c, 3, 3);
        INDArray xNhwc = Nd4j.randn(DataType.FLOAT, n, s, s, c);
        INDArray yNhwc = xNhwc.ulike();
        LatencyStats nhwc = LatencyStats.measure(
                n, 5, samples, () -> Ops.conv(xNhwc, w, null, 1, yNhwc).run());
        INDArray xNchw = Nd4j.randn(DataType.FLOAT, n, c, s, s);
        INDArray yNchw = xNchw.ulike();
        DynamicCustomOp nchwOp = DynamicCustomOp.builder("conv2d")
                .addInputs(xNchw, w)
                .addOutputs(yNchw)
                .addIntegerArguments(3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1)
                .build();
        LatencyStats nchw =
                LatencyStats.measure(n, 5, samples, () -> Nd4j.getExecutioner().exec(nchwOp));
        return new Result(
                flops / nhwc.medianMs() / 1e6, flops / nchw.medianMs() / 1e6, nhwc.medianMs(), nchw.medianMs());
    }
}
