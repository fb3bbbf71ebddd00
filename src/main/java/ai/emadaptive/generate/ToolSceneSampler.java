package ai.emadaptive.generate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws multi-tool frames roughly as laparoscopic cholecystectomy shows them. How many tools:
 * 15% none, 40% one, 35% two, 10% three. Which: drawn one after another without replacement, weighted
 * grasper 0.42, hook 0.28, suction-irrigator 0.12, clip-applier 0.10, scissors 0.08. So a frame shows the grasper
 * 51% of the time, the hook 40%, the suction-irrigator 20%, the clip-applier 17%, the scissors 13%, and grasper with
 * hook is the most frequent pair (37% of two-tool frames), as in real frames where the surgeon's hook works on tissue
 * the assistant's grasper holds. Each tool comes in from its own side
 * of the field (ports sit apart), its tip within 0.55 of the field's radius as in {@link SceneSampler}; with the
 * out-of-view factor the first tool's tip sits at or beyond the rim and its shaft crosses the field. Difficulty is
 * drawn as for {@code generate images}, without the assistant's instrument: here every instrument is labelled.
 */
public final class ToolSceneSampler {
    /** Share of frames with 0, 1, 2 and 3 tools. */
    static final double[] COUNT_SHARES = {0.15, 0.40, 0.35, 0.10};
    /** How likely each tool is drawn next, before the ones already drawn are taken out. */
    static final Map<Instrument, Double> WEIGHTS = new EnumMap<>(Map.of(
            Instrument.GRASPER,
            0.42,
            Instrument.HOOK,
            0.28,
            Instrument.SUCTION_IRRIGATOR,
            0.12,
            Instrument.CLIP_APPLIER,
            0.10,
            Instrument.SCISSORS,
            0.08));

    private ToolSceneSampler() {}

    /** A frame of random tools, placement and difficulty, all drawn from {@code rnd}. */
    public static ToolScene sample(Random rnd, int w, int h) {
        Difficulty d = Difficulty.random(SceneSampler.level(rnd), rnd);
        List<Instrument> kinds = kinds(count(rnd), rnd);
        double r = SceneRenderer.fovRadius(w, h);
        double side0 = rnd.nextDouble() * 2 * Math.PI;
        List<Tool> tools = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            double side = side0 + k * 2 * Math.PI / kinds.size() + rnd.nextGaussian() * 0.35;
            boolean outOfView = k == 0 && d.outOfView() > 0;
            double dist = outOfView ? r * (0.8 + 0.065 * d.outOfView()) : r * 0.55 * Math.sqrt(rnd.nextDouble());
            double tx = w / 2.0 + Math.cos(side) * dist, ty = h / 2.0 + Math.sin(side) * dist;
            // the shaft runs back out on the tool's own side, or across the field when the tip is out of view
            double angle = outOfView ? side + Math.PI + rnd.nextGaussian() * 0.25 : side + rnd.nextGaussian() * 0.4;
            tools.add(new Tool(kinds.get(k), tx / w, ty / h, angle, rnd.nextDouble()));
        }
        return new ToolScene(
                rnd.nextInt(SceneSampler.PATIENTS),
                tools,
                (rnd.nextDouble() - 0.5) * 0.3,
                (rnd.nextDouble() - 0.5) * 0.3,
                d,
                rnd.nextLong(),
                rnd.nextDouble() * 10);
    }

    static int count(Random rnd) {
        double u = rnd.nextDouble();
        for (int n = 0; n < COUNT_SHARES.length - 1; n++) {
            u -= COUNT_SHARES[n];
            if (u < 0) return n;
        }
        return COUNT_SHARES.length - 1;
    }

    /** {@code n} distinct tools, weighted by {@link #WEIGHTS}. */
    static List<Instrument> kinds(int n, Random rnd) {
        Map<Instrument, Double> left = new EnumMap<>(WEIGHTS);
        List<Instrument> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double
                    total =
                            left.values().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .sum(),
                    u = rnd.nextDouble() * total;
            Instrument pick = null;
            for (Map.Entry<Instrument, Double> e : left.entrySet()) {
                pick = e.getKey();
                u -= e.getValue();
                if (u < 0) break;
            }
            left.remove(pick);
            out.add(pick);
        }
        return out;
    }
}
