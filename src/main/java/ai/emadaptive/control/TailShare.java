package ai.emadaptive.control;

/**
 * The share of frames over the budget, judged over the last few ticks rather than one. A tick at a loaded node holds
 * about a hundred frames, so a single late frame reads as about 1%: twice {@code maxLateRate} and a raise, although
 * the target (99% within budget) is met. Over eight ticks it reads as 0.1%, and a cluster of late frames still counts.
 * A tick without a late frame reports none, so an old burst does not keep raising lambda for the whole window.
 * Controller thread only.
 */
public final class TailShare {
    /** Ticks the share is judged over: 2 s at the default 250 ms tick. */
    public static final int TICKS = 8;

    private final long[] late = new long[TICKS];
    private final long[] frames = new long[TICKS];
    private int next;
    private long lateSum, frameSum;

    /**
     * Adds one tick's frames and returns the share over the budget to act on: that of the window of the last
     * {@link #TICKS} ticks when this tick had a late frame, otherwise 0.
     */
    public double add(int lateFrames, int tickFrames) {
        lateSum += lateFrames - late[next];
        frameSum += tickFrames - frames[next];
        late[next] = lateFrames;
        frames[next] = tickFrames;
        next = (next + 1) % TICKS;
        return lateFrames == 0 || frameSum == 0 ? 0 : (double) lateSum / frameSum;
    }
}
