package ai.emadaptive.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HalfPrecisionArtifactTest {
    private static final ModelSpec SPEC = new ModelSpec(8, 32, 3, Stem.CIFAR, 10, HeadType.CONV);

    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @Test
    void kernelsComeBackRoundedToHalfAndVectorsExact() throws IOException {
        ModelArtifact full = TestArtifacts.artifact(SPEC, 3);
        Path f32 = write(full, WeightPrecision.FLOAT32);
        Path f16 = write(full, WeightPrecision.FLOAT16);

        ModelArtifact back = ArtifactReader.read(f16);
        assertEquals(WeightPrecision.FLOAT16, back.manifest().weightPrecision());
        assertEquals(
                WeightPrecision.FLOAT32, ArtifactReader.read(f32).manifest().weightPrecision());
        int halved = 0;
        for (String name : full.weights().all().keySet()) {
            float[] a = full.weights().get(name).data().asFloat();
            float[] b = back.weights().get(name).data().asFloat();
            if (full.weights().get(name).rank() >= 2) {
                halved++;
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Half.toFloat(Half.fromFloat(a[i])), b[i], 0f, name);
                    // binary16 keeps 11 significant bits: relative error at most 2^-11 for normal values
                    if (Math.abs(a[i]) > 0x1p-14f) assertEquals(a[i], b[i], Math.abs(a[i]) * 0x1p-11f, name);
                }
                assertNotEquals(0, differing(a, b), name + ": random weights should not all be binary16 values");
            } else {
                assertArrayEquals(a, b, 0f, name);
            }
        }
        assertTrue(halved > 10, "kernels halved: " + halved);
        assertTrue(Files.size(f16) < 0.6 * Files.size(f32), Files.size(f16) + " vs " + Files.size(f32) + " bytes");
    }

    @Test
    void aHalfArtifactReadBackAndWrittenAgainIsTheSameFileContent() throws IOException {
        ModelArtifact half = TestArtifacts.artifact(SPEC, 4).withWeightPrecision(WeightPrecision.FLOAT16);
        Path first = dir.resolve("a.zip");
        Path second = dir.resolve("b.zip");
        ArtifactWriter.write(half, first);
        ModelArtifact back = ArtifactReader.read(first);
        // new routers keep the precision, as the routers command's rewrite does
        Manifest rerouted = back.manifest()
                .withRouters(new ObjectMapper().createObjectNode().put("kind", "em"), new long[] {1, 1, 1});
        assertEquals(WeightPrecision.FLOAT16, rerouted.weightPrecision());
        ArtifactWriter.write(new ModelArtifact(back.manifest(), back.weights()), second);
        assertArrayEquals(
                TestArtifacts.entries(first).get(ArtifactWriter.WEIGHTS),
                TestArtifacts.entries(second).get(ArtifactWriter.WEIGHTS));
        // rounding already-rounded weights changes nothing
        ModelArtifact again = back.withWeightPrecision(WeightPrecision.FLOAT16);
        for (String name : back.weights().all().keySet()) {
            assertArrayEquals(
                    back.weights().get(name).data().asFloat(),
                    again.weights().get(name).data().asFloat(),
                    0f,
                    name);
        }
    }

    @Test
    void float32ArtifactsStayVersion1AndHalfOnesAreVersion2() throws IOException {
        ModelArtifact a = TestArtifacts.artifact(SPEC, 5);
        Path f32 = write(a, WeightPrecision.FLOAT32);
        Path f16 = write(a, WeightPrecision.FLOAT16);
        assertEquals(1, version(TestArtifacts.entries(f32).get(ArtifactWriter.WEIGHTS)));
        assertEquals(2, version(TestArtifacts.entries(f16).get(ArtifactWriter.WEIGHTS)));
    }

    @Test
    void aWeightBeyondHalfRangeIsRefusedWithItsTensor() {
        Map<String, INDArray> t =
                new LinkedHashMap<>(TestArtifacts.artifact(SPEC, 6).weights().all());
        INDArray w = t.get("stem.conv.W");
        float[] v = w.data().asFloat();
        v[7] = 70000f;
        t.put("stem.conv.W", Nd4j.create(v, w.shape(), 'c'));
        ModelArtifact a = TestArtifacts.artifact(SPEC, 6);
        Manifest half = a.manifest().withWeightPrecision(WeightPrecision.FLOAT16);
        ArtifactException e = assertThrows(
                ArtifactException.class,
                () -> ArtifactWriter.write(new ModelArtifact(half, new Weights(SPEC, t)), dir.resolve("big.zip")));
        assertTrue(e.getMessage().contains("stem.conv.W") && e.getMessage().contains("float16"), e.getMessage());
    }

    @Test
    void anUnknownEncodingByteIsReportedWithItsTensor() throws IOException {
        Path f16 = write(TestArtifacts.artifact(SPEC, 7), WeightPrecision.FLOAT16);
        Map<String, byte[]> entries = TestArtifacts.entries(f16);
        byte[] w = entries.get(ArtifactWriter.WEIGHTS);
        // the first tensor's encoding byte: after magic, version, count, name length, name, rank, dims
        ByteBuffer b = ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN);
        int nameLength = Short.toUnsignedInt(b.getShort(12));
        int rank = b.getInt(14 + nameLength);
        int at = 14 + nameLength + 4 + 8 * rank;
        String name = new String(w, 14, nameLength, java.nio.charset.StandardCharsets.UTF_8);
        w[at] = 9;
        Path bad = dir.resolve("bad.zip");
        TestArtifacts.zip(bad, entries);
        ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(bad));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("encoding 9"), e.getMessage());
    }

    private Path write(ModelArtifact a, WeightPrecision precision) {
        Path file = dir.resolve(precision + ".zip");
        ArtifactWriter.write(a.withWeightPrecision(precision), file);
        return file;
    }

    private static int differing(float[] a, float[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) n++;
        return n;
    }

    private static int version(byte[] weightsBin) {
        return ByteBuffer.wrap(weightsBin).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }
}
