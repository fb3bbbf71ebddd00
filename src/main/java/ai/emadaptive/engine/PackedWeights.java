package ai.emadaptive.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Weights reordered into the layouts oneDNN's primitives chose, each layout of each tensor made once: the plans for
 * different batch sizes usually choose the same layout and then share one copy.
 */
final class PackedWeights implements AutoCloseable {
    private record Pack(dnnl_memory_desc_t desc, BytePointer data) {}

    private final Map<String, List<Pack>> packs = new HashMap<>();

    /**
     * The tensor {@code name} in layout {@code chosen}: reordered now from {@code user} (described by {@code userDesc})
     * unless a copy in that layout exists.
     */
    Pointer get(DnnlContext ctx, String name, dnnl_memory_desc_t chosen, dnnl_memory_desc_t userDesc, Pointer user) {
        List<Pack> list = packs.computeIfAbsent(name, k -> new ArrayList<>());
        for (Pack p : list) if (dnnl_memory_desc_equal(p.desc, chosen) != 0) return p.data;
        dnnl_memory_desc_t copy = new dnnl_memory_desc_t();
        copy.put(chosen);
        BytePointer data = new BytePointer(dnnl_memory_desc_get_size(chosen));
        try (Reorder once = new Reorder(ctx, userDesc, user, copy, data)) {
            once.run();
        }
        list.add(new Pack(copy, data));
        return data;
    }

    /** Bytes held, all layouts together. */
    long bytes() {
        return packs.values().stream()
                .flatMap(List::stream)
                .mapToLong(p -> p.data.capacity())
                .sum();
    }

    @Override
    public void close() {
        for (List<Pack> list : packs.values()) for (Pack p : list) p.data.close();
        packs.clear();
    }
}
