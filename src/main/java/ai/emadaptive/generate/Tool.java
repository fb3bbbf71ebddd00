package ai.emadaptive.generate;

/**
 * One instrument of a multi-tool frame, placed as {@link Scene} places its single one.
 *
 * @param tipX  tip, as a fraction of the frame width
 * @param tipY  tip, as a fraction of the frame height
 * @param angle direction from the tip back along the shaft, radians
 * @param jaw   jaw opening 0 (closed) to 1 (open), for instruments that have jaws
 */
public record Tool(Instrument instrument, double tipX, double tipY, double angle, double jaw) {
    public Tool {
        if (instrument == Instrument.NONE) throw new IllegalArgumentException("a tool is an instrument, not NONE");
    }
}
