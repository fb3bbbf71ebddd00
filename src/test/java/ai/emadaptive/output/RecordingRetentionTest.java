package ai.emadaptive.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingRetentionTest {
    @TempDir
    Path dir;

    private Path written(Path p, Instant when) throws Exception {
        Files.writeString(p, "x");
        Files.setLastModifiedTime(p, FileTime.from(when));
        return p;
    }

    @Test
    void onlyRecordingsLastWrittenBeforeTheRetentionGo() throws Exception {
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        Path old = written(
                Mp4Recorder.newFile(dir, "or1", LocalDateTime.of(2026, 11, 1, 8, 0)), now.minus(Duration.ofDays(31)));
        Path again = written(
                Mp4Recorder.newFile(dir, "or1", LocalDateTime.of(2026, 11, 1, 8, 0)), now.minus(Duration.ofDays(31)));
        // started long ago but still being written: its last write is recent
        Path live = written(Mp4Recorder.newFile(dir, "or2", LocalDateTime.of(2026, 10, 1, 8, 0)), now.minusSeconds(2));
        Path recent = written(
                Mp4Recorder.newFile(dir, "or1", LocalDateTime.of(2026, 12, 2, 8, 0)), now.minus(Duration.ofDays(1)));
        Path foreign = written(dir.resolve("case-0042.mp4"), now.minus(Duration.ofDays(365)));
        assertTrue(again.getFileName().toString().endsWith("-2.mp4"), again.toString());

        List<Path> deleted = RecordingRetention.prune(dir, Duration.ofDays(30), now);
        assertEquals(2, deleted.size(), deleted.toString());
        assertTrue(deleted.containsAll(List.of(old, again)));
        assertTrue(Files.exists(live) && Files.exists(recent), "recent and live recordings stay");
        assertTrue(Files.exists(foreign), "a file the service did not name is never touched");
        assertEquals(List.of(), RecordingRetention.prune(dir.resolve("missing"), Duration.ofDays(30), now));
        assertThrows(IllegalArgumentException.class, () -> RecordingRetention.prune(dir, Duration.ZERO, now));
    }
}
