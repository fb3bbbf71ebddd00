package ai.emadaptive.output;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-frame result event on the {@code frame-results} channel.
 *
 * @param model        name of the model that classified it
 * @param frame        frame index in the stream (from 0, restarting when a file loops)
 * @param ptsMs        presentation time stamp of the frame in the source, milliseconds
 * @param label        the top class (multi-label: the most probable tool, whether present or not)
 * @param confidence   the top class's probability: softmax (single-label) or its sigmoid (multi-label)
 * @param exit         exit the frame left the network at (1..4)
 * @param cost         normalised FLOP cost of the executed path (1 = full network)
 * @param stageMs      latency per pipeline stage: queue, preprocess, inference, overlay (milliseconds)
 * @param exitStageMs  time from the batch's start to the end of network stages 1..4 (those that ran), milliseconds
 * @param latencyMs    end to end: decoded to overlay done
 * @param truth        ground-truth class when the clip has a single-label sidecar, else null
 * @param reused       the frame was not inferred: it carries its stream's last inferred result (label, confidence,
 *                     exit, tools) at cost 0, because the controller reuses results under load
 * @param tools        multi-label models: the tools present (probability at or above the exit's threshold for
 *                     them), most probable first, empty when none is; null for a single-label model, whose answer is
 *                     {@code label}
 * @param truthTools   multi-label models: the tools present according to the clip's multi-label sidecar, in the
 *                     model's class order; null when the frame's tool set is unknown or the model is single-label
 * @param uncertain    the frame is unlike the frames the model knows (its calibrated feature distance): its label and
 *                     tools are the model's guess, not an answer to act on; always false for a model without a
 *                     calibration
 */
public record FrameResult(
        String stream,
        String model,
        long frame,
        double ptsMs,
        String label,
        float confidence,
        int exit,
        double cost,
        double lambda,
        int batchSize,
        double[] stageMs,
        double[] exitStageMs,
        double latencyMs,
        String truth,
        boolean reused,
        List<Tool> tools,
        List<String> truthTools,
        boolean uncertain) {

    /** A result without an uncertainty verdict. */
    public FrameResult(
            String stream,
            String model,
            long frame,
            double ptsMs,
            String label,
            float confidence,
            int exit,
            double cost,
            double lambda,
            int batchSize,
            double[] stageMs,
            double[] exitStageMs,
            double latencyMs,
            String truth,
            boolean reused,
            List<Tool> tools,
            List<String> truthTools) {
        this(
                stream,
                model,
                frame,
                ptsMs,
                label,
                confidence,
                exit,
                cost,
                lambda,
                batchSize,
                stageMs,
                exitStageMs,
                latencyMs,
                truth,
                reused,
                tools,
                truthTools,
                false);
    }

    /** A single-label result, as before tools existed. */
    public FrameResult(
            String stream,
            String model,
            long frame,
            double ptsMs,
            String label,
            float confidence,
            int exit,
            double cost,
            double lambda,
            int batchSize,
            double[] stageMs,
            double[] exitStageMs,
            double latencyMs,
            String truth,
            boolean reused) {
        this(
                stream,
                model,
                frame,
                ptsMs,
                label,
                confidence,
                exit,
                cost,
                lambda,
                batchSize,
                stageMs,
                exitStageMs,
                latencyMs,
                truth,
                reused,
                null,
                null,
                false);
    }

    /** A tool called present, with its sigmoid probability. */
    public record Tool(String name, float probability) {}

    /** The classes set in {@code present}, most probable first. */
    public static List<Tool> tools(List<String> classes, float[] probabilities, long present) {
        List<Tool> out = new ArrayList<>(Long.bitCount(present));
        for (int c = 0; c < classes.size() && c < Long.SIZE; c++) {
            if ((present & 1L << c) != 0)
                out.add(new Tool(classes.get(c), c < probabilities.length ? probabilities[c] : Float.NaN));
        }
        out.sort((a, b) -> Float.compare(b.probability(), a.probability()));
        return out;
    }

    /** The names of the classes set in {@code mask}, in class order. */
    public static List<String> names(List<String> classes, long mask) {
        List<String> out = new ArrayList<>(Long.bitCount(mask));
        for (int c = 0; c < classes.size() && c < Long.SIZE; c++) if ((mask & 1L << c) != 0) out.add(classes.get(c));
        return out;
    }
}
