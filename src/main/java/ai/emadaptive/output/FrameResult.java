package ai.emadaptive.output;

/**
 * The per-frame result event on the {@code frame-results} channel.
 *
 * @param model        name of the model that classified it
 * @param frame        frame index in the stream (from 0, restarting when a file loops)
 * @param ptsMs        presentation time stamp of the frame in the source, milliseconds
 * @param exit         exit the frame left the network at (1..4)
 * @param cost         normalised FLOP cost of the executed path (1 = full network)
 * @param stageMs      latency per pipeline stage: queue, preprocess, inference, overlay (milliseconds)
 * @param exitStageMs  time from the batch's start to the end of network stages 1..4 (those that ran), milliseconds
 * @param latencyMs    end to end: decoded to overlay done
 * @param truth        ground-truth class when the clip has a sidecar, else null
 * @param reused       the frame was not inferred: it carries its stream's last inferred result (label, confidence,
 *                     exit) at cost 0, because the controller reuses results under load
 */
public record FrameResult(String stream, String model, long frame, double ptsMs, String label, float confidence, int exit, double cost,
                          double lambda, int batchSize, double[] stageMs, double[] exitStageMs, double latencyMs,
                          String truth, boolean reused) {}
