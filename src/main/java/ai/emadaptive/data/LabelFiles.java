package ai.emadaptive.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading label text files the same way for every format: UTF-8, a leading byte-order mark dropped, errors as {@link DataException}. */
final class LabelFiles {
    private LabelFiles() {}

    static List<String> lines(Path file) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF"))
            lines.set(0, lines.get(0).substring(1));
        return lines;
    }

    /** {@code file} as messages name it: relative to {@code base}, with '/' on every system. */
    static String name(Path base, Path file) {
        return base.relativize(file).toString().replace('\\', '/');
    }

    /** The error {@code <name>:<line>: <what>} (line 1-based). */
    static DataException at(String name, int line, String what) {
        return new DataException(name + ":" + line + ": " + what);
    }

    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
