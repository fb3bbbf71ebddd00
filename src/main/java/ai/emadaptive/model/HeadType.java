package ai.emadaptive.model;

/** Exit classifier shape. */
public enum HeadType {
    /** The seed's head: global average pool, Linear(C, C), ReLU, Linear(C, classes). */
    MLP,
    /** A small conv head: 3x3 conv C->C (stride 2 while the map is larger than 4x4), BN, ReLU, pool, Linear(C, classes). */
    CONV
}
