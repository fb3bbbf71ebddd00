package ai.emadaptive.generate;

/**
 * Everything that determines one rendered frame.
 *
 * @param tissueSeed which patient: tissue texture, vessels, folds and highlights
 * @param tipX       instrument tip, as a fraction of the frame width
 * @param tipY       instrument tip, as a fraction of the frame height
 * @param angle      direction from the tip back along the shaft, radians
 * @param jaw        jaw opening 0 (closed) to 1 (open), for instruments that have jaws
 * @param camX       camera pan, as a fraction of the frame width (moves the tissue)
 * @param camY       camera pan, as a fraction of the frame height
 * @param effectSeed randomness of blood blobs and blur direction (fixed across a video segment for coherence)
 * @param smokePhase drift of the smoke texture (advances with time in videos)
 */
public record Scene(
        long tissueSeed,
        Instrument instrument,
        double tipX,
        double tipY,
        double angle,
        double jaw,
        double camX,
        double camY,
        Difficulty difficulty,
        long effectSeed,
        double smokePhase) {}
