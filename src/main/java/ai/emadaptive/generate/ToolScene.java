package ai.emadaptive.generate;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A frame with any subset of the instruments (none to all), each at most once, over one field: the ground truth of
 * tool-presence and detection sets. The field (patient, camera, difficulty, effects) is shared as in a {@link Scene};
 * tools are drawn in list order, later ones over earlier ones.
 */
public record ToolScene(
        long tissueSeed,
        List<Tool> tools,
        double camX,
        double camY,
        Difficulty difficulty,
        long effectSeed,
        double smokePhase) {
    public ToolScene {
        tools = List.copyOf(tools);
        Set<Instrument> seen = EnumSet.noneOf(Instrument.class);
        for (Tool t : tools) {
            if (!seen.add(t.instrument()))
                throw new IllegalArgumentException("instrument " + t.instrument() + " twice in " + tools);
        }
    }

    /** The single-instrument scene that draws {@code tool} in this field. */
    public Scene scene(Tool tool) {
        return new Scene(
                tissueSeed,
                tool.instrument(),
                tool.tipX(),
                tool.tipY(),
                tool.angle(),
                tool.jaw(),
                camX,
                camY,
                difficulty,
                effectSeed,
                smokePhase);
    }

    /** The field with the first tool (where blood may lie on a tip), or with no instrument when there is none. */
    Scene field() {
        return tools.isEmpty()
                ? new Scene(tissueSeed, Instrument.NONE, 0.5, 0.5, 0, 0, camX, camY, difficulty, effectSeed, smokePhase)
                : scene(tools.get(0));
    }

    /** The tools' scenes, in drawing order. */
    List<Scene> scenes() {
        return tools.stream().map(this::scene).toList();
    }
}
