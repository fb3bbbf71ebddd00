package ai.emadaptive.metrics;

import ai.emadaptive.model.TaskType;
import java.util.List;

/** What a stream's gauges read, and what its meters are named after. */
public interface MeteredStream {
    String id();

    List<String> classes();

    TaskType task();

    double fps();

    double lambda();

    boolean adaptive();

    /** Frames waiting for inference (a racy read: for metrics only). */
    int queueDepth();

    /** Whether the stream is running or reconnecting (not ended, failed or stopped). */
    boolean active();

    double accuracy();

    double toolAccuracy();
}
