package ai.emadaptive.artifact;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small artifacts and zip surgery for tests. */
public final class TestArtifacts {
    private TestArtifacts() {}

    static final ModelSpec SMALL = new ModelSpec(8, 32, 3, Stem.CIFAR, 10, HeadType.MLP);
    static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
    static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

    static List<String> classes(int n) {
        return IntStream.range(0, n).mapToObj(i -> "class" + i).toList();
    }

    static Manifest.Provenance provenance() {
        return new Manifest.Provenance(
                "cifar10 train 45000 / val 5000",
                "em-adaptive train --width 8",
                "2025-01-02T03:04:05Z",
                Map.of("exit4.valAccuracy", 0.91));
    }

    /** Weights where every tensor, running statistics included, holds random values (not init's zeros and ones). */
    static Weights randomWeights(ModelSpec spec, long seed) {
        Random rnd = new Random(seed);
        Map<String, INDArray> m = new LinkedHashMap<>();
        Weights.init(spec, seed).all().forEach((name, a) -> {
            float[] v = new float[(int) a.length()];
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            m.put(name, Nd4j.create(v, a.shape(), 'c'));
        });
        return new Weights(spec, m);
    }

    public static ModelArtifact artifact(ModelSpec spec, long seed) {
        Manifest manifest = Manifest.of(spec, classes(spec.numClasses()), MEAN, STD, null, provenance());
        return new ModelArtifact(manifest, randomWeights(spec, seed));
    }

    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries()))
                m.put(e.getName(), z.getInputStream(e).readAllBytes());
        }
        return m;
    }

    static void zip(Path dst, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(dst);
                ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }
}
