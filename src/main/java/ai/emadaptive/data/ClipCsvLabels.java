package ai.emadaptive.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A CSV that labels whole clips (like {@code real-lapchole/clips.csv}: {@code file,instrument,...}), one class per
 * clip. A clip's label says which tool acts, not which others are visible, so every other class is UNKNOWN for it,
 * never ABSENT.
 */
public final class ClipCsvLabels {
    /** Label columns looked for, in order, when none is named. */
    public static final List<String> LABEL_COLUMNS = List.of("class", "label", "instrument", "tool");

    private ClipCsvLabels() {}

    /**
     * @param labelColumn the column holding the class, or null for the first of class, label, instrument, tool
     * @param split       keep only rows whose {@code split} column equals it; null keeps all rows
     * @return one {@link LabelledFrame#EVERY_FRAME} frame per clip, in CSV order; the classes are the distinct labels
     *         of all rows (not only the split's, so every split has the same classes), sorted
     */
    /** The distinct values of the CSV's {@code split} column, sorted; empty when it has none. */
    public static List<String> splits(Path csv) {
        if (!Files.isRegularFile(csv)) throw new DataException(csv + ": no such file");
        String name = csv.getFileName().toString();
        List<String> lines = LabelFiles.lines(csv);
        if (lines.isEmpty()) return List.of();
        int col = cells(lines.get(0), name, 1).indexOf("split");
        if (col < 0) return List.of();
        TreeSet<String> splits = new TreeSet<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            List<String> c = cells(lines.get(i), name, i + 1);
            if (col < c.size()) splits.add(c.get(col));
        }
        return List.copyOf(splits);
    }

    public static FrameLabels read(Path csv, String labelColumn, String split) {
        if (!Files.isRegularFile(csv)) throw new DataException(csv + ": no such file");
        String name = csv.getFileName().toString();
        List<String> lines = LabelFiles.lines(csv);
        if (lines.isEmpty() || lines.get(0).isBlank())
            throw new DataException(csv + ": empty (expected a header such as file,class)");
        List<String> header = cells(lines.get(0), name, 1);
        int fileCol = header.indexOf("file");
        if (fileCol < 0)
            throw new DataException(csv + ": no 'file' column (columns: " + String.join(", ", header) + ")");
        int labelCol = labelColumn(header, labelColumn, csv);
        int splitCol = header.indexOf("split");
        if (split != null && splitCol < 0) {
            throw new DataException(csv + ": no 'split' column to choose split '" + split + "' by (columns: "
                    + String.join(", ", header) + ")");
        }
        record Row(int line, String file, String label) {}
        List<Row> kept = new ArrayList<>();
        TreeSet<String> labels = new TreeSet<>();
        TreeSet<String> splits = new TreeSet<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            List<String> c = cells(lines.get(i), name, i + 1);
            if (c.size() != header.size()) {
                throw LabelFiles.at(
                        name, i + 1, "expected " + header.size() + " columns as in the header, got " + c.size());
            }
            String label = c.get(labelCol);
            if (label.isEmpty()) throw LabelFiles.at(name, i + 1, "empty " + header.get(labelCol));
            if (c.get(fileCol).isEmpty()) throw LabelFiles.at(name, i + 1, "empty file");
            labels.add(label);
            if (splitCol >= 0) splits.add(c.get(splitCol));
            if (split == null || split.equals(c.get(splitCol))) kept.add(new Row(i + 1, c.get(fileCol), label));
        }
        if (labels.isEmpty()) throw new DataException(csv + ": no clips");
        if (kept.isEmpty())
            throw new DataException(
                    csv + ": no clips in split '" + split + "' (splits: " + String.join(", ", splits) + ")");
        List<String> classes = List.copyOf(labels);
        Path base = csv.toAbsolutePath().getParent();
        List<LabelledFrame> frames = new ArrayList<>(kept.size());
        for (Row r : kept) {
            Path clip = base.resolve(r.file()).normalize();
            if (!Files.isRegularFile(clip)) throw LabelFiles.at(name, r.line(), r.file() + " does not exist");
            byte[] t = new byte[classes.size()];
            Arrays.fill(t, ImageSet.UNKNOWN);
            t[classes.indexOf(r.label())] = ImageSet.PRESENT;
            frames.add(new LabelledFrame(clip, LabelledFrame.EVERY_FRAME, t));
        }
        return new FrameLabels(classes, frames, false);
    }

    private static int labelColumn(List<String> header, String labelColumn, Path csv) {
        if (labelColumn != null) {
            int c = header.indexOf(labelColumn);
            if (c < 0)
                throw new DataException(
                        csv + ": no column '" + labelColumn + "' (columns: " + String.join(", ", header) + ")");
            return c;
        }
        for (String n : LABEL_COLUMNS) if (header.contains(n)) return header.indexOf(n);
        throw new DataException(csv + ": no label column (" + String.join(", ", LABEL_COLUMNS)
                + "); name one with --label-column (columns: " + String.join(", ", header) + ")");
    }

    /** One CSV line's cells, trimmed; a cell may be quoted ("a, b"), with "" for a quote inside. */
    static List<String> cells(String line, String name, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.toString().isBlank()) {
                quoted = true;
                cell.setLength(0);
            } else if (ch == ',') {
                out.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        if (quoted) throw LabelFiles.at(name, lineNo, "a quote is not closed");
        out.add(cell.toString().trim());
        return out;
    }
}
