package ai.emadaptive.frame;

import ai.emadaptive.model.ModelSpec;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * One full-resolution frame on its way through the pipeline, with what inference said about it. Buffers are pooled
 * per stream and reused, so the pixels are written in place: the decoded planes ({@link #yuv}, packed I420) by the
 * decoder; the BGR rows ({@link #bgr()}, shared with {@link #image()} for Java2D drawing) by the decoder only when
 * someone will see the frame, and then by the overlay. The BGR rows are allocated on first use, so the buffers of
 * a stream nobody watches or records hold only the planes (half the bytes).
 */
public final class FrameBuffer {
    /** The pool this buffer returns to. */
    public final FramePool pool;

    private BufferedImage image;
    private byte[] bgr;
    /** The decoded frame as packed I420 planes ({@link Yuv420}): what the network's input is made from. */
    public final byte[] yuv;

    public final int width;
    public final int height;
    /** The network's input row for this frame (normalised RGB crop, HWC), written by the decoder's thread. */
    public final float[] input;

    // Set by the decoder
    public long frameIndex;
    public long ptsMicros;
    public long decodedNanos;
    /** Ground-truth class index from a sidecar, or -1. */
    public int truth = -1;
    /**
     * Ground-truth tool set from a multi-label sidecar, bit c for the model's class c, or -1 when unknown (a sidecar
     * that says every one of 64 tools is present reads as unknown).
     */
    public long truthMask = -1;
    /** Time the decoder spent writing {@link #input} (and {@link #bgr()} where wanted), after {@link #decodedNanos}. */
    public long preprocessNanos;
    /** Whether {@link #bgr()} holds this frame: converted only for frames that will get an overlay. */
    public boolean bgrReady;
    /**
     * Whether this frame carries its stream's last result instead of being inferred (its stream's stride is above
     * 1): then {@link #input} was not written, and {@link #cost} is 0.
     */
    public boolean reused;

    // Set by the inference stage
    public double lambda;
    /** Its stream's frames per inference when it was processed (1 infers every frame, k one in k). */
    public int stride = 1;
    /** Whether lambda came from the node's controller. */
    public boolean adaptive;

    public int exit;
    public int label;
    public float confidence;
    /** Per class of the model: softmax (single-label) or sigmoid (multi-label) probability. Allocated once per buffer. */
    public final float[] probabilities;
    /** Classes present, bit c for class c: multi-label, those at or above the exit's threshold; single-label, the label. */
    public long present;
    /** Whether the frame is unlike the model's in-distribution frames (see {@code routing.Uncertainty}). */
    public boolean uncertain;

    public double cost;
    public int batchSize;
    /** When the inference stage took the frame (end of queueing). */
    public long takenNanos;

    public long inferenceNanos;
    public long overlayNanos;
    /**
     * Whether the overlay was drawn: only when someone will see the frame (live view due, recording, observer) and
     * the decoder made its BGR pixels.
     */
    public boolean overlaid;

    public long doneNanos;
    /** Nanoseconds from the start of the batch's inference to the end of each stage 1..4 (0 when not run). */
    public final long[] stageNanos = new long[ModelSpec.STAGES + 1];

    FrameBuffer(FramePool pool, int width, int height, int inputLength, int classes) {
        this.pool = pool;
        this.width = width;
        this.height = height;
        this.input = new float[inputLength];
        this.probabilities = new float[classes];
        this.yuv = new byte[Yuv420.length(width, height)];
    }

    /** The frame as an image for Java2D, sharing {@link #bgr()}. */
    public BufferedImage image() {
        if (image == null) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        }
        return image;
    }

    /** Packed BGR rows, 3 bytes a pixel; they hold this frame only where {@link #bgrReady}. */
    public byte[] bgr() {
        if (bgr == null) image();
        return bgr;
    }

    private java.awt.Graphics2D graphics;

    /** Java2D graphics drawing into {@link #bgr()}, created once per buffer. */
    public java.awt.Graphics2D graphics() {
        if (graphics == null) {
            graphics = image().createGraphics();
            graphics.setRenderingHint(
                    java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        }
        return graphics;
    }

    /** Time waiting for the inference stage, after preprocessing. */
    public long queueNanos() {
        return takenNanos - decodedNanos - preprocessNanos;
    }

    /** End-to-end latency: decoded to result ready (overlay drawn, where one is drawn). */
    public long latencyNanos() {
        return doneNanos - decodedNanos;
    }
}
