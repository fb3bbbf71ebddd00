package ai.emadaptive.routing;

import ai.emadaptive.data.ImageSet;
import ai.emadaptive.model.ModelSpec;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Every test frame's class probabilities at every exit, and its truth, as a TSV: for analyses the summary tables do
 * not make (combining several crops of a frame, a per-video breakdown, a calibration plot). Rows follow the test set's
 * order. Columns: {@code frame}, then {@code p<exit>_<class>} for exits 1..4, then {@code truth_<class>} (1 present,
 * 0 absent, empty unknown) for multi-label data, or {@code label} (the class name, empty when unknown) otherwise.
 */
public final class FrameTable {
    private FrameTable() {}

    public static void write(FeatureCache c, List<String> classes, Path file) throws IOException {
        if (classes.size() != c.classes())
            throw new IllegalArgumentException(classes.size() + " class names for " + c.classes() + " classes");
        boolean multi = c.targets() != null;
        try (Writer w = Files.newBufferedWriter(file)) {
            StringBuilder row = new StringBuilder("frame");
            for (int e = 1; e <= ModelSpec.STAGES; e++)
                for (String k : classes) row.append("\tp").append(e).append('_').append(k);
            if (multi) for (String k : classes) row.append("\ttruth_").append(k);
            else row.append("\tlabel");
            w.write(row.append('\n').toString());
            for (int i = 0; i < c.count(); i++) {
                row.setLength(0);
                row.append(i);
                for (int e = 1; e <= ModelSpec.STAGES; e++)
                    for (int k = 0; k < classes.size(); k++)
                        row.append('\t').append(String.format(Locale.ROOT, "%.6f", c.probability(e, i, k)));
                if (multi) {
                    for (int k = 0; k < classes.size(); k++) {
                        byte t = c.target(i, k);
                        row.append('\t').append(t == ImageSet.UNKNOWN ? "" : t == ImageSet.PRESENT ? "1" : "0");
                    }
                } else {
                    int label = c.labels()[i];
                    row.append('\t').append(label < 0 ? "" : classes.get(label));
                }
                w.write(row.append('\n').toString());
            }
        }
    }
}
