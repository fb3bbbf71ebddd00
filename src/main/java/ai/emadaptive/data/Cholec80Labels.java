package ai.emadaptive.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Cholec80's annotations beside its videos: {@code videoNN-tool.txt} (tab-separated, a header naming the seven tools,
 * a 0/1 row every 25th frame) and {@code videoNN-phase.txt} (a phase name for every frame). Class names are the
 * header's or the phases', normalised ({@code SpecimenBag} -> {@code specimen_bag}) like {@link ClassMatch} compares
 * them.
 */
public final class Cholec80Labels {
    public enum Kind {
        /** Which tools are in view: multi-label. */
        TOOL,
        /** The surgical phase: one class per frame. */
        PHASE;

        String suffix() {
            return this == TOOL ? "-tool.txt" : "-phase.txt";
        }
    }

    private Cholec80Labels() {}

    /**
     * Every {@code *.mp4} in {@code dir} (sorted by name) with its {@code <name>-tool.txt} or {@code <name>-phase.txt}.
     * TOOL keeps the annotated rows (every 25th frame in Cholec80), the tools as in the shared header (every video
     * must have the same header). PHASE keeps frames 0, every, 2*every, ...; its classes are the phase names of all
     * videos sorted alphabetically, so a subset of videos gives the same order when it has the same phases.
     *
     * @param every PHASE only: the frame stride (25 gives Cholec80's 1 fps, as the tools)
     */
    public static FrameLabels read(Path dir, Kind kind, int every) {
        if (every < 1) throw new IllegalArgumentException("every must be >= 1, was " + every);
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": not a folder");
        List<Path> videos = videos(dir);
        if (videos.isEmpty())
            throw new DataException(dir + ": no .mp4 videos (Cholec80's videos/ folder has video01.mp4 ...)");
        List<Path> labels = new ArrayList<>();
        for (Path v : videos) {
            Path f = v.resolveSibling(LabelFiles.stem(v) + kind.suffix());
            if (!Files.isRegularFile(f))
                throw new DataException(f + ": missing (the " + kind.name().toLowerCase(Locale.ROOT) + " labels of "
                        + v.getFileName() + ")");
            labels.add(f);
        }
        return kind == Kind.TOOL ? tools(dir, videos, labels) : phases(dir, videos, labels, every);
    }

    private static FrameLabels tools(Path dir, List<Path> videos, List<Path> files) {
        List<String> header = null;
        String headerFile = null;
        List<LabelledFrame> frames = new ArrayList<>();
        for (int v = 0; v < videos.size(); v++) {
            String name = LabelFiles.name(dir, files.get(v));
            List<String> lines = LabelFiles.lines(files.get(v));
            if (lines.isEmpty() || lines.get(0).isBlank())
                throw new DataException(files.get(v) + ": empty (expected a header Frame, Grasper, ...)");
            List<String> h = Arrays.asList(lines.get(0).trim().split("\\s+"));
            if (!h.get(0).equalsIgnoreCase("frame") || h.size() < 2) {
                throw LabelFiles.at(
                        name,
                        1,
                        "expected a header Frame<TAB><tool>..., got '"
                                + lines.get(0).trim() + "'");
            }
            if (header == null) {
                header = h;
                headerFile = name;
            } else if (!h.equals(header)) {
                throw LabelFiles.at(
                        name,
                        1,
                        "tools " + h.subList(1, h.size()) + " differ from " + headerFile + "'s "
                                + header.subList(1, header.size()));
            }
            int last = -1;
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty()) continue;
                String[] cells = line.split("\\s+");
                if (cells.length != h.size())
                    throw LabelFiles.at(
                            name, i + 1, "expected " + h.size() + " columns as in the header, got " + cells.length);
                last = frame(cells[0], last, name, i + 1);
                byte[] t = new byte[h.size() - 1];
                for (int k = 1; k < cells.length; k++) {
                    switch (cells[k]) {
                        case "0" -> t[k - 1] = ImageSet.ABSENT;
                        case "1" -> t[k - 1] = ImageSet.PRESENT;
                        default -> throw LabelFiles.at(name, i + 1, h.get(k) + " is '" + cells[k] + "', not 0 or 1");
                    }
                }
                frames.add(new LabelledFrame(videos.get(v), last, t));
            }
        }
        List<String> classes = header.subList(1, header.size()).stream()
                .map(ClassMatch::normalise)
                .toList();
        return new FrameLabels(classes, frames, true);
    }

    private static FrameLabels phases(Path dir, List<Path> videos, List<Path> files, int every) {
        record Row(int video, int frame, String phase) {}
        List<Row> rows = new ArrayList<>();
        TreeSet<String> phases = new TreeSet<>();
        for (int v = 0; v < videos.size(); v++) {
            String name = LabelFiles.name(dir, files.get(v));
            List<String> lines = LabelFiles.lines(files.get(v));
            if (lines.isEmpty() || lines.get(0).isBlank())
                throw new DataException(files.get(v) + ": empty (expected a header Frame, Phase)");
            String[] h = lines.get(0).trim().split("\\s+");
            if (h.length != 2 || !h[0].equalsIgnoreCase("frame") || !h[1].equalsIgnoreCase("phase")) {
                throw LabelFiles.at(
                        name,
                        1,
                        "expected a header Frame<TAB>Phase, got '"
                                + lines.get(0).trim() + "'");
            }
            int last = -1;
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty()) continue;
                String[] cells = line.split("\\s+");
                if (cells.length != 2)
                    throw LabelFiles.at(name, i + 1, "expected 2 columns (frame, phase), got " + cells.length);
                last = frame(cells[0], last, name, i + 1);
                String phase = ClassMatch.normalise(cells[1]);
                phases.add(phase);
                if (last % every == 0) rows.add(new Row(v, last, phase));
            }
        }
        List<String> classes = List.copyOf(phases);
        List<LabelledFrame> frames = new ArrayList<>(rows.size());
        for (Row r : rows) {
            byte[] t = new byte[classes.size()];
            t[classes.indexOf(r.phase())] = ImageSet.PRESENT;
            frames.add(new LabelledFrame(videos.get(r.video()), r.frame(), t));
        }
        return new FrameLabels(classes, frames, false);
    }

    /** A row's frame number, which must be a whole number above the previous row's. */
    private static int frame(String s, int previous, String name, int line) {
        int f;
        try {
            f = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw LabelFiles.at(name, line, "frame '" + s + "' is not a whole number");
        }
        if (f < 0) throw LabelFiles.at(name, line, "frame " + f + " is negative");
        if (f <= previous)
            throw LabelFiles.at(
                    name, line, "frame " + f + " does not follow frame " + previous + " (frames must increase)");
        return f;
    }

    private static List<Path> videos(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p ->
                            p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mp4"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DataException(dir + ": " + e.getMessage());
        }
    }
}
