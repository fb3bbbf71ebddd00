package ai.emadaptive.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.emadaptive.artifact.Manifest;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PreprocessorTest {
    @Test
    void centreCropAreaAverageRgbNormalised() {
        // 8x4 BGR frame; the centre 4x4 square is columns 2..5; output 2x2 averages 2x2 blocks
        int w = 8, h = 4;
        FramePool pool = new FramePool(w, h, 1, 2 * 2 * 3);
        FrameBuffer f = pool.acquire();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                f.bgr[p] = (byte) (10 * x);        // blue
                f.bgr[p + 1] = (byte) (20 * y);    // green
                f.bgr[p + 2] = (byte) 200;         // red
            }
        }
        float[] mean = {0.5f, 0.25f, 0.1f}, std = {0.5f, 0.25f, 0.2f};
        Preprocessor pre = new Preprocessor(Manifest.Input.rgbNhwc(2, mean, std));
        assertEquals(f.input.length, pre.rowLength());
        pre.write(f);
        INDArray input = Nd4j.zeros(DataType.FLOAT, 3, 2, 2, 3);
        new BatchInput().write(f.input, input, 1);
        for (int oy = 0; oy < 2; oy++) {
            for (int ox = 0; ox < 2; ox++) {
                double blue = 10 * (2 + 2 * ox + 0.5), green = 20 * (2 * oy + 0.5), red = 200;
                assertEquals((red / 255 - mean[0]) / std[0], input.getDouble(1, oy, ox, 0), 1e-5);
                assertEquals((green / 255 - mean[1]) / std[1], input.getDouble(1, oy, ox, 1), 1e-5);
                assertEquals((blue / 255 - mean[2]) / std[2], input.getDouble(1, oy, ox, 2), 1e-5);
            }
        }
        assertEquals(0, input.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).sumNumber().doubleValue(), "other rows untouched");
        assertEquals(0, input.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2)).sumNumber().doubleValue());
    }
}
