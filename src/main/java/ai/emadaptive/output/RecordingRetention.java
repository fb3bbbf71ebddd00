package ai.emadaptive.output;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes recordings older than the retention period: only files named as {@link Mp4Recorder#newFile} names them, and
 * judged by their last write, so a recording still being written (fragments flushed every key frame) is never old.
 */
public final class RecordingRetention {
    private RecordingRetention() {}

    /** @return the files deleted */
    public static List<Path> prune(Path dir, Duration keep, Instant now) throws IOException {
        if (keep.isNegative() || keep.isZero())
            throw new IllegalArgumentException("retention must be positive, was " + keep);
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) return deleted;
        Instant cutoff = now.minus(keep);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.mp4")) {
            for (Path f : files) {
                if (!Mp4Recorder.FILE_NAME.matcher(f.getFileName().toString()).matches() || !Files.isRegularFile(f))
                    continue;
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff) && Files.deleteIfExists(f))
                    deleted.add(f);
            }
        }
        return deleted;
    }
}
