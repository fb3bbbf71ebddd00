package ai.emadaptive.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shapes and FLOP counts of the multi-exit ResNet-18, checked against hand-computed values. */
class ArchitectureTest {

    @Test
    void cifarResNet18HasTheRealResNet18Size() {
        ModelSpec spec = ModelSpec.cifarResNet18(64, HeadType.MLP);
        ParamLayout layout = new ParamLayout(spec);
        // backbone of torchvision-style CIFAR ResNet-18: 11,168,832 conv + BN weights (without the 512x10 FC)
        long backbone = layout.all().stream()
                .filter(p -> !Names.isHead(p.name()) && !Names.isRunningStat(p.name()))
                .mapToLong(ParamLayout.Param::size)
                .sum();
        assertEquals(11_168_832L, backbone);
        assertArrayEquals(
                new long[] {128, 64, 3, 3}, layout.get(Names.conv1(2, 0)).shape());
        assertArrayEquals(
                new long[] {128, 64, 1, 1}, layout.get(Names.downConv(2, 0)).shape());
        assertTrue(!layout.contains(Names.downConv(1, 0)), "stage 1 keeps shape: identity shortcut");
        assertArrayEquals(new long[] {512, 10}, layout.get(Names.headOutW(4)).shape());
        assertEquals(32, spec.stageSize(1));
        assertEquals(4, spec.stageSize(4));
    }

    @Test
    void flopsFollowTheArchitecture() {
        ModelSpec spec = ModelSpec.cifarResNet18(64, HeadType.MLP);
        Flops f = new Flops(spec);
        assertEquals(2L * 3 * 64 * 9 * 32 * 32, f.stem());
        // stage 1: four 64->64 3x3 convs at 32x32
        assertEquals(4 * 2L * 64 * 64 * 9 * 32 * 32, f.stage(1));
        // stage 2: 64->128 3x3/2, three 128->128 3x3, 1x1/2 shortcut, all at 16x16
        assertEquals(2L * 256 * (64 * 128 * 9 + 3 * 128 * 128 * 9 + 64 * 128), f.stage(2));
        assertEquals(2L * (512 * 512 + 512 * 10), f.head(4));
        // the plain network: 0.556 GMACs (CIFAR ResNet-18 is usually quoted as 0.56 G)
        assertEquals(0.556, f.fullNetwork() / 2e9, 0.001);
        // cumulative costs near the seed's measured 0.27 / 0.51 / 0.75 / 1.00
        assertEquals(0.27, f.normalisedExitPath(1), 0.02);
        assertEquals(0.51, f.normalisedExitPath(2), 0.02);
        assertEquals(0.75, f.normalisedExitPath(3), 0.02);
        assertTrue(f.exitPath(4) > f.fullNetwork(), "the routed full path also pays for heads 1..3");
        Flops routed = new Flops(spec, new long[] {100, 200, 300});
        assertEquals(f.exitPath(2) + 300, routed.exitPath(2));
        assertEquals(f.exitPath(4) + 600, routed.exitPath(4));
    }

    @Test
    void imagenetStemAndConvHeads() {
        ModelSpec spec = new ModelSpec(64, 224, 3, Stem.IMAGENET, 5, HeadType.CONV);
        assertEquals(56, spec.stageSize(0));
        assertEquals(7, spec.stageSize(4));
        assertEquals(2, spec.convHeadStride(1));
        Flops f = new Flops(spec);
        assertEquals(2L * 3 * 64 * 49 * 112 * 112, f.stem());
        // exit 1 conv head: 64->64 3x3 stride 2 on 56x56 -> 28x28, then 64x5 dense
        assertEquals(2L * 64 * 64 * 9 * 28 * 28 + 2L * 64 * 5, f.head(1));
        // real ResNet-18 at 224: 1.82 GMACs for the backbone
        assertEquals(1.82, (f.fullNetwork() - f.head(4)) / 2e9, 0.01);
    }

    @Test
    void tooSmallInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(8, 0, 3, Stem.IMAGENET, 10, HeadType.MLP));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(8, 32, 3, Stem.CIFAR, 1, HeadType.MLP));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(0, 32, 3, Stem.CIFAR, 10, HeadType.MLP));
    }
}
