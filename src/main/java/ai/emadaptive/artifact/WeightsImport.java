package ai.emadaptive.artifact;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network trained elsewhere (e.g. by {@code tools/gpu-training/gpu_train.py} on a GPU) made into a
 * {@link ModelArtifact}: {@code weights.bin} in the artifact's own EMAW format plus a {@code meta.json} with the
 * architecture, classes, normalisation and provenance. The weights are checked against the architecture exactly as an
 * artifact's are.
 */
public final class WeightsImport {
    private WeightsImport() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @throws ArtifactException naming the file at fault when the meta data is incomplete or the weights do not fit it
     */
    public static ModelArtifact read(Path weightsFile, Path metaFile) {
        JsonNode meta;
        try {
            meta = MAPPER.readTree(metaFile.toFile());
        } catch (IOException e) {
            throw new ArtifactException(
                    metaFile,
                    "cannot read meta data ("
                            + e.getMessage().lines().findFirst().orElse("") + ")",
                    e);
        }
        ModelSpec spec;
        Manifest manifest;
        try {
            spec = spec(field(meta, "architecture"));
            List<String> classes = new ArrayList<>();
            field(meta, "classes").forEach(c -> classes.add(c.asText()));
            if (classes.size() != spec.numClasses()) {
                throw new ArtifactException(classes.size() + " classes named but numClasses is " + spec.numClasses());
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            JsonNode m = meta.get("metrics");
            if (m != null)
                m.fields()
                        .forEachRemaining(
                                e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            String command = field(meta, "command").asText();
            if (meta.hasNonNull("trainedOn"))
                command += " (trained on " + meta.get("trainedOn").asText() + ")";
            manifest = Manifest.of(
                    spec,
                    classes,
                    floats(field(meta, "mean")),
                    floats(field(meta, "std")),
                    null,
                    Manifest.Provenance.now(field(meta, "data").asText(), command, metrics));
            manifest.validate();
        } catch (ArtifactException e) {
            throw e.in(metaFile);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(metaFile, e.getMessage(), e);
        }
        if (!Files.isRegularFile(weightsFile)) throw new ArtifactException(weightsFile, "no such file", null);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(weightsFile), 1 << 16)) {
            Weights weights = WeightsCodec.read(in, spec);
            return new ModelArtifact(manifest, weights);
        } catch (ArtifactException e) {
            throw e.in(weightsFile);
        } catch (IOException e) {
            throw new ArtifactException(weightsFile, "cannot read (" + e + ")", e);
        }
    }

    private static ModelSpec spec(JsonNode a) {
        return new ModelSpec(
                field(a, "width").asInt(),
                field(a, "inputSize").asInt(),
                field(a, "inChannels").asInt(),
                Stem.valueOf(field(a, "stem").asText()),
                field(a, "numClasses").asInt(),
                HeadType.valueOf(field(a, "headType").asText()));
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) throw new ArtifactException("meta data lacks \"" + name + "\"");
        return v;
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) array.get(i).asDouble();
        return v;
    }
}
