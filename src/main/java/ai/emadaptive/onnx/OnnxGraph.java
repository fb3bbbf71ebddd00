package ai.emadaptive.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX graph being built: inputs, outputs, float initializers and nodes, written as a complete ModelProto
 * (IR version 8, opset 13). Tensors are float32; a dimension of -1 is the symbolic batch size {@code N}.
 */
final class OnnxGraph {
    static final int OPSET = 13;
    private static final int IR_VERSION = 8;
    private static final int FLOAT = 1;

    private final String name;
    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();

    OnnxGraph(String name) {
        this.name = name;
    }

    /** A node attribute: a list of ints, or one int when {@code ints} is null. */
    record Attr(String name, long[] ints, long i) {
        static Attr ints(String name, long... values) {
            return new Attr(name, values, 0);
        }

        static Attr i(String name, long value) {
            return new Attr(name, null, value);
        }

        Proto proto() {
            Proto p = new Proto().string(1, name);
            if (ints != null) {
                for (long v : ints) p.varint(8, v);
                p.varint(20, 7); // INTS
            } else {
                p.varint(3, i).varint(20, 2); // INT
            }
            return p;
        }
    }

    String input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
        return name;
    }

    void output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
    }

    /** A constant float tensor, row-major. */
    String initializer(String name, float[] data, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        if (n != data.length)
            throw new IllegalArgumentException(
                    name + ": " + data.length + " values for shape " + java.util.Arrays.toString(dims));
        ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        Proto t = new Proto();
        for (long d : dims) t.varint(1, d);
        t.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
        initializers.add(t);
        return name;
    }

    /** Adds a node; returns the name of its (single) output. */
    String node(String op, String output, List<String> in, Attr... attrs) {
        Proto n = new Proto();
        for (String i : in) n.string(1, i);
        n.string(2, output).string(3, output).string(4, op);
        for (Attr a : attrs) n.message(5, a.proto());
        nodes.add(n);
        return output;
    }

    byte[] model(String docString) {
        Proto g = new Proto();
        for (Proto n : nodes) g.message(1, n);
        g.string(2, name);
        for (Proto t : initializers) g.message(5, t);
        for (Proto i : inputs) g.message(11, i);
        for (Proto o : outputs) g.message(12, o);
        Proto opset = new Proto().string(1, "").varint(2, OPSET);
        return new Proto()
                .varint(1, IR_VERSION)
                .string(2, "em-adaptive")
                .string(6, docString)
                .message(7, g)
                .message(8, opset)
                .toBytes();
    }

    private static Proto valueInfo(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) shape.message(1, d < 0 ? new Proto().string(2, "N") : new Proto().varint(1, d));
        Proto tensor = new Proto().varint(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }
}
