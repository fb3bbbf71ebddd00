package ai.emadaptive.generate;

import java.util.Arrays;
import java.util.List;

/**
 * The classes of tool-presence and detection sets: every instrument kind, in {@link Instrument} order. There is no
 * "none" class; a frame without a tool simply has none present.
 */
public final class ToolClasses {
    private static final List<Instrument> ALL =
            Arrays.stream(Instrument.values()).filter(i -> i != Instrument.NONE).toList();

    private ToolClasses() {}

    public static List<Instrument> all() {
        return ALL;
    }

    public static int count() {
        return ALL.size();
    }

    /** The class id of an instrument: its place in {@link #all()}. */
    public static int id(Instrument instrument) {
        int id = ALL.indexOf(instrument);
        if (id < 0) throw new IllegalArgumentException(instrument + " is not a tool class");
        return id;
    }

    public static List<String> labels() {
        return ALL.stream().map(Instrument::label).toList();
    }
}
