package ai.emadaptive.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's classes matched to a data set's by name, so a model trained on one set can be scored or tuned on another
 * whose names are spelled differently (SpecimenBag, specimen bag, specimen_bag) or differ outright (aliases:
 * {@code clipper=clip-applier}). Several data classes may map to one model class; their targets then merge (present
 * if any is present). Classes on either side without a partner are listed, never silently dropped.
 */
public final class ClassMatch {
    private final List<String> modelClasses;
    private final List<String> dataClasses;
    private final int[] modelIndex;

    private ClassMatch(List<String> modelClasses, List<String> dataClasses, int[] modelIndex) {
        this.modelClasses = modelClasses;
        this.dataClasses = dataClasses;
        this.modelIndex = modelIndex;
    }

    /** Lower case, CamelCase split ({@code SpecimenBag} -> {@code specimen_bag}), spaces and '-' as '_', trimmed. */
    public static String normalise(String name) {
        String s = name.trim()
                .replaceAll("([\\p{Ll}\\d])(\\p{Lu})", "$1_$2")
                .replaceAll("(\\p{Lu})(\\p{Lu}\\p{Ll})", "$1_$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[\\s\\-_]+", "_");
        return s.replaceAll("^_+|_+$", "");
    }

    /**
     * @param aliases data-set name -> model name (from {@code --class-map}); both sides are normalised. An alias whose
     *                data name the data set lacks, or whose model name the model lacks, is an error: it is a typo.
     */
    public static ClassMatch of(List<String> modelClasses, List<String> dataClasses, Map<String, String> aliases) {
        Map<String, Integer> byName = new HashMap<>();
        for (int m = 0; m < modelClasses.size(); m++) {
            Integer before = byName.putIfAbsent(normalise(modelClasses.get(m)), m);
            if (before != null) {
                throw new IllegalArgumentException("the model's classes '" + modelClasses.get(before) + "' and '"
                        + modelClasses.get(m) + "' are the same name once normalised");
            }
        }
        List<String> dataNames = dataClasses.stream().map(ClassMatch::normalise).toList();
        Map<String, String> alias = new HashMap<>();
        for (Map.Entry<String, String> e : aliases.entrySet()) {
            String from = normalise(e.getKey()), to = normalise(e.getValue());
            if (!dataNames.contains(from)) {
                throw new IllegalArgumentException("--class-map " + e.getKey() + "=" + e.getValue()
                        + ": the data set has no class '" + e.getKey() + "' (it has " + dataClasses + ")");
            }
            if (!byName.containsKey(to)) {
                throw new IllegalArgumentException("--class-map " + e.getKey() + "=" + e.getValue()
                        + ": the model has no class '" + e.getValue() + "' (it has " + modelClasses + ")");
            }
            alias.put(from, to);
        }
        int[] index = new int[dataClasses.size()];
        for (int d = 0; d < index.length; d++) {
            String n = dataNames.get(d);
            index[d] = byName.getOrDefault(alias.getOrDefault(n, n), -1);
        }
        return new ClassMatch(List.copyOf(modelClasses), List.copyOf(dataClasses), index);
    }

    /** {@code data=model} items (an item may hold several, comma-separated) as data name -> model name, in order. */
    public static Map<String, String> parseAliases(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : pairs) {
            for (String pair : item.split(",", -1)) {
                String[] kv = pair.split("=", -1);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                    throw new IllegalArgumentException(
                            "--class-map: '" + pair.trim() + "' is not data-class=model-class");
                }
                String from = kv[0].trim(), to = kv[1].trim();
                String before = out.put(from, to);
                if (before != null && !before.equals(to)) {
                    throw new IllegalArgumentException(
                            "--class-map: '" + from + "' maps to both '" + before + "' and '" + to + "'");
                }
            }
        }
        return out;
    }

    /** The model's index of data class {@code dataClass}, or -1 when the model does not know it. */
    public int modelIndex(int dataClass) {
        return modelIndex[dataClass];
    }

    /** Data classes the model does not know: callers report them (their frames still count for the other classes). */
    public List<String> unknown() {
        List<String> out = new ArrayList<>();
        for (int d = 0; d < modelIndex.length; d++) if (modelIndex[d] < 0) out.add(dataClasses.get(d));
        return out;
    }

    /** Model classes the data set does not label: their targets are UNKNOWN. */
    public List<String> unlabelled() {
        boolean[] labelled = labelled();
        List<String> out = new ArrayList<>();
        for (int m = 0; m < labelled.length; m++) if (!labelled[m]) out.add(modelClasses.get(m));
        return out;
    }

    /**
     * Model-space targets of one data-space row: a model class the data does not label is UNKNOWN; one it labels takes
     * the data's value (of several data classes mapped to it: PRESENT if any is, else UNKNOWN if any is, else ABSENT).
     */
    public byte[] toModel(byte[] dataTargets) {
        if (dataTargets.length != modelIndex.length) {
            throw new IllegalArgumentException(
                    dataTargets.length + " targets for " + modelIndex.length + " data classes");
        }
        byte[] out = new byte[modelClasses.size()];
        Arrays.fill(out, ImageSet.UNKNOWN);
        boolean[] seen = new boolean[out.length];
        for (int d = 0; d < modelIndex.length; d++) {
            int m = modelIndex[d];
            if (m < 0) continue;
            out[m] = seen[m] ? merge(out[m], dataTargets[d]) : dataTargets[d];
            seen[m] = true;
        }
        return out;
    }

    private static byte merge(byte a, byte b) {
        if (a == ImageSet.PRESENT || b == ImageSet.PRESENT) return ImageSet.PRESENT;
        if (a == ImageSet.UNKNOWN || b == ImageSet.UNKNOWN) return ImageSet.UNKNOWN;
        return ImageSet.ABSENT;
    }

    private boolean[] labelled() {
        boolean[] l = new boolean[modelClasses.size()];
        for (int m : modelIndex) if (m >= 0) l[m] = true;
        return l;
    }
}
