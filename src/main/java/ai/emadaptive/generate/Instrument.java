package ai.emadaptive.generate;

/** What the camera sees in the field: the class of a generated frame. Shafts look alike; tips tell them apart. */
public enum Instrument {
    NONE,
    GRASPER,
    SCISSORS,
    HOOK,
    CLIP_APPLIER,
    SUCTION_IRRIGATOR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
