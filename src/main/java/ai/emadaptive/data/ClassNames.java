package ai.emadaptive.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YOLO data set's class names and the file they came from (for messages such as "class 9 is not in data.yaml's 7
 * names"). data.yaml is read as a YAML node tree, not as Java objects, so a class called {@code no} or {@code 1} keeps
 * its name rather than becoming a boolean or a number.
 */
record ClassNames(List<String> names, String source) {
    static ClassNames of(Path root) {
        for (String yaml : List.of("data.yaml", "data.yml")) {
            Path f = root.resolve(yaml);
            if (Files.isRegularFile(f)) return new ClassNames(unique(fromYaml(f), f), yaml);
        }
        Path txt = root.resolve("classes.txt");
        if (Files.isRegularFile(txt)) return new ClassNames(unique(fromText(txt), txt), "classes.txt");
        throw new DataException(root + ": no data.yaml, data.yml or classes.txt with the class names");
    }

    /** {@code names:} as a list (block or flow) or a map of 0..n-1 (block or flow); {@code nc:}, when there, must agree. */
    static List<String> fromYaml(Path file) {
        Node doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml().compose(r);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (YAMLException e) {
            throw new DataException(file + ": not valid YAML (" + e.getMessage().replace('\n', ' ') + ")");
        }
        if (!(doc instanceof MappingNode top)) throw new DataException(file + ": expected keys such as names: and nc:");
        Node namesNode = null, ncNode = null;
        for (NodeTuple t : top.getValue()) {
            String key = scalar(t.getKeyNode(), file, "a key");
            if (key.equals("names")) namesNode = t.getValueNode();
            if (key.equals("nc")) ncNode = t.getValueNode();
        }
        if (namesNode == null) throw new DataException(file + ": no names: (the class names)");
        List<String> names = new ArrayList<>();
        if (namesNode instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) names.add(name(n, file));
        } else if (namesNode instanceof MappingNode map) {
            TreeMap<Integer, String> byIndex = new TreeMap<>();
            for (NodeTuple t : map.getValue()) {
                String k = scalar(t.getKeyNode(), file, "a class index");
                int index;
                try {
                    index = Integer.parseInt(k.trim());
                } catch (NumberFormatException e) {
                    throw new DataException(file + ": names: key '" + k + "' is not a class index 0, 1, ...");
                }
                if (byIndex.put(index, name(t.getValueNode(), file)) != null) {
                    throw new DataException(file + ": names: index " + index + " appears twice");
                }
            }
            for (int i = 0; i < byIndex.size(); i++) {
                if (!byIndex.containsKey(i)) {
                    throw new DataException(
                            file + ": names: keys must be 0.." + (byIndex.size() - 1) + ", found " + byIndex.keySet());
                }
            }
            names.addAll(byIndex.values());
        } else {
            throw new DataException(file + ": names: must be a list or a map of index: name");
        }
        if (names.isEmpty()) throw new DataException(file + ": names: is empty");
        if (ncNode != null) {
            String nc = scalar(ncNode, file, "nc");
            if (!nc.trim().equals(String.valueOf(names.size()))) {
                throw new DataException(file + ": nc: " + nc + " but names: has " + names.size() + " names");
            }
        }
        return names;
    }

    /** Label Studio's classes.txt: one name per line; blank lines only at the end. */
    static List<String> fromText(Path file) {
        List<String> lines = LabelFiles.lines(file);
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) end--;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < end; i++) {
            String n = lines.get(i).trim();
            if (n.isEmpty())
                throw LabelFiles.at(
                        file.getFileName().toString(), i + 1, "empty class name (the line number is the class index)");
            names.add(n);
        }
        if (names.isEmpty()) throw new DataException(file + ": no class names");
        return names;
    }

    private static List<String> unique(List<String> names, Path file) {
        Set<String> seen = new HashSet<>();
        for (String n : names) if (!seen.add(n)) throw new DataException(file + ": class '" + n + "' appears twice");
        return List.copyOf(names);
    }

    private static String name(Node n, Path file) {
        String s = scalar(n, file, "a class name").trim();
        if (s.isEmpty()) throw new DataException(file + ": names: has an empty class name");
        return s;
    }

    private static String scalar(Node n, Path file, String what) {
        if (n instanceof ScalarNode s) return s.getValue();
        throw new DataException(file + ": line " + (n.getStartMark().getLine() + 1) + ": expected " + what + ", got a "
                + n.getNodeId());
    }
}
