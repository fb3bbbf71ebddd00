package ai.emadaptive.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Analytic gradients of a 2-d input against central finite differences of a loss (double precision). */
final class FiniteDifferences {
    private FiniteDifferences() {}

    /** Checks every entry of {@code grad} against the loss's slope along that entry of {@code x}. */
    static void assertGradient(INDArray x, INDArray grad, DoubleSupplier loss, double tolerance) {
        double eps = 1e-6;
        for (int i = 0; i < x.size(0); i++) {
            for (int c = 0; c < x.size(1); c++) {
                double orig = x.getDouble(i, c);
                x.putScalar(i, c, orig + eps);
                double up = loss.getAsDouble();
                x.putScalar(i, c, orig - eps);
                double down = loss.getAsDouble();
                x.putScalar(i, c, orig);
                assertEquals((up - down) / (2 * eps), grad.getDouble(i, c), tolerance, "logit " + i + "," + c);
            }
        }
    }
}
