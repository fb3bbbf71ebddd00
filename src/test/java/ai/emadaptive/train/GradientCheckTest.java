package ai.emadaptive.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The hand-wired backward pass against central finite differences, in double precision. */
class GradientCheckTest {

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @ParameterizedTest
    @CsvSource({"CIFAR, MLP, 8", "CIFAR, CONV, 8", "IMAGENET, MLP, 24"})
    void analyticGradientsMatchFiniteDifferences(Stem stem, HeadType head, int size) {
        ModelSpec spec = new ModelSpec(2, size, 3, stem, 3, head);
        Weights w = Weights.init(spec, 7).castTo(DataType.DOUBLE);
        MultiExitNetwork net = new MultiExitNetwork(w);
        Random rnd = new Random(3);
        int n = 4;
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, size, size, 3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(3);

        List<TrainParam> params = net.params(false);
        for (TrainParam p : params) p.grad().assign(0);
        INDArray[] logits = net.forward(x, true, false);
        INDArray[] g = new INDArray[5];
        for (int e = 1; e <= 4; e++) {
            g[e] = logits[e].ulike();
            SoftmaxCrossEntropy.lossAndGrad(logits[e], labels, 1.0, g[e]);
        }
        net.backward(g);

        int checked = 0;
        double eps = 1e-6;
        for (TrainParam p : params) {
            INDArray flat = p.value().reshape(p.value().length());
            INDArray grad = p.grad().reshape(p.grad().length());
            long len = flat.length();
            for (long i : new long[] {0, len / 2, len - 1}) {
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + eps);
                double up = loss(net, x, labels);
                flat.putScalar(i, orig - eps);
                double down = loss(net, x, labels);
                flat.putScalar(i, orig);
                double numeric = (up - down) / (2 * eps);
                double analytic = grad.getDouble(i);
                assertTrue(
                        Math.abs(numeric - analytic) <= 1e-6 + 1e-4 * Math.abs(numeric),
                        p.name() + "[" + i + "]: analytic " + analytic + " vs numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked + " entries");
    }

    private static double loss(MultiExitNetwork net, INDArray x, int[] labels) {
        INDArray[] logits = net.forward(x, true, false);
        double total = 0;
        for (int e = 1; e <= 4; e++)
            total += SoftmaxCrossEntropy.lossAndGrad(logits[e], labels, 1.0, logits[e].ulike());
        return total;
    }
}
