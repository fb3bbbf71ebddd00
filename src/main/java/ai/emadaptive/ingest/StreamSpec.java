package ai.emadaptive.ingest;

/**
 * What a stream is: an id, a source URL, and how to run it.
 *
 * @param model    name of the model to run; null = the default model
 * @param lambda   router lambda; null = the model's default
 * @param realtime files only: replay at the clip's own frame rate (true) or as fast as the pipeline takes frames
 * @param loop     files only: start again at the end
 * @param record   write the overlaid frames to an MP4 in the recordings folder
 * @param adaptive let the node's controller set lambda from load (starting at the model's accuracy-optimal lambda)
 * @param pinnedExit 1..4: every frame leaves at this exit, whatever the routers say; 0 = routed. Set here rather than on
 *                 the running stream so that the first frame already obeys it
 */
public record StreamSpec(
        String id,
        String url,
        String model,
        Double lambda,
        boolean realtime,
        boolean loop,
        boolean record,
        boolean adaptive,
        int pinnedExit) {
    public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

    /**
     * A stream of {@code url} with the service's defaults: the default model at its own lambda, files replayed in
     * real time once, no recording, fixed lambda. Change them with the {@code with...} methods.
     */
    public static StreamSpec of(String id, String url) {
        return new StreamSpec(id, url, null, null, true, false, false, false, 0);
    }

    public StreamSpec withModel(String model) {
        return new StreamSpec(id, url, model, lambda, realtime, loop, record, adaptive, pinnedExit);
    }

    public StreamSpec withLambda(Double lambda) {
        return new StreamSpec(id, url, model, lambda, realtime, loop, record, adaptive, pinnedExit);
    }

    /** Files: replay at the clip's own frame rate (true, the default) or as fast as the pipeline takes frames. */
    public StreamSpec withRealtime(boolean realtime) {
        return new StreamSpec(id, url, model, lambda, realtime, loop, record, adaptive, pinnedExit);
    }

    public StreamSpec withLoop(boolean loop) {
        return new StreamSpec(id, url, model, lambda, realtime, loop, record, adaptive, pinnedExit);
    }

    public StreamSpec withRecord(boolean record) {
        return new StreamSpec(id, url, model, lambda, realtime, loop, record, adaptive, pinnedExit);
    }

    public StreamSpec withAdaptive(boolean adaptive) {
        return new StreamSpec(id, url, model, lambda, realtime, loop, record, adaptive, pinnedExit);
    }

    /** Every frame leaves at {@code exit} (1..4); 0 routes them. */
    public StreamSpec withPinnedExit(int exit) {
        return new StreamSpec(id, url, model, lambda, realtime, loop, record, adaptive, exit);
    }

    public StreamSpec {
        if (id == null || !id.matches(ID_PATTERN))
            throw new IllegalArgumentException("stream id must match " + ID_PATTERN + ": " + id);
        if (url == null || url.isBlank()) throw new IllegalArgumentException("stream " + id + " has no url");
        // below 0 is allowed: routers are fitted over a range that may include it (favouring depth)
        if (lambda != null && !Double.isFinite(lambda))
            throw new IllegalArgumentException("lambda must be a finite number: " + lambda);
        if (pinnedExit < 0 || pinnedExit > 4) // the network's four exits
        throw new IllegalArgumentException("pinned exit must be 0 (routed) or 1..4: " + pinnedExit);
    }
}
