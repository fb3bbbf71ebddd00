package ai.emadaptive.routing;

import ai.emadaptive.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy and exit mix per difficulty level of a generated test set: does the router send hard frames deeper, and
 * how much do early exits lose on them? Levels come from the {@code labels.csv} that {@code generate images} writes.
 */
public final class DifficultyBreakdown {
    private DifficultyBreakdown() {}

    /**
     * @param level         per level: images, accuracy at full depth and at exit 1, under EM routing accuracy, mean
     *                      exit, mean normalised cost and exit mix; and the oracle's mean exit (the earliest right exit,
     *                      exit 4 when none is right): how deep a perfect router would go on this level
     * @param exitAccuracy  accuracy of each fixed exit 1..4 on this level: where depth still pays (fullAccuracy and
     *                      exit1Accuracy are its ends, kept for readers of the earlier JSON)
     */
    public record Level(
            int level,
            int images,
            double fullAccuracy,
            double exit1Accuracy,
            double emAccuracy,
            double emMeanExit,
            double emCost,
            double[] emExitMix,
            double oracleMeanExit,
            double[] exitAccuracy) {}

    /**
     * One difficulty column of labels.csv per image, in set order: {@code level} (the most severe factor) or a single
     * factor such as {@code smoke}, to see which factor early exits lose on. Signed levels (exposure) count by size.
     */
    public static int[] levels(Path labelsCsv, List<Path> filesInSetOrder, String column) throws IOException {
        List<String> lines = Files.readAllLines(labelsCsv);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int fileCol = header.indexOf("file"), levelCol = header.indexOf(column);
        if (fileCol < 0 || levelCol < 0)
            throw new IOException(labelsCsv + ": needs file and " + column + " columns, has " + header);
        Map<String, Integer> byFile = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            byFile.put(c[fileCol], Math.abs(Integer.parseInt(c[levelCol])));
        }
        int[] out = new int[filesInSetOrder.size()];
        for (int i = 0; i < out.length; i++) {
            Integer l = byFile.get(filesInSetOrder.get(i).toString().replace('\\', '/'));
            if (l == null) throw new IOException(labelsCsv + " has no row for " + filesInSetOrder.get(i));
            out[i] = l;
        }
        return out;
    }

    /** @param emExits exits EM routing takes per image; {@code exitCost[e]} the normalised cost of leaving at e */
    public static List<Level> of(FeatureCache cache, int[] levels, int[] emExits, double[] exitCost) {
        int max = Arrays.stream(levels).max().orElse(0);
        int[] oracle = ExitPolicies.oracle(cache);
        List<Level> out = new ArrayList<>();
        for (int l = 0; l <= max; l++) {
            int n = 0, em = 0;
            double exitSum = 0, costSum = 0, oracleSum = 0;
            double[] mix = new double[ModelSpec.STAGES], exitAcc = new double[ModelSpec.STAGES];
            for (int i = 0; i < levels.length; i++) {
                if (levels[i] != l) continue;
                n++;
                if (cache.correct(emExits[i], i)) em++;
                for (int e = 1; e <= ModelSpec.STAGES; e++) if (cache.correct(e, i)) exitAcc[e - 1]++;
                exitSum += emExits[i];
                oracleSum += oracle[i];
                costSum += exitCost[emExits[i]];
                mix[emExits[i] - 1]++;
            }
            if (n == 0) continue;
            for (int e = 0; e < mix.length; e++) {
                mix[e] /= n;
                exitAcc[e] /= n;
            }
            out.add(new Level(
                    l,
                    n,
                    exitAcc[ModelSpec.STAGES - 1],
                    exitAcc[0],
                    (double) em / n,
                    exitSum / n,
                    costSum / n,
                    mix,
                    oracleSum / n,
                    exitAcc));
        }
        return out;
    }
}
