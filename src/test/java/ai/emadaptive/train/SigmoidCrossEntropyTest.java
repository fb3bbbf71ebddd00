package ai.emadaptive.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.emadaptive.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The multi-label loss: its value by hand, its gradients against finite differences (double precision). */
class SigmoidCrossEntropyTest {
    // 3 frames x 4 tools; -1: not labelled (no loss)
    private static final byte[] TARGETS = {1, 0, 0, 1, 0, 0, 0, 0, 1, ImageSet.UNKNOWN, 1, 0};

    private static double total(INDArray student, INDArray teacher, double t, double alpha) {
        INDArray g = student.ulike();
        double bce = SigmoidCrossEntropy.lossAndGrad(student, TARGETS, 1 - alpha, g);
        double kl = SigmoidCrossEntropy.addDistillation(student, teacher, t, alpha, g);
        return (1 - alpha) * bce + alpha * t * t * kl;
    }

    @Test
    void lossIsTheSummedBinaryCrossEntropyOfKnownTargets() {
        INDArray z = Nd4j.create(new double[][] {{0, 2}, {-1, 3}});
        byte[] y = {1, 0, ImageSet.UNKNOWN, 1};
        // frame 1: -log s(0) - log(1 - s(2)); frame 2: -log s(3) (the unknown target adds nothing)
        double expected = (Math.log(2) + Math.log(1 + Math.exp(2)) + Math.log(1 + Math.exp(-3))) / 2;
        INDArray g = z.ulike();
        assertEquals(expected, SigmoidCrossEntropy.lossAndGrad(z, y, 1, g), 1e-12);
        assertEquals((0.5 - 1) / 2, g.getDouble(0, 0), 1e-12);
        assertEquals(0, g.getDouble(1, 0), 0, "no gradient where the target is unknown");
    }

    @Test
    void crossEntropyAndDistillationGradients() {
        Nd4j.getRandom().setSeed(5);
        INDArray student = Nd4j.randn(DataType.DOUBLE, 3, 4);
        INDArray teacher = Nd4j.randn(DataType.DOUBLE, 3, 4).muli(2);
        double t = 2, alpha = 0.3;
        INDArray grad = student.ulike();
        SigmoidCrossEntropy.lossAndGrad(student, TARGETS, 1 - alpha, grad);
        SigmoidCrossEntropy.addDistillation(student, teacher, t, alpha, grad);
        FiniteDifferences.assertGradient(student, grad, () -> total(student, teacher, t, alpha), 1e-7);
    }
}
