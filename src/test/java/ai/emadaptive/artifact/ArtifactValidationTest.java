package ai.emadaptive.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.ParamLayout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Every way an artifact can be broken ends in an ArtifactException that names the file and the problem. */
class ArtifactValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path good;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @BeforeEach
    void writeGoodArtifact() {
        good = dir.resolve("good.zip");
        ArtifactWriter.write(TestArtifacts.artifact(TestArtifacts.SMALL, 11), good);
    }

    @Test
    void flippedBytesInTheMiddleAreReportedAsCorruption() throws IOException {
        byte[] b = Files.readAllBytes(good);
        for (int i = b.length / 2; i < b.length / 2 + 16; i++) b[i] ^= (byte) 0xFF;
        Path file = dir.resolve("model.zip");
        Files.write(file, b);
        assertFails(file, "corrupt");
    }

    @Test
    void aFileCutInHalfIsReportedAsTruncated() throws IOException {
        byte[] b = Files.readAllBytes(good);
        Path file = dir.resolve("model.zip");
        Files.write(file, Arrays.copyOf(b, b.length / 2));
        assertFails(file, "truncated");
    }

    @Test
    void textIsNotAZipFile() throws IOException {
        Path file = dir.resolve("model.zip");
        Files.writeString(file, "these are not the weights you are looking for\n");
        assertFails(file, "model.zip: not a zip file");
    }

    @Test
    void anEmptyFileIsNotAZipFile() throws IOException {
        Path file = dir.resolve("model.zip");
        Files.write(file, new byte[0]);
        assertFails(file, "not a zip file");
    }

    @Test
    void aMissingFileIsReported() {
        assertFails(dir.resolve("model.zip"), "no such file");
    }

    @Test
    void missingManifest() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        entries.remove("manifest.json");
        assertFails(rezip(entries), "missing manifest.json");
    }

    @Test
    void missingWeights() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        entries.remove("weights.bin");
        Path file = rezip(entries);
        assertFails(file, "missing weights.bin");
        ArtifactReader.readManifest(file); // model-info still works: it does not need the weights
    }

    @Test
    void aNewerFormatVersionIsRefusedAsSuch() throws IOException {
        ArtifactException e = assertFails(
                editManifest(m -> {
                    m.put("formatVersion", 7);
                    m.remove("architecture"); // a newer layout must not be reported as a binding error
                }),
                "manifest formatVersion 7 is newer than this build supports (2)");
        assertEquals(
                "manifest formatVersion 7 is newer than this build supports (2); use a newer em-adaptive to read it",
                e.problem());
    }

    @Test
    void aManifestOfAnotherFormatIsRefused() throws IOException {
        assertFails(editManifest(m -> m.put("format", "onnx")), "not an em-adaptive-model manifest");
    }

    @Test
    void invalidJson() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        entries.put("manifest.json", "{\"format\": ".getBytes(StandardCharsets.UTF_8));
        assertFails(rezip(entries), "manifest.json is not valid JSON");
    }

    @Test
    void anArchitectureWhoseTensorsDoNotMatchWeightsBinNamesTheTensor() throws IOException {
        // A self-consistent manifest for width 16 beside weights for width 8.
        ModelSpec wide = new ModelSpec(16, 32, 3, TestArtifacts.SMALL.stem(), 10, TestArtifacts.SMALL.headType());
        Manifest m = Manifest.of(
                wide,
                TestArtifacts.classes(10),
                TestArtifacts.MEAN,
                TestArtifacts.STD,
                null,
                TestArtifacts.provenance());
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        entries.put("manifest.json", ManifestJson.write(m));
        assertFails(
                rezip(entries), "tensor stem.conv.W has shape [8, 3, 3, 3] but the architecture needs [16, 3, 3, 3]");
    }

    @Test
    void aManifestWhoseTensorListDisagreesWithItsArchitectureNamesTheTensor() throws IOException {
        assertFails(
                editManifest(m -> {
                    ((ObjectNode) m.get("architecture")).put("numClasses", 5);
                    m.set("classes", JSON.valueToTree(TestArtifacts.classes(5)));
                }),
                "manifest lists tensor exit1.out.W with shape [8, 10] but the architecture needs [8, 5]");
    }

    @Test
    void classesMustMatchNumClasses() throws IOException {
        assertFails(
                editManifest(m -> ((ArrayNode) m.get("classes")).remove(0)),
                "manifest lists 9 classes but the architecture has 10");
    }

    @Test
    void normalisationMustHaveOneValuePerChannel() throws IOException {
        assertFails(
                editManifest(m -> ((ObjectNode) m.get("input"))
                        .set("std", JSON.createArrayNode().add(0.5))),
                "manifest input std must have 3 values, has 1");
    }

    @Test
    void aMultiLabelManifestNeedsValidThresholdsForEveryExit() throws IOException {
        assertFails(
                editManifest(m -> {
                    m.put("task", "MULTI_LABEL");
                    m.put("formatVersion", 2);
                }),
                "a multi-label manifest needs thresholds for exits 1-4");
        assertFails(
                editManifest(m -> {
                    m.put("task", "MULTI_LABEL");
                    m.put("formatVersion", 2);
                    ArrayNode t = m.putArray("thresholds");
                    for (int e = 0; e < 4; e++) {
                        ArrayNode row = t.addArray();
                        for (int c = 0; c < 10; c++) row.add(e == 2 && c == 4 ? 1.5 : 0.5);
                    }
                }),
                "manifest threshold 1.5 of exit 3 is not in (0, 1)");
        assertFails(
                editManifest(m -> m.putArray("thresholds").addArray().add(0.5)),
                "manifest has thresholds but its task is SINGLE_LABEL");
    }

    @Test
    void anUnknownStemIsReported() throws IOException {
        assertFails(
                editManifest(m -> ((ObjectNode) m.get("architecture")).put("stem", "VIT")),
                "manifest.json does not match format version 1 ");
    }

    @Test
    void weightsBinEndingEarlyNamesTheTensor() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        byte[] w = entries.get("weights.bin");
        entries.put("weights.bin", Arrays.copyOf(w, 12 + 49 + 40)); // header, stem.conv.W's header, 10 of its floats
        assertFails(rezip(entries), "weights.bin ends early (tensor stem.conv.W)");
    }

    @Test
    void weightsBinWithTrailingBytesIsRefused() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        byte[] w = entries.get("weights.bin");
        entries.put("weights.bin", Arrays.copyOf(w, w.length + 3));
        assertFails(rezip(entries), "weights.bin has data after its last tensor");
    }

    @Test
    void weightsBinLackingATensorNamesIt() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        ByteBuffer w = ByteBuffer.wrap(entries.get("weights.bin")).order(ByteOrder.LITTLE_ENDIAN);
        int count = new ParamLayout(TestArtifacts.SMALL).all().size();
        w.putInt(8, count - 1); // drop the last tensor from the count, and its bytes are then trailing
        String last = new ParamLayout(TestArtifacts.SMALL).all().get(count - 1).name();
        assertFails(rezip(entries), "weights.bin lacks tensor " + last);
    }

    @Test
    void nonFiniteWeightsAreRefusedWithTheTensorName() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        ByteBuffer w = ByteBuffer.wrap(entries.get("weights.bin")).order(ByteOrder.LITTLE_ENDIAN);
        w.putFloat(12 + 49 + 4 * 5, Float.POSITIVE_INFINITY); // the 6th value of the first tensor
        assertFails(rezip(entries), "tensor stem.conv.W holds Infinity at flat index 5");
    }

    @Test
    void aWeightsFileOfAnotherKindIsRefused() throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        entries.get("weights.bin")[0] = 'X';
        assertFails(rezip(entries), "weights.bin is not an EMAW weights file");
    }

    private Path editManifest(Consumer<ObjectNode> edit) throws IOException {
        Map<String, byte[]> entries = TestArtifacts.entries(good);
        ObjectNode m = (ObjectNode) JSON.readTree(entries.get("manifest.json"));
        edit.accept(m);
        entries.put("manifest.json", JSON.writeValueAsBytes(m));
        return rezip(entries);
    }

    private Path rezip(Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve("model.zip");
        TestArtifacts.zip(file, new LinkedHashMap<>(entries));
        return file;
    }

    /** Both read paths fail, naming the file; returns the full reader's exception. */
    private static ArtifactException assertFails(Path file, String expected) {
        ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
        assertEquals(file, e.file());
        return e;
    }
}
