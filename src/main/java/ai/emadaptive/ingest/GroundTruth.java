package ai.emadaptive.ingest;

import ai.emadaptive.data.ClassMatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Per-frame labels from the CSV beside a clip ({@code clip.csv} next to {@code clip.mp4}). Lets replays report live
 * accuracy, and makes a labelled clip a data set ({@link ClipFrames}). A header with a {@code frame} column and:
 * <ul>
 * <li>{@code class}: one class per frame (single-label, as {@code generate video} writes);</li>
 * <li>{@code tools}: the tools present in the frame, names separated by {@code ;}, empty for none (multi-label);</li>
 * <li>or one 0/1 column per class of the model, named as the class (multi-label, like Cholec80's tool files).</li>
 * </ul>
 * Column and tool names of the multi-label forms match the model's classes as the label formats match them
 * ({@link ClassMatch#normalise}: {@code SpecimenBag} = {@code specimen_bag}); a tab-separated file works
 * too. A frame whose {@code tools} cell names a tool the model lacks, or whose 0/1 columns hold anything else, is
 * unknown; 0/1 columns of tools the model lacks are ignored.
 */
public final class GroundTruth {
    private final int[] labels;
    private final long[] masks; // null without a multi-label form
    private final List<String> header;
    private final List<String[]> rows;

    private GroundTruth(int[] labels, long[] masks, List<String> header, List<String[]> rows) {
        this.labels = labels;
        this.masks = masks;
        this.header = header;
        this.rows = rows;
    }

    /** The class index of frame {@code i}, or -1 when unknown. */
    public int label(long frame) {
        return frame >= 0 && frame < labels.length ? labels[(int) frame] : -1;
    }

    /** The tool set of frame {@code i}, bit c for the model's class c, or -1 when unknown or not multi-label. */
    public long mask(long frame) {
        return masks != null && frame >= 0 && frame < masks.length ? masks[(int) frame] : -1;
    }

    /** Whether the sidecar gives tool sets (a {@code tools} column or a 0/1 column per class). */
    public boolean multiLabel() {
        return masks != null;
    }

    public int frames() {
        return masks == null ? labels.length : Math.max(labels.length, masks.length);
    }

    /**
     * A numeric column per frame, such as {@code level} or {@code smoke}, by size (exposure is signed); 0 for a frame
     * the sidecar has no row for.
     */
    public int[] column(String name) {
        int col = header.indexOf(name);
        if (col < 0) throw new IllegalArgumentException("the sidecar has no column '" + name + "', only " + header);
        int frameCol = header.indexOf("frame");
        int[] v = new int[labels.length];
        for (String[] cells : rows) {
            if (cells.length <= Math.max(col, frameCol) || cells[col].isBlank()) continue;
            int frame = Integer.parseInt(cells[frameCol].trim());
            if (frame >= 0 && frame < v.length) v[frame] = Math.abs(Integer.parseInt(cells[col].trim()));
        }
        return v;
    }

    /** Where the sidecar of {@code video} is: the same name with {@code .csv}. */
    public static Path sidecar(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return video.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".csv");
    }

    /** The sidecar of {@code video}, mapped onto the model's class names; null when there is none or it does not fit. */
    public static GroundTruth beside(Path video, List<String> classes) {
        Path csv = sidecar(video);
        if (!Files.isRegularFile(csv)) return null;
        try {
            return parse(Files.readAllLines(csv), classes);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The sidecar of {@code video}, strictly: a missing file, a row that cannot be read or a class the model does not
     * know is an error naming the file, for commands that score a model on the clip.
     */
    public static GroundTruth read(Path video, List<String> classes) throws IOException {
        Path csv = sidecar(video);
        if (!Files.isRegularFile(csv))
            throw new java.io.FileNotFoundException(csv + " (the ground-truth CSV beside " + video + ")");
        GroundTruth t;
        try {
            t = parse(Files.readAllLines(csv), classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(csv + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < t.labels.length; i++) {
            if (t.labels[i] < 0)
                throw new IllegalArgumentException(csv + ": frame " + i + " has no class the model knows " + classes);
        }
        return t;
    }

    static GroundTruth parse(List<String> lines, List<String> classes) {
        if (lines.isEmpty()) throw new IllegalArgumentException("empty sidecar");
        String separator = lines.get(0).indexOf(',') < 0 && lines.get(0).indexOf('\t') >= 0 ? "\t" : ",";
        List<String> header = Arrays.stream(lines.get(0).split(separator, -1))
                .map(String::trim)
                .toList();
        int frameCol = column(header, "frame"), classCol = header.indexOf("class"), toolsCol = column(header, "tools");
        int[] toolCols = toolsCol < 0 ? toolColumns(header, classes) : null;
        boolean multi = (toolsCol >= 0 || toolCols != null) && classes.size() <= Long.SIZE;
        if (frameCol < 0 || classCol < 0 && !multi) {
            throw new IllegalArgumentException(
                    "sidecar needs a frame column and a class column, a tools column or a 0/1 column per class "
                            + classes);
        }
        int[] labels = new int[lines.size() - 1];
        Arrays.fill(labels, -1);
        List<String[]> rows = new java.util.ArrayList<>(lines.size() - 1);
        int lastFrame = -1;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] cells = lines.get(i).split(separator, -1);
            if (cells.length <= frameCol) continue;
            int frame = Integer.parseInt(cells[frameCol].trim());
            rows.add(cells);
            lastFrame = Math.max(lastFrame, frame);
            if (classCol >= 0 && cells.length > classCol && frame >= 0 && frame < labels.length) {
                labels[frame] = classes.indexOf(cells[classCol].trim());
            }
        }
        long[] masks = null;
        if (multi) {
            // sized by the last frame: tool files may label only some frames (Cholec80: one in 25)
            masks = new long[lastFrame + 1];
            Arrays.fill(masks, -1);
            for (String[] cells : rows) {
                int frame = Integer.parseInt(cells[frameCol].trim());
                if (frame >= 0)
                    masks[frame] = toolsCol >= 0 ? toolSet(cells, toolsCol, classes) : toolFlags(cells, toolCols);
            }
        }
        return new GroundTruth(labels, masks, header, rows);
    }

    private static int column(List<String> header, String name) {
        String wanted = ClassMatch.normalise(name);
        for (int i = 0; i < header.size(); i++)
            if (ClassMatch.normalise(header.get(i)).equals(wanted)) return i;
        return -1;
    }

    /** Per class, its 0/1 column; null unless every class has one. */
    private static int[] toolColumns(List<String> header, List<String> classes) {
        if (classes.isEmpty()) return null;
        int[] cols = new int[classes.size()];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = column(header, classes.get(c));
            if (cols[c] < 0) return null;
        }
        return cols;
    }

    private static long toolSet(String[] cells, int col, List<String> classes) {
        if (cells.length <= col) return 0; // a trailing empty cell: no tool
        long mask = 0;
        for (String name : cells[col].split(";")) {
            if (name.isBlank()) continue;
            int c = -1;
            String wanted = ClassMatch.normalise(name);
            for (int i = 0; i < classes.size() && c < 0; i++)
                if (ClassMatch.normalise(classes.get(i)).equals(wanted)) c = i;
            if (c < 0) return -1;
            mask |= 1L << c;
        }
        return mask;
    }

    private static long toolFlags(String[] cells, int[] cols) {
        long mask = 0;
        for (int c = 0; c < cols.length; c++) {
            String v = cols[c] < cells.length ? cells[cols[c]].trim() : "";
            if (v.equals("1")) mask |= 1L << c;
            else if (!v.equals("0")) return -1;
        }
        return mask;
    }
}
