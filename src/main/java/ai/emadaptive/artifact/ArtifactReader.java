package ai.emadaptive.artifact;

import ai.emadaptive.model.Weights;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads and validates a model artifact written by {@link ArtifactWriter}. Every failure is an
 * {@link ArtifactException} whose message names the file and the problem.
 *
 * <p>Each entry's CRC is verified in a pass of its own before it is parsed: {@link ZipFile} does not check CRCs,
 * and checking first means damaged bytes are reported as damage, not as whatever odd tensor shape they decode to.
 */
public final class ArtifactReader {
    private ArtifactReader() {}

    private static final int MAX_MANIFEST_BYTES = 16 << 20;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    /** The manifest and the weights. */
    public static ModelArtifact read(Path file) {
        return withZip(file, zip -> {
            Manifest manifest = manifest(zip);
            ZipEntry entry = entry(zip, ArtifactWriter.WEIGHTS);
            verifyCrc(zip, entry);
            Weights weights;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
                weights = WeightsCodec.read(in, manifest.spec());
            } catch (IOException e) {
                throw corrupt(e, entry);
            }
            return new ModelArtifact(manifest, weights);
        });
    }

    /** The manifest alone, validated, without reading the weights (for model-info). */
    public static Manifest readManifest(Path file) {
        return withZip(file, ArtifactReader::manifest);
    }

    private interface ZipReading<T> {
        T read(ZipFile zip) throws IOException;
    }

    private static <T> T withZip(Path file, ZipReading<T> reading) {
        if (!Files.isRegularFile(file))
            throw new ArtifactException(file, Files.isDirectory(file) ? "is a directory" : "no such file", null);
        try (ZipFile zip = open(file)) {
            return reading.read(zip);
        } catch (ArtifactException e) {
            throw e.in(file);
        } catch (ZipException | EOFException e) {
            throw new ArtifactException(file, "truncated or corrupt (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ArtifactException(file, "cannot read (" + e + ")", e);
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            // A zip starts with a local header; one that does and still fails to open was cut short or damaged.
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(ZIP_MAGIC.length);
            }
            if (Arrays.equals(head, ZIP_MAGIC))
                throw new ArtifactException("truncated or corrupt (" + e.getMessage() + ")", e);
            throw new ArtifactException("not a zip file", e);
        }
    }

    private static Manifest manifest(ZipFile zip) {
        ZipEntry entry = entry(zip, ArtifactWriter.MANIFEST);
        if (entry.getSize() > MAX_MANIFEST_BYTES) throw new ArtifactException("manifest.json is larger than 16 MiB");
        verifyCrc(zip, entry);
        byte[] json;
        try (InputStream in = zip.getInputStream(entry)) {
            json = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw corrupt(e, entry);
        }
        if (json.length > MAX_MANIFEST_BYTES) throw new ArtifactException("manifest.json is larger than 16 MiB");
        return ManifestJson.read(json);
    }

    private static ZipEntry entry(ZipFile zip, String name) {
        ZipEntry e = zip.getEntry(name);
        if (e == null || e.isDirectory()) throw new ArtifactException("missing " + name);
        return e;
    }

    private static void verifyCrc(ZipFile zip, ZipEntry entry) {
        CRC32 crc = new CRC32();
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = zip.getInputStream(entry)) {
            for (int n; (n = in.read(buf)) >= 0; size += n) crc.update(buf, 0, n);
        } catch (IOException e) {
            throw corrupt(e, entry);
        }
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new ArtifactException("truncated or corrupt (CRC mismatch in " + entry.getName() + ")");
        }
        if (entry.getSize() != -1 && size != entry.getSize()) {
            throw new ArtifactException("truncated or corrupt (size mismatch in " + entry.getName() + ")");
        }
    }

    private static ArtifactException corrupt(IOException e, ZipEntry entry) {
        return new ArtifactException("truncated or corrupt (" + e.getMessage() + " in " + entry.getName() + ")", e);
    }
}
