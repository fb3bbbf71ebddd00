package ai.emadaptive.artifact;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Weights;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Weights} to and from {@code weights.bin}. Every number is little-endian, so numpy can read the file too:
 * <pre>
 *   "EMAW"  int32 version (1 or 2)  int32 tensorCount
 *   per tensor: uint16 nameLength, name (UTF-8), int32 rank, int64 dims[rank],
 *               version 2 only: uint8 encoding (0 float32, 1 IEEE binary16),
 *               data[prod(dims)] (C order)
 * </pre>
 * Float32 weights are written as version 1, which older builds and {@code gpu_train.py}'s files share; version 2
 * exists for {@link WeightPrecision#FLOAT16}.
 * Reading checks each tensor against the architecture before allocating it, so a corrupt header cannot ask for a
 * huge array, and rejects NaN and infinite values (a diverged training run should not become a servable model).
 */
final class WeightsCodec {
    private WeightsCodec() {}

    static final byte[] MAGIC = {'E', 'M', 'A', 'W'};
    static final int VERSION = 2;
    /** The version float32-only files are written as: the one that builds before float16 storage read. */
    private static final int FLOAT32_ONLY_VERSION = 1;

    private static final byte FLOAT32 = 0;
    private static final byte BINARY16 = 1;
    private static final int CHUNK = 1 << 20;
    private static final int MAX_RANK = 8;

    /** Writes every tensor as float32 (double weights are narrowed), or as {@code precision} says. */
    static void write(Weights weights, WeightPrecision precision, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        boolean tagged = precision != WeightPrecision.FLOAT32;
        buf.put(MAGIC)
                .putInt(tagged ? VERSION : FLOAT32_ONLY_VERSION)
                .putInt(weights.all().size());
        for (Map.Entry<String, INDArray> e : weights.all().entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > 0xFFFF) throw new ArtifactException("tensor name too long: " + e.getKey());
            long[] shape = e.getValue().shape();
            float[] data = e.getValue().castTo(DataType.FLOAT).dup('c').data().asFloat();
            checkFinite(e.getKey(), data);

            if (buf.remaining() < 2 + name.length + 4 + 8 * shape.length + 1) flush(buf, out);
            buf.putShort((short) name.length).put(name).putInt(shape.length);
            for (long d : shape) buf.putLong(d);
            boolean half = precision.halves(shape.length);
            if (tagged) buf.put(half ? BINARY16 : FLOAT32);
            if (half) {
                writeHalf(e.getKey(), data, buf, out);
                continue;
            }
            for (int i = 0; i < data.length; ) {
                if (buf.remaining() < Float.BYTES) flush(buf, out);
                int n = Math.min(data.length - i, buf.remaining() / Float.BYTES);
                buf.asFloatBuffer().put(data, i, n);
                buf.position(buf.position() + n * Float.BYTES);
                i += n;
            }
        }
        flush(buf, out);
    }

    private static void writeHalf(String name, float[] data, ByteBuffer buf, OutputStream out) throws IOException {
        for (int i = 0; i < data.length; i++) {
            short h = Half.fromFloat(data[i]);
            if ((h & 0x7C00) == 0x7C00) {
                throw new ArtifactException("tensor " + name + " holds " + data[i] + " at flat index " + i
                        + ", beyond float16's range: write it as FLOAT32");
            }
            if (buf.remaining() < Short.BYTES) flush(buf, out);
            buf.putShort(h);
        }
    }

    /** Reads weights for {@code spec}; every tensor of its {@link ParamLayout} must be present with its exact shape. */
    static Weights read(InputStream in, ModelSpec spec) throws IOException {
        LittleEndianInput r = new LittleEndianInput(in);
        ParamLayout layout = new ParamLayout(spec);

        byte[] magic = new byte[MAGIC.length];
        r.need(magic.length, "header").get(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new ArtifactException("weights.bin is not an EMAW weights file");
        int version = r.need(4, "header").getInt();
        if (version > VERSION) {
            throw new ArtifactException(
                    "weights.bin version " + version + " is newer than this build supports (" + VERSION + ")");
        }
        if (version < 1) throw new ArtifactException("weights.bin version " + version + " is not a valid version");
        int count = r.need(4, "header").getInt();
        if (count < 0) throw new ArtifactException("weights.bin has a negative tensor count");

        Map<String, INDArray> tensors = new LinkedHashMap<>();
        String last = "header";
        for (int t = 0; t < count; t++) {
            String where = "after tensor " + last;
            byte[] nameBytes = new byte[Short.toUnsignedInt(r.need(2, where).getShort())];
            r.need(nameBytes.length, where).get(nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            if (!layout.contains(name))
                throw new ArtifactException(
                        "weights.bin has tensor " + name + ", which the architecture does not have");
            if (tensors.containsKey(name)) throw new ArtifactException("weights.bin has tensor " + name + " twice");

            int rank = r.need(4, "tensor " + name).getInt();
            if (rank < 0 || rank > MAX_RANK)
                throw new ArtifactException("weights.bin tensor " + name + " has rank " + rank);
            long[] shape = new long[rank];
            ByteBuffer dims = r.need(8 * rank, "tensor " + name);
            for (int i = 0; i < rank; i++) shape[i] = dims.getLong();
            long[] need = layout.get(name).shape();
            if (!Arrays.equals(shape, need)) {
                throw new ArtifactException("tensor " + name + " has shape " + Arrays.toString(shape)
                        + " but the architecture needs " + Arrays.toString(need));
            }

            byte encoding =
                    version > FLOAT32_ONLY_VERSION ? r.need(1, "tensor " + name).get() : FLOAT32;
            if (encoding != FLOAT32 && encoding != BINARY16) {
                throw new ArtifactException("weights.bin tensor " + name + " has unknown encoding " + encoding);
            }
            float[] data = new float[Math.toIntExact(layout.get(name).size())];
            int width = encoding == FLOAT32 ? Float.BYTES : Short.BYTES;
            for (int i = 0; i < data.length; ) {
                int n = Math.min(data.length - i, CHUNK / width);
                ByteBuffer b = r.need(n * width, "tensor " + name);
                if (encoding == FLOAT32) {
                    b.asFloatBuffer().get(data, i, n);
                } else {
                    for (int k = 0; k < n; k++) data[i + k] = Half.toFloat(b.getShort());
                }
                i += n;
            }
            checkFinite(name, data);
            tensors.put(name, Nd4j.create(data, shape, 'c'));
            last = name;
        }
        for (ParamLayout.Param p : layout.all()) {
            if (!tensors.containsKey(p.name())) throw new ArtifactException("weights.bin lacks tensor " + p.name());
        }
        if (in.read() >= 0) throw new ArtifactException("weights.bin has data after its last tensor");
        try {
            return new Weights(spec, tensors);
        } catch (IllegalArgumentException e) { // the checks above should make this unreachable
            throw new ArtifactException("weights.bin: " + e.getMessage(), e);
        }
    }

    private static void checkFinite(String name, float[] data) {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new ArtifactException("tensor " + name + " holds " + data[i] + " at flat index " + i);
            }
        }
    }

    private static void flush(ByteBuffer buf, OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /** Exact-length little-endian reads from a stream through one reused buffer. */
    private static final class LittleEndianInput {
        private final InputStream in;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

        LittleEndianInput(InputStream in) {
            this.in = in;
        }

        /** The next {@code n} (at most CHUNK) bytes; {@code what} names the part being read if the file ends first. */
        ByteBuffer need(int n, String what) throws IOException {
            buf.clear();
            int got = in.readNBytes(buf.array(), 0, n);
            if (got < n) throw new ArtifactException("weights.bin ends early (" + what + ")");
            buf.limit(n);
            return buf;
        }
    }
}
