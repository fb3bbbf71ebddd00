package ai.emadaptive.data;

import java.nio.file.Path;

/**
 * One labelled frame of a data set, before any pixels are decoded: a still image ({@code frameIndex == STILL}), frame
 * {@code frameIndex} of a video, or every frame the loader keeps of a clip that carries one clip-level label
 * ({@link #EVERY_FRAME}).
 *
 * @param targets per class of the {@link FrameLabels}: {@link ImageSet#PRESENT}, {@link ImageSet#ABSENT} or
 *                {@link ImageSet#UNKNOWN}
 */
public record LabelledFrame(Path source, int frameIndex, byte[] targets) {
    public static final int STILL = -1;
    public static final int EVERY_FRAME = -2;

    public LabelledFrame {
        if (frameIndex < EVERY_FRAME) throw new IllegalArgumentException("frame index " + frameIndex);
    }

    /** The target of class k. */
    public byte target(int k) {
        return targets[k];
    }
}
