package ai.emadaptive.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Loss gradients against finite differences, double precision. */
class SoftmaxCrossEntropyTest {
    private static final int[] LABELS = {2, 0, 1};

    private static double total(INDArray student, INDArray teacher, double t, double alpha) {
        INDArray g = student.ulike();
        double ce = SoftmaxCrossEntropy.lossAndGrad(student, LABELS, 1 - alpha, g);
        double kl = SoftmaxCrossEntropy.addDistillation(student, teacher, t, alpha, g);
        return (1 - alpha) * ce + alpha * t * t * kl;
    }

    @Test
    void crossEntropyAndDistillationGradients() {
        Nd4j.getRandom().setSeed(9);
        INDArray student = Nd4j.randn(DataType.DOUBLE, 3, 4);
        INDArray teacher = Nd4j.randn(DataType.DOUBLE, 3, 4).muli(2);
        double t = 3, alpha = 0.4;
        INDArray grad = student.ulike();
        SoftmaxCrossEntropy.lossAndGrad(student, LABELS, 1 - alpha, grad);
        SoftmaxCrossEntropy.addDistillation(student, teacher, t, alpha, grad);
        FiniteDifferences.assertGradient(student, grad, () -> total(student, teacher, t, alpha), 1e-7);
    }
}
