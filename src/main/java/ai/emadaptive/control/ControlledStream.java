package ai.emadaptive.control;

/** One stream as the node's controller sees it: whether it follows the controller, its knobs and its losses. */
public interface ControlledStream {
    /** Whether the node's controller sets this stream's lambda and stride. */
    boolean adaptive();

    void lambda(double value);

    void stride(int value);

    long decodedCount();

    long droppedCount();
}
