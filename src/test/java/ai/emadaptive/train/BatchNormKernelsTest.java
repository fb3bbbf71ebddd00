package ai.emadaptive.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.Ops;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The fused float kernels agree with libnd4j's moments and batchnorm_bp (the gradient check covers the latter). */
class BatchNormKernelsTest {

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @Test
    void momentsAndBackwardMatchLibnd4j() {
        Nd4j.getRandom().setSeed(4);
        // an offset mean makes the variance sensitive to cancellation
        INDArray z = Nd4j.randn(DataType.FLOAT, 16, 9, 7, 24).muli(2).addi(3);
        INDArray gy = Nd4j.randn(DataType.FLOAT, 16, 9, 7, 24);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 24).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 24);

        INDArray mean = Nd4j.create(DataType.FLOAT, 24), var = Nd4j.create(DataType.FLOAT, 24);
        INDArray refMean = mean.ulike(), refVar = var.ulike();
        BatchNormKernels.moments(z, mean, var);
        Ops.channelMoments(z, refMean, refVar).run();
        assertClose(refMean, mean, 1e-5);
        assertClose(refVar, var, 1e-4);

        INDArray gz = z.ulike(), gGamma = gamma.ulike(), gBeta = gamma.ulike();
        BatchNormKernels.backward(z, mean, var, gamma, gy, 1e-5, gz, gGamma, gBeta);
        INDArray refGz = z.ulike(), refGamma = gamma.ulike(), refBeta = gamma.ulike();
        Ops.batchNormBackward(
                        z,
                        refMean,
                        refVar,
                        gamma,
                        beta,
                        gy,
                        1e-5,
                        refGz,
                        gamma.ulike(),
                        gamma.ulike(),
                        refGamma,
                        refBeta)
                .run();
        assertClose(refBeta, gBeta, 1e-3);
        assertClose(refGamma, gGamma, 1e-3);
        assertClose(refGz, gz, 1e-4);
    }

    @Test
    void fastPathOnlyForDenseFloatBuffers() {
        INDArray dense = Nd4j.create(DataType.FLOAT, 4, 3, 3, 8);
        assertTrue(BatchNormKernels.supports(dense));
        assertFalse(BatchNormKernels.supports(dense.castTo(DataType.DOUBLE)));
        assertFalse(BatchNormKernels.supports(dense.get(NDArrayIndex.interval(1, 3))));
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue() / scale, tol);
    }
}
