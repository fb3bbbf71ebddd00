package ai.emadaptive.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.model.Flops;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArtifactRoundTripTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @ParameterizedTest
    @CsvSource({"CIFAR, MLP, 32", "IMAGENET, CONV, 64"})
    void writeThenReadGivesTheSameManifestAndBitIdenticalTensors(Stem stem, HeadType head, int size) {
        ModelSpec spec = new ModelSpec(8, size, 3, stem, 10, head);
        Map<String, INDArray> tensors =
                new LinkedHashMap<>(TestArtifacts.randomWeights(spec, 1).all());
        // values whose bits a sloppy codec would lose: negative zero, subnormals, extremes
        float[] stemW = tensors.get("stem.conv.W").data().asFloat();
        float[] special = {-0f, Float.MIN_VALUE, 1e-40f, -Float.MAX_VALUE, Float.MAX_VALUE, 0.1f};
        System.arraycopy(special, 0, stemW, 0, special.length);
        tensors.put("stem.conv.W", Nd4j.create(stemW, tensors.get("stem.conv.W").shape(), 'c'));
        Weights weights = new Weights(spec, tensors);
        JsonNode routers = new ObjectMapper()
                .createObjectNode()
                .put("kind", "em")
                .set(
                        "thresholds",
                        new ObjectMapper().createArrayNode().add(0.9).add(0.8).add(0.7));
        Manifest manifest = Manifest.of(
                spec,
                TestArtifacts.classes(10),
                TestArtifacts.MEAN,
                TestArtifacts.STD,
                routers,
                TestArtifacts.provenance());
        Path file = dir.resolve("model.zip");

        ArtifactWriter.write(new ModelArtifact(manifest, weights), file);
        ModelArtifact back = ArtifactReader.read(file);

        assertEquals(manifest, back.manifest());
        assertEquals(routers, back.manifest().routers());
        assertEquals(spec, back.weights().spec());
        assertEquals(
                List.copyOf(weights.all().keySet()),
                List.copyOf(back.weights().all().keySet()));
        for (String name : weights.all().keySet()) {
            INDArray a = weights.get(name);
            INDArray b = back.weights().get(name);
            assertEquals(DataType.FLOAT, b.dataType(), name);
            assertArrayEquals(a.shape(), b.shape(), name);
            assertArrayEquals(bits(a), bits(b), name);
        }
        assertEquals(manifest, ArtifactReader.readManifest(file));
    }

    @Test
    void aMultiLabelArtifactKeepsItsTaskAndThresholds() {
        double[][] t = {{0.5, 0.25, 0.75}, {0.5, 0.3, 0.7}, {0.45, 0.35, 0.6}, {0.4, 0.4, 0.55}};
        ModelSpec spec = new ModelSpec(4, 32, 3, Stem.CIFAR, 3, HeadType.MLP);
        ModelArtifact a = TestArtifacts.artifact(spec, 3);
        Manifest m = a.manifest().withTask(ai.emadaptive.model.TaskType.MULTI_LABEL, t);
        Path file = dir.resolve("multi.zip");
        ArtifactWriter.write(new ModelArtifact(m, a.weights()), file);
        Manifest back = ArtifactReader.readManifest(file);
        assertEquals(m, back);
        assertEquals(ai.emadaptive.model.TaskType.MULTI_LABEL, back.task());
        assertEquals(
                Manifest.MULTI_LABEL_VERSION,
                back.formatVersion(),
                "older readers must not take sigmoid exits for a softmax");
        for (int e = 0; e < 4; e++) assertArrayEquals(t[e], back.thresholdArray()[e], 0);
        String info = ManifestPrinter.render(back, "multi.zip", 1);
        assertTrue(info.contains("task          multi-label"), info);
        assertTrue(info.contains("exit 3 0.450 0.350 0.600"), info);
        // new routers keep the task and thresholds
        Manifest routed = back.withRouters(null, new long[] {10, 20, 30});
        assertEquals(back.task(), routed.task());
        assertEquals(back.thresholds(), routed.thresholds());
        // a single-label model is still written as version 1, readable by older builds
        assertEquals(1, a.manifest().formatVersion());
        assertEquals(ai.emadaptive.model.TaskType.SINGLE_LABEL, a.manifest().task());
    }

    @Test
    void aWholeFrameInputIsKeptThroughRoutersAndReadBack() {
        ModelArtifact a = TestArtifacts.artifact(TestArtifacts.SMALL, 2);
        assertFalse(a.manifest().input().wholeFrame(), "the centred square unless the model says otherwise");
        Manifest whole = a.manifest().withInputFit(Manifest.Input.WHOLE_FRAME);
        Path file = dir.resolve("whole.zip");
        ArtifactWriter.write(new ModelArtifact(whole, a.weights()), file);
        Manifest back = ArtifactReader.readManifest(file);
        assertTrue(back.input().wholeFrame());
        assertEquals(whole, back);
        assertTrue(back.withRouters(null, new long[] {10, 20, 30}).input().wholeFrame(), "new routers keep the fit");
        assertTrue(ManifestPrinter.render(back, "whole.zip", 1).contains("from the whole frame"));
        Manifest box = a.manifest().withInputFit(Manifest.Input.LETTERBOX);
        ArtifactWriter.write(new ModelArtifact(box, a.weights()), dir.resolve("box.zip"));
        Manifest boxBack = ArtifactReader.readManifest(dir.resolve("box.zip"));
        assertTrue(boxBack.input().letterbox());
        assertEquals(box, boxBack);
        assertNotEquals(whole, boxBack, "the fit is part of the input");
        assertTrue(ManifestPrinter.render(boxBack, "box.zip", 1).contains("at its aspect ratio"));
        Manifest odd = a.manifest().withInputFit("stretch");
        ArtifactException e = assertThrows(
                ArtifactException.class,
                () -> ArtifactWriter.write(new ModelArtifact(odd, a.weights()), dir.resolve("odd.zip")));
        assertTrue(e.getMessage().contains("fit \"stretch\" is not supported"), e.getMessage());
    }

    @Test
    void manifestWithoutRoutersRoundTripsAsNull() {
        Path file = dir.resolve("model.zip");
        ArtifactWriter.write(TestArtifacts.artifact(TestArtifacts.SMALL, 2), file);
        Manifest back = ArtifactReader.readManifest(file);
        assertNull(back.routers());
        assertEquals(TestArtifacts.provenance(), back.provenance());
    }

    @Test
    void theWrittenArtifactIsReadableByOtherUsers() throws IOException {
        assumeTrue(
                Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class), "POSIX permissions");
        Path file = write(TestArtifacts.artifact(TestArtifacts.SMALL, 2));
        // the service may run as another user than the one who trained the model
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(file));
    }

    @Test
    void manifestDescribesTheArchitectureAndItsCostsAsFlopsCountsThem() {
        ModelSpec spec = TestArtifacts.SMALL;
        Manifest m = ArtifactReader.readManifest(write(TestArtifacts.artifact(spec, 3)));
        Flops flops = new Flops(spec);

        assertEquals(spec, m.architecture().toSpec());
        assertEquals(List.of(2, 2, 2, 2), m.architecture().blocksPerStage());
        assertEquals("RGB", m.input().channelOrder());
        assertEquals("NHWC", m.input().layout());
        assertEquals(32, m.input().size());
        assertEquals(flops.fullNetwork(), m.fullNetworkFlops());
        assertEquals(4, m.exits().size());
        for (int k = 1; k <= 4; k++) {
            Manifest.ExitCost e = m.exits().get(k - 1);
            assertEquals(k, e.exit());
            assertEquals(flops.exitPath(k), e.flops());
            assertEquals(flops.normalisedExitPath(k), e.normalisedCost());
            assertEquals(k / 4.0, e.nominalCost());
        }
        List<ParamLayout.Param> layout = new ParamLayout(spec).all();
        assertEquals(layout.size(), m.tensors().size());
        for (int i = 0; i < layout.size(); i++) {
            assertEquals(layout.get(i).name(), m.tensors().get(i).name());
            assertArrayEquals(layout.get(i).shape(), m.tensors().get(i).shape());
        }
    }

    @Test
    void routerFlopsAreCountedOnTheExitPaths() {
        ModelSpec spec = TestArtifacts.SMALL;
        long[] routerFlops = {100, 200, 300};
        Manifest m = Manifest.of(
                spec,
                TestArtifacts.classes(10),
                TestArtifacts.MEAN,
                TestArtifacts.STD,
                new ObjectMapper().createObjectNode(),
                routerFlops,
                TestArtifacts.provenance());
        Flops flops = new Flops(spec, routerFlops);
        for (int k = 1; k <= 4; k++)
            assertEquals(flops.exitPath(k), m.exits().get(k - 1).flops());
        assertEquals(new Flops(spec).exitPath(4) + 600, m.exits().get(3).flops());

        Manifest without = Manifest.of(
                spec,
                TestArtifacts.classes(10),
                TestArtifacts.MEAN,
                TestArtifacts.STD,
                null,
                TestArtifacts.provenance());
        assertEquals(m, without.withRouters(new ObjectMapper().createObjectNode(), routerFlops));
    }

    @Test
    void doubleWeightsAreStoredAsFloat32() {
        Weights w = TestArtifacts.randomWeights(TestArtifacts.SMALL, 4);
        Manifest m = Manifest.of(
                TestArtifacts.SMALL,
                TestArtifacts.classes(10),
                TestArtifacts.MEAN,
                TestArtifacts.STD,
                null,
                TestArtifacts.provenance());
        Path file = write(new ModelArtifact(m, w.castTo(DataType.DOUBLE)));
        Weights back = ArtifactReader.read(file).weights();
        for (String name : w.all().keySet()) assertArrayEquals(bits(w.get(name)), bits(back.get(name)), name);
    }

    @Test
    void overwritingReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = write(TestArtifacts.artifact(TestArtifacts.SMALL, 5));
        ModelArtifact second = TestArtifacts.artifact(TestArtifacts.SMALL, 6);
        ArtifactWriter.write(second, file);
        assertArrayEquals(
                bits(second.weights().get("s1.b0.conv1.W")),
                bits(ArtifactReader.read(file).weights().get("s1.b0.conv1.W")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedOnWriteAndTheOldArtifactStays() throws IOException {
        Path file = write(TestArtifacts.artifact(TestArtifacts.SMALL, 7));
        byte[] before = Files.readAllBytes(file);
        Map<String, INDArray> tensors = new LinkedHashMap<>(
                TestArtifacts.randomWeights(TestArtifacts.SMALL, 8).all());
        tensors.get("s2.b1.bn1.var").putScalar(3, Float.NaN);
        ModelArtifact bad = new ModelArtifact(
                TestArtifacts.artifact(TestArtifacts.SMALL, 8).manifest(), new Weights(TestArtifacts.SMALL, tensors));

        ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactWriter.write(bad, file));
        assertTrue(e.getMessage().contains("model.zip"), e.getMessage());
        assertTrue(e.getMessage().contains("s2.b1.bn1.var"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void printerShowsArchitectureCostsRoutersProvenanceAndSizes() throws IOException {
        Path file = write(TestArtifacts.artifact(TestArtifacts.SMALL, 9));
        Manifest m = ArtifactReader.readManifest(file);
        String text = ManifestPrinter.render(m, "model.zip", Files.size(file));
        ParamLayout layout = new ParamLayout(TestArtifacts.SMALL);
        long all = layout.all().stream().mapToLong(ParamLayout.Param::size).sum();

        assertTrue(text.startsWith("model.zip  ("), text);
        assertTrue(text.contains("multi-exit-resnet18, width 8, CIFAR stem, MLP heads, 10 classes"), text);
        assertTrue(text.contains("32x32x3 RGB NHWC"), text);
        assertTrue(text.contains("mean [0.4914, 0.4822, 0.4465]"), text);
        assertTrue(
                text.contains("10: class0, class1, class2, class3, class4, class5, class6, class7, class8, class9\n"),
                text);
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "%,d trainable", layout.trainableCount())), text);
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "= %,d in", all)), text);
        assertTrue(text.contains("routers       none"), text);
        assertTrue(text.contains("exit4.valAccuracy = 0.9100"), text);
        assertTrue(text.contains("em-adaptive train --width 8"), text);
        for (int k = 1; k <= 4; k++) {
            Manifest.ExitCost e = m.exits().get(k - 1);
            assertTrue(
                    text.contains(String.format(
                            java.util.Locale.ROOT,
                            "  %4d  %10.4f  %10.3f  %7.2f",
                            k,
                            e.flops() / 1e9,
                            e.normalisedCost(),
                            e.nominalCost())),
                    text);
        }
        assertFalse(text.contains("null"), text);
    }

    @Test
    void printerShortensLongClassLists() {
        ModelSpec spec = new ModelSpec(8, 32, 3, Stem.CIFAR, 100, HeadType.MLP);
        Manifest m = Manifest.of(
                spec,
                TestArtifacts.classes(100),
                TestArtifacts.MEAN,
                TestArtifacts.STD,
                null,
                Manifest.Provenance.now(null, null, null));
        String text = ManifestPrinter.render(m, "m.zip", 123);
        assertTrue(text.contains("100: class0, class1"), text);
        assertTrue(text.contains("class19, ... (80 more)"), text);
        assertTrue(text.contains("data -"), text);
    }

    private Path write(ModelArtifact artifact) {
        Path file = dir.resolve("model.zip");
        ArtifactWriter.write(artifact, file);
        return file;
    }

    private static int[] bits(INDArray a) {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }
}
