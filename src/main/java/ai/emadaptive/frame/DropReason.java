package ai.emadaptive.frame;

/** Why a decoded frame was not processed; a tag on the dropped-frames counter. */
public enum DropReason {
    /** A live frame was replaced by a newer one before inference took it (latest frame wins). */
    SUPERSEDED,
    /** Every buffer of the stream was in use (inference or recording behind), so the new frame had nowhere to go. */
    NO_BUFFER,
    /** The decoder reported a damaged frame or packet and skipped it. */
    DECODE_ERROR,
    /** Inference failed on the frame's batch (reported in the stream's last error). */
    INFERENCE_ERROR;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
