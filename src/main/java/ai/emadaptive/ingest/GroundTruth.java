package ai.emadaptive.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Per-frame class labels from the CSV beside a clip ({@code clip.csv} next to {@code clip.mp4}: header with
 * {@code frame} and {@code class} columns, as {@code generate video} writes). Lets replays report live accuracy.
 */
public final class GroundTruth {
    private final int[] labels;

    private GroundTruth(int[] labels) {
        this.labels = labels;
    }

    /** The class index of frame {@code i}, or -1 when unknown. */
    public int label(long frame) {
        return frame >= 0 && frame < labels.length ? labels[(int) frame] : -1;
    }

    public int frames() {
        return labels.length;
    }

    /** The sidecar of {@code video}, mapped onto the model's class names; null when there is none or it does not fit. */
    public static GroundTruth beside(Path video, List<String> classes) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path csv = video.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".csv");
        if (!Files.isRegularFile(csv)) return null;
        try {
            return parse(Files.readAllLines(csv), classes);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static GroundTruth parse(List<String> lines, List<String> classes) {
        if (lines.isEmpty()) throw new IllegalArgumentException("empty sidecar");
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int frameCol = header.indexOf("frame"), classCol = header.indexOf("class");
        if (frameCol < 0 || classCol < 0) throw new IllegalArgumentException("sidecar needs frame and class columns");
        int[] labels = new int[lines.size() - 1];
        Arrays.fill(labels, -1);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            if (cells.length <= Math.max(frameCol, classCol)) continue;
            int frame = Integer.parseInt(cells[frameCol].trim());
            if (frame >= 0 && frame < labels.length) labels[frame] = classes.indexOf(cells[classCol].trim());
        }
        return new GroundTruth(labels);
    }
}
