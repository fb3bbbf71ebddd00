package ai.emadaptive.metrics;

/** Meter names (Micrometer dots; Prometheus shows them with underscores and unit suffixes) and tag keys. */
public final class MetricNames {
    private MetricNames() {}

    public static final String FRAMES = "emadaptive.frames"; // emadaptive_frames_total
    public static final String COST = "emadaptive.frame.cost"; // emadaptive_frame_cost_ratio
    public static final String LATENCY = "emadaptive.frame.latency"; // emadaptive_frame_latency_seconds
    public static final String REUSED = "emadaptive.reused.frames"; // emadaptive_reused_frames_total
    public static final String UNCERTAIN = "emadaptive.uncertain.frames"; // emadaptive_uncertain_frames_total
    public static final String DROPPED = "emadaptive.dropped.frames"; // emadaptive_dropped_frames_total
    public static final String FPS = "emadaptive.stream.frame.rate"; // emadaptive_stream_frame_rate_hertz
    public static final String LAMBDA = "emadaptive.lambda"; // emadaptive_lambda
    public static final String ADAPTIVE = "emadaptive.lambda.adaptive"; // emadaptive_lambda_adaptive
    public static final String QUEUE = "emadaptive.queue.depth"; // emadaptive_queue_depth_frames
    public static final String UP = "emadaptive.stream.up"; // emadaptive_stream_up
    public static final String ACCURACY = "emadaptive.stream.accuracy"; // emadaptive_stream_accuracy_ratio
    public static final String TOOL_ACCURACY =
            "emadaptive.stream.tool.accuracy"; // emadaptive_stream_tool_accuracy_ratio
    public static final String TOOL_PRESENT = "emadaptive.tool.present.frames"; // emadaptive_tool_present_frames_total
    public static final String BATCH = "emadaptive.inference.batch.size"; // emadaptive_inference_batch_size_frames

    public static final String STREAM = "stream";
    public static final String EXIT = "exit";
    public static final String STAGE = "stage";
    public static final String REASON = "reason";
    public static final String TOOL = "tool";
}
