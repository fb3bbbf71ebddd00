package ai.emadaptive.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.Ops;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The stem's integer max pooling against libnd4j's float max pooling (the engine's path on CUDA) of the same map, as
 * a ReLU leaves it.
 */
class PoolTest {
    @Test
    void integerComparisonGivesTheFloatMaxOfAReluOutput() {
        Nd4j.getRandom().setSeed(11);
        int n = 2, h = 13, c = 16, oh = 7;
        // what a ReLU leaves: positives (some tiny, some huge), +0.0 and -0.0 (the sign of a negative times zero)
        float[] data = Nd4j.randn(DataType.FLOAT, n, h, h, c).data().asFloat();
        for (int i = 0; i < data.length; i++) {
            if (data[i] < 0) data[i] = i % 3 == 0 ? -0.0f : 0.0f;
            else if (i % 7 == 0) data[i] *= 1e-40f; // subnormal
            else if (i % 11 == 0) data[i] *= 1e30f;
        }
        // and a window of negative zeros only, whose maximum is still a zero
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++) for (int k = 0; k < c; k++) data[(y * h + x) * c + k] = -0.0f;
        INDArray map = Nd4j.create(data, new long[] {n, h, h, c}, 'c');
        INDArray asFloats = Nd4j.create(DataType.FLOAT, n, oh, oh, c),
                asInts = Nd4j.create(DataType.FLOAT, n, oh, oh, c);
        Ops.maxPool(map, asFloats).run();
        try (DnnlContext ctx = new DnnlContext();
                Pool integer = Pool.max3x3NonNegative(ctx, map, asInts)) {
            integer.run();
        }
        float[] want = asFloats.data().asFloat(), got = asInts.data().asFloat();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 0f, "element " + i);
        assertEquals(0f, got[0], 0f, "the window of negative zeros");
        assertTrue(asInts.maxNumber().doubleValue() > 1e29, "the huge values survive");
        // and in the engine's own shape at the service model's stem: exactly the same bits
        INDArray big = Nd4j.rand(DataType.FLOAT, 1, 128, 128, 16).subi(0.5);
        INDArray relu = org.nd4j.linalg.ops.transforms.Transforms.relu(big, true);
        INDArray a = Nd4j.create(DataType.FLOAT, 1, 64, 64, 16), b = Nd4j.create(DataType.FLOAT, 1, 64, 64, 16);
        Ops.maxPool(relu, a).run();
        try (DnnlContext ctx = new DnnlContext();
                Pool integer = Pool.max3x3NonNegative(ctx, relu, b)) {
            integer.run();
        }
        assertArrayEquals(a.data().asFloat(), b.data().asFloat());
    }
}
