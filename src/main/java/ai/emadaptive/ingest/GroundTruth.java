package ai.emadaptive.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Per-frame class labels from the CSV beside a clip ({@code clip.csv} next to {@code clip.mp4}: header with
 * {@code frame} and {@code class} columns, as {@code generate video} writes). Lets replays report live accuracy, and
 * makes a labelled clip a data set ({@link ClipFrames}).
 */
public final class GroundTruth {
    private final int[] labels;
    private final List<String> header;
    private final List<String[]> rows;

    private GroundTruth(int[] labels, List<String> header, List<String[]> rows) {
        this.labels = labels;
        this.header = header;
        this.rows = rows;
    }

    /** The class index of frame {@code i}, or -1 when unknown. */
    public int label(long frame) {
        return frame >= 0 && frame < labels.length ? labels[(int) frame] : -1;
    }

    public int frames() {
        return labels.length;
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
            if (cells.length <= Math.max(col, frameCol)) continue;
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
        if (!Files.isRegularFile(csv)) throw new java.io.FileNotFoundException(csv + " (the ground-truth CSV beside " + video + ")");
        GroundTruth t;
        try {
            t = parse(Files.readAllLines(csv), classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(csv + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < t.labels.length; i++) {
            if (t.labels[i] < 0) throw new IllegalArgumentException(csv + ": frame " + i + " has no class the model knows " + classes);
        }
        return t;
    }

    static GroundTruth parse(List<String> lines, List<String> classes) {
        if (lines.isEmpty()) throw new IllegalArgumentException("empty sidecar");
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int frameCol = header.indexOf("frame"), classCol = header.indexOf("class");
        if (frameCol < 0 || classCol < 0) throw new IllegalArgumentException("sidecar needs frame and class columns");
        int[] labels = new int[lines.size() - 1];
        Arrays.fill(labels, -1);
        List<String[]> rows = new java.util.ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            if (cells.length <= Math.max(frameCol, classCol)) continue;
            rows.add(cells);
            int frame = Integer.parseInt(cells[frameCol].trim());
            if (frame >= 0 && frame < labels.length) labels[frame] = classes.indexOf(cells[classCol].trim());
        }
        return new GroundTruth(labels, header, rows);
    }
}
