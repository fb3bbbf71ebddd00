package ai.emadaptive.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The default model shipped inside the jar (trained on generated scenes; see docs/results/surgical-demo). */
public final class EmbeddedModel {
    public static final String RESOURCE = "models/default.zip";

    private EmbeddedModel() {}

    /** The artifact at {@code file}, or the embedded model when {@code file} is null. */
    public static ModelArtifact readOr(Path file) {
        return file == null ? read() : ArtifactReader.read(file);
    }

    /** How {@link #readOr} names its source. */
    public static String describe(Path file) {
        return file == null ? "embedded:" + RESOURCE : file.toString();
    }

    /** @throws ArtifactException when it is missing from the classpath or unreadable */
    public static ModelArtifact read() {
        try (InputStream in = EmbeddedModel.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new ArtifactException(RESOURCE + " is not on the classpath");
            Path tmp = Files.createTempFile("em-adaptive-default", ".zip");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return ArtifactReader.read(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ArtifactException("cannot read embedded model " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
