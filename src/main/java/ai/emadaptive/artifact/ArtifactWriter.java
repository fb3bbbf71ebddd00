package ai.emadaptive.artifact;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a {@link ModelArtifact} as one zip: {@code manifest.json} and {@code weights.bin}, the weights at the
 * manifest's {@link Manifest#weightPrecision()}.
 *
 * <p>The zip is written to a temporary file beside the target, synced, then moved over the target in one step, so a
 * crash or a full disk leaves either the old artifact or the new one under the final name, never half of one.
 */
public final class ArtifactWriter {
    private ArtifactWriter() {}

    static final String MANIFEST = "manifest.json";
    static final String WEIGHTS = "weights.bin";

    /**
     * @throws ArtifactException naming {@code file} if the manifest is invalid, a weight is NaN or infinite, or the
     *                           file cannot be written
     */
    public static void write(ModelArtifact artifact, Path file) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            artifact.manifest().validate(); // never write what the reader would refuse
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            readableByAll(tmp);
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                    ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
                // weights are float noise to deflate: the fastest level compresses them almost as well as the best
                zip.setLevel(Deflater.BEST_SPEED);
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(ManifestJson.write(artifact.manifest()));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(WEIGHTS));
                WeightsCodec.write(artifact.weights(), artifact.manifest().weightPrecision(), zip);
                zip.closeEntry();
                zip.finish();
                zip.flush();
                fos.getFD().sync();
            }
            move(tmp, target);
        } catch (ArtifactException e) {
            throw e.in(file);
        } catch (IOException e) {
            throw new ArtifactException(file, "cannot write (" + e + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray .tmp beside the artifact is harmless
                }
            }
        }
    }

    /**
     * A temporary file is private to its owner (0600), and the move would keep that. A model is shared: the service
     * may run as another user than the one who trained it, so the artifact gets the usual 0644.
     */
    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
