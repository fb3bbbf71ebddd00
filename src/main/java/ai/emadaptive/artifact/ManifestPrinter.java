package ai.emadaptive.artifact;

import ai.emadaptive.model.Names;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link Manifest} as the human-readable text of {@code model-info}. */
public final class ManifestPrinter {
    private ManifestPrinter() {}

    private static final int MAX_CLASSES_SHOWN = 20;

    /**
     * @param fileName      shown in the first line
     * @param fileSizeBytes size of the artifact on disk
     */
    public static String render(Manifest m, String fileName, long fileSizeBytes) {
        StringBuilder out = new StringBuilder();
        Manifest.Architecture a = m.architecture();
        Manifest.Input in = m.input();

        out.append(fileName)
                .append("  (")
                .append(bytes(fileSizeBytes))
                .append(", ")
                .append(m.format())
                .append(" v")
                .append(m.formatVersion())
                .append(")\n");
        line(
                out,
                "architecture",
                String.format(
                        Locale.ROOT,
                        "%s, width %d, %s stem, %s heads, %d classes, blocks per stage %s",
                        a.type(),
                        a.width(),
                        a.stem(),
                        a.headType(),
                        a.numClasses(),
                        a.blocksPerStage()));
        line(
                out,
                "input",
                String.format(
                        Locale.ROOT,
                        "%dx%dx%d %s %s from the %s; pixels scaled to [0,1], then (x - mean) / std",
                        in.size(),
                        in.size(),
                        a.inChannels(),
                        in.channelOrder(),
                        in.layout(),
                        in.letterbox()
                                ? "whole frame at its aspect ratio, black bars around it"
                                : in.wholeFrame() ? "whole frame, squeezed to a square" : "frame's centred square"));
        line(out, "", "mean " + floats(in.mean()) + "  std " + floats(in.std()));
        line(out, "classes", classes(m.classes()));
        line(
                out,
                "task",
                m.task().multiLabel()
                        ? "multi-label: one sigmoid per class, present at or above its threshold"
                        : "single-label: softmax, top class");
        double[][] thresholds = m.thresholdArray();
        if (thresholds != null) {
            for (int e = 0; e < thresholds.length; e++) {
                StringBuilder row = new StringBuilder("exit " + (e + 1));
                for (double v : thresholds[e]) row.append(String.format(Locale.ROOT, " %.3f", v));
                line(out, e == 0 ? "thresholds" : "", row.toString());
            }
        }

        long trainable = 0;
        long stats = 0;
        for (Manifest.TensorInfo t : m.tensors()) {
            if (Names.isRunningStat(t.name())) stats += t.size();
            else trainable += t.size();
        }
        line(
                out,
                "parameters",
                String.format(
                        Locale.ROOT,
                        "%,d trainable + %,d batch-norm running stats = %,d in %d tensors (%s as float32)",
                        trainable,
                        stats,
                        trainable + stats,
                        m.tensors().size(),
                        bytes(4 * (trainable + stats))));
        line(
                out,
                "stored as",
                m.weightPrecision() == WeightPrecision.FLOAT16
                        ? "float16 kernels, float32 batch-norm and bias vectors (float32 once loaded)"
                        : "float32");
        line(
                out,
                "full network",
                String.format(Locale.ROOT, "%.4f GFLOPs (no early exit)", m.fullNetworkFlops() / 1e9));

        out.append("exits\n");
        out.append(String.format(Locale.ROOT, "  %4s  %10s  %10s  %7s\n", "exit", "GFLOPs", "normalised", "nominal"));
        for (Manifest.ExitCost e : m.exits()) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %4d  %10.4f  %10.3f  %7.2f\n",
                    e.exit(),
                    e.flops() / 1e9,
                    e.normalisedCost(),
                    e.nominalCost()));
        }

        line(out, "routers", routers(m));
        line(out, "uncertainty", uncertainty(m.uncertainty()));
        Manifest.Provenance p = m.provenance();
        line(out, "provenance", "data " + orDash(p.data()));
        line(out, "", "command " + orDash(p.command()));
        line(out, "", "date " + orDash(p.date()));
        if (p.metrics().isEmpty()) {
            line(out, "", "metrics -");
        } else {
            for (Map.Entry<String, Double> e : p.metrics().entrySet()) {
                line(out, "", String.format(Locale.ROOT, "%s = %.4f", e.getKey(), e.getValue()));
            }
        }
        return out.toString();
    }

    /** The first names only: an ImageNet-size list would bury everything else. */
    private static String classes(List<String> names) {
        int shown = Math.min(names.size(), MAX_CLASSES_SHOWN);
        String s = names.size() + ": " + String.join(", ", names.subList(0, shown));
        return shown < names.size() ? s + ", ... (" + (names.size() - shown) + " more)" : s;
    }

    private static String routers(Manifest m) {
        if (m.routers() == null) return "none";
        JsonNode r = m.routers();
        JsonNode w = r.get("evidenceWeight");
        JsonNode on = r.get("fittedOn");
        return String.format(
                Locale.ROOT,
                "%s, %d routers, default lambda %s, EM evidence weight %s, fitted on %s",
                r.path("method").asText("?"),
                r.path("routers").size(),
                r.path("defaultLambda").asText("?"),
                w == null || w.isNull() ? "not recorded" : w.asText(),
                on == null || on.isNull() ? "(not recorded)" : on.asText());
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-14s%s\n", label, value));
    }

    private static String floats(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++)
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
        return s.append(']').toString();
    }

    private static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    /** One line about the uncertainty calibration, read from its JSON (the artifact package does not know routing). */
    private static String uncertainty(com.fasterxml.jackson.databind.JsonNode u) {
        if (u == null) return "- (no uncertainty calibration: every frame gets a label)";
        StringBuilder t = new StringBuilder();
        com.fasterxml.jackson.databind.JsonNode th = u.path("thresholds");
        for (int e = 0; e < th.size(); e++)
            t.append(e == 0 ? "" : " ")
                    .append(String.format(Locale.ROOT, "%.2f", th.get(e).asDouble()));
        return String.format(
                Locale.ROOT,
                "%s, %.1f%% of held-out frames certain, exit thresholds %s, fitted on %s",
                u.path("signal").asText("?"),
                100 * u.path("quantile").asDouble(),
                t,
                orDash(u.path("fittedOn").asText(null)));
    }
}
