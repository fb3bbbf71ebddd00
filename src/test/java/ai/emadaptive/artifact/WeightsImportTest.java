package ai.emadaptive.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.ModelSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixture in src/test/resources/torch-fixture was written by {@code gpu_train.py --fixture}: a tiny network in
 * PyTorch with random batch-norm statistics, two inputs and PyTorch's logits at every exit. Importing it and running
 * the serving engine must give the same logits, or the GPU trainer and the engine disagree about the network.
 */
class WeightsImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    static Path fixture(String name) throws URISyntaxException {
        return fixture("torch-fixture", name);
    }

    static Path fixture(String dir, String name) throws URISyntaxException {
        return Path.of(
                WeightsImportTest.class.getResource("/" + dir + "/" + name).toURI());
    }

    /** torch-fixture: CIFAR stem, 16 px; torch-fixture-compact: COMPACT stem (3x3/2 conv, 3x3/2 max-pool), 32 px. */
    @ParameterizedTest
    @ValueSource(strings = {"torch-fixture", "torch-fixture-compact"})
    void theServingEngineComputesPyTorchsLogitsAtEveryExit(String dir) throws Exception {
        ModelArtifact imported = WeightsImport.read(fixture(dir, "weights.bin"), fixture(dir, "meta.json"));
        Path file = this.dir.resolve(dir + ".zip");
        ArtifactWriter.write(imported, file);
        ModelArtifact artifact = ArtifactReader.read(file);
        ModelSpec spec = artifact.manifest().spec();
        assertEquals(2, spec.width());

        JsonNode expected = JSON.readTree(fixture(dir, "expected.json").toFile());
        JsonNode in = expected.get("inputNhwc");
        float[] x = new float[in.size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) in.get(i).asDouble();
        int n = expected.get("shape").get(0).asInt();
        int size = expected.get("shape").get(1).asInt();
        assertEquals(spec.inputSize(), size);
        INDArray frames = Nd4j.create(x, new long[] {n, size, size, 3}, 'c');

        ServingEngine engine = new ServingEngine(artifact.weights(), n);
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            INDArray logits = engine.run(frames, e);
            JsonNode want = expected.get("logits").get(e - 1);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < spec.numClasses(); c++) {
                    double w = want.get(r).get(c).asDouble();
                    double diff = Math.abs(logits.getDouble(r, c) - w);
                    assertTrue(
                            diff <= 1e-4 + 1e-4 * Math.abs(w),
                            dir + " exit " + e + " row " + r + " class " + c + ": engine " + logits.getDouble(r, c)
                                    + ", PyTorch " + w);
                }
            }
        }
        assertEquals("random", artifact.manifest().provenance().data());
        assertTrue(artifact.manifest().provenance().command().contains("gpu_train.py"));
    }

    @Test
    void weightsForAnotherWidthAreRefusedNamingTheTensor() throws Exception {
        Path meta = editedMeta(m -> ((ObjectNode) m.get("architecture")).put("width", 3));
        ArtifactException e =
                assertThrows(ArtifactException.class, () -> WeightsImport.read(fixture("weights.bin"), meta));
        assertTrue(e.getMessage().contains("weights.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("stem.conv.W"), e.getMessage());
    }

    @Test
    void incompleteMetaDataIsRefusedNamingTheField() throws Exception {
        Path meta = editedMeta(m -> ((ObjectNode) m).remove("classes"));
        ArtifactException e =
                assertThrows(ArtifactException.class, () -> WeightsImport.read(fixture("weights.bin"), meta));
        assertTrue(e.getMessage().contains("meta.json") && e.getMessage().contains("classes"), e.getMessage());
    }

    @Test
    void aTruncatedWeightsFileIsRefused() throws Exception {
        byte[] b = Files.readAllBytes(fixture("weights.bin"));
        Path cut = dir.resolve("weights.bin");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
        ArtifactException e =
                assertThrows(ArtifactException.class, () -> WeightsImport.read(cut, fixture("meta.json")));
        assertTrue(e.getMessage().contains("ends early"), e.getMessage());
    }

    private Path editedMeta(java.util.function.Consumer<JsonNode> edit) throws IOException, URISyntaxException {
        JsonNode m = JSON.readTree(fixture("meta.json").toFile());
        edit.accept(m);
        Path p = dir.resolve("meta.json");
        JSON.writeValue(p.toFile(), m);
        return p;
    }
}
