package ai.emadaptive.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tensors of one network, by {@link Names} name, in {@link ParamLayout} order. */
public final class Weights {
    private final ModelSpec spec;
    private final Map<String, INDArray> tensors;

    public Weights(ModelSpec spec, Map<String, INDArray> tensors) {
        this.spec = spec;
        ParamLayout layout = new ParamLayout(spec);
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (ParamLayout.Param p : layout.all()) {
            INDArray a = tensors.get(p.name());
            if (a == null) throw new IllegalArgumentException("missing tensor " + p.name());
            if (!java.util.Arrays.equals(a.shape(), p.shape())) {
                throw new IllegalArgumentException(
                        "tensor " + p.name() + " has shape " + java.util.Arrays.toString(a.shape())
                                + ", the architecture needs " + java.util.Arrays.toString(p.shape()));
            }
            ordered.put(p.name(), a);
        }
        for (String name : tensors.keySet()) {
            if (!layout.contains(name)) throw new IllegalArgumentException("unexpected tensor " + name);
        }
        this.tensors = Collections.unmodifiableMap(ordered);
    }

    /**
     * He-initialised weights (convs: normal with std sqrt(2/fan-in); dense: uniform +-1/sqrt(fan-in));
     * BN gamma 1, beta 0, running mean 0, variance 1.
     */
    public static Weights init(ModelSpec spec, long seed) {
        Random rnd = new Random(seed);
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (ParamLayout.Param p : new ParamLayout(spec).all()) {
            float[] v = new float[Math.toIntExact(p.size())];
            switch (p.kind()) {
                case CONV_W -> {
                    double std = Math.sqrt(2.0 / p.fanIn());
                    for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
                }
                case DENSE_W -> {
                    double bound = 1.0 / Math.sqrt(p.fanIn());
                    for (int i = 0; i < v.length; i++) v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                }
                case BN_GAMMA, BN_VAR -> java.util.Arrays.fill(v, 1f);
                case BIAS, BN_BETA, BN_MEAN -> {}
            }
            m.put(p.name(), Nd4j.create(v, p.shape(), 'c'));
        }
        return new Weights(spec, m);
    }

    /**
     * Fresh weights for {@code spec} whose backbone (stem and stages) is copied from {@code source}: how a trained
     * backbone gets another kind of exit head. A backbone that does not match is refused by the constructor.
     */
    public static Weights withBackboneOf(ModelSpec spec, Weights source, long seed) {
        Map<String, INDArray> m = new LinkedHashMap<>(init(spec, seed).all());
        m.replaceAll((name, fresh) ->
                Names.isHead(name) ? fresh : source.tensors.get(name).dup());
        return new Weights(spec, m);
    }

    public ModelSpec spec() {
        return spec;
    }

    public INDArray get(String name) {
        INDArray a = tensors.get(name);
        if (a == null) throw new IllegalArgumentException("no tensor named " + name);
        return a;
    }

    public Map<String, INDArray> all() {
        return tensors;
    }

    /** A deep copy, e.g. to snapshot a training run. */
    public Weights copy() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> m.put(k, v.dup()));
        return new Weights(spec, m);
    }

    public Weights castTo(DataType type) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> m.put(k, v.castTo(type)));
        return new Weights(spec, m);
    }
}
