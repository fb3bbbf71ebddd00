package ai.emadaptive.service;

import ai.emadaptive.output.FrameResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The in-process consumer of the result channel: keeps each stream's most recent results for the REST API and the
 * web page's charts. Bounded, so a long run holds a fixed amount of memory.
 */
@ApplicationScoped
public class FrameResultLog {
    static final int KEEP = 300;
    private final Map<String, ArrayDeque<FrameResult>> recent = new ConcurrentHashMap<>();

    @Incoming(Channels.FRAME_RESULTS)
    public void accept(FrameResult r) {
        ArrayDeque<FrameResult> q = recent.computeIfAbsent(r.stream(), k -> new ArrayDeque<>(KEEP));
        synchronized (q) {
            if (q.size() == KEEP) q.pollFirst();
            q.addLast(r);
        }
    }

    /** Up to {@code limit} most recent results of a stream, oldest first. */
    public List<FrameResult> recent(String stream, int limit) {
        ArrayDeque<FrameResult> q = recent.get(stream);
        if (q == null) return List.of();
        synchronized (q) {
            List<FrameResult> all = new ArrayList<>(q);
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }
    }

    public void forget(String stream) {
        recent.remove(stream);
    }
}
