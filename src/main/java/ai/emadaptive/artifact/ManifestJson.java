package ai.emadaptive.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** {@link Manifest} to and from the bytes of {@code manifest.json}. */
public final class ManifestJson {
    private ManifestJson() {}

    // Our own mapper, not the application's: the file format must not change when the service's Jackson settings do.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // a later writer may add optional fields without bumping the version; validate() catches missing ones
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public static byte[] write(Manifest manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new ArtifactException("cannot encode manifest.json (" + e.getOriginalMessage() + ")", e);
        }
    }

    /**
     * Parses and validates a manifest. The format and version are checked on the raw tree first, so a newer
     * manifest is reported as such rather than as whatever binding error its new structure would cause.
     */
    static Manifest read(byte[] json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ArtifactException("manifest.json is not valid JSON (" + originalMessage(e) + ")", e);
        }
        if (tree == null || !tree.isObject()) throw new ArtifactException("manifest.json is not a JSON object");
        JsonNode format = tree.get("format");
        if (format == null || !Manifest.FORMAT.equals(format.asText())) {
            throw new ArtifactException("manifest.json is not an " + Manifest.FORMAT + " manifest (format "
                    + (format == null ? "missing" : format) + ")");
        }
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new ArtifactException("manifest formatVersion is missing or not an integer");
        }
        if (version.intValue() > Manifest.FORMAT_VERSION) throw Manifest.newerVersion(version.intValue());

        Manifest m;
        try {
            m = MAPPER.treeToValue(tree, Manifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ArtifactException(
                    "manifest.json does not match format version " + version.intValue() + " (" + originalMessage(e)
                            + ")",
                    e);
        }
        m.validate();
        return m;
    }

    private static String originalMessage(Exception e) {
        String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return msg == null
                ? e.getClass().getSimpleName()
                : msg.lines().findFirst().orElse(msg);
    }
}
