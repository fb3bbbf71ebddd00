package ai.emadaptive.ingest;

import java.nio.file.Path;

/**
 * A checked source: what FFmpeg opens ({@code input}, with {@code format} forced when not null) and what kind of
 * source it is.
 */
public record SourceUrl(String original, SourceKind kind, String input, String format, Path file) {

    public boolean live() {
        return kind != SourceKind.FILE;
    }
}
