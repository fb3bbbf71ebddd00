package ai.emadaptive.model;

/**
 * The fixed naming scheme for every tensor of the network, shared by the trainer, the serving engine,
 * the artifact and the DL4J baseline. Batch norm tensors are {@code <prefix>.gamma|beta|mean|var}.
 */
public final class Names {
    private Names() {}

    public static final String STEM_CONV = "stem.conv.W";
    public static final String STEM_BN = "stem.bn";

    public static String block(int stage, int block) {
        return "s" + stage + ".b" + block;
    }

    public static String conv1(int stage, int block) {
        return block(stage, block) + ".conv1.W";
    }

    public static String bn1(int stage, int block) {
        return block(stage, block) + ".bn1";
    }

    public static String conv2(int stage, int block) {
        return block(stage, block) + ".conv2.W";
    }

    public static String bn2(int stage, int block) {
        return block(stage, block) + ".bn2";
    }

    public static String downConv(int stage, int block) {
        return block(stage, block) + ".down.W";
    }

    public static String downBn(int stage, int block) {
        return block(stage, block) + ".downbn";
    }

    public static String exit(int e) {
        return "exit" + e;
    }

    /** MLP head: first dense layer [C, C] and bias. */
    public static String headFc1W(int e) {
        return exit(e) + ".fc1.W";
    }

    public static String headFc1b(int e) {
        return exit(e) + ".fc1.b";
    }
    /** Classifier dense layer of either head type: [C, classes] and bias. */
    public static String headOutW(int e) {
        return exit(e) + ".out.W";
    }

    public static String headOutb(int e) {
        return exit(e) + ".out.b";
    }
    /** Conv head: 3x3 conv weights and its batch norm. */
    public static String headConv(int e) {
        return exit(e) + ".conv.W";
    }

    public static String headBn(int e) {
        return exit(e) + ".bn";
    }

    public static String gamma(String bn) {
        return bn + ".gamma";
    }

    public static String beta(String bn) {
        return bn + ".beta";
    }

    public static String mean(String bn) {
        return bn + ".mean";
    }

    public static String var(String bn) {
        return bn + ".var";
    }

    /** Whether the tensor is a batch-norm running statistic (state, not a trained parameter). */
    public static boolean isRunningStat(String name) {
        return name.endsWith(".mean") || name.endsWith(".var");
    }

    /** Whether the tensor belongs to an exit head (trained in the frozen-backbone mode). */
    public static boolean isHead(String name) {
        return name.startsWith("exit");
    }
}
