package ai.emadaptive.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassMatchTest {
    private static final byte P = ImageSet.PRESENT, A = ImageSet.ABSENT, U = ImageSet.UNKNOWN;

    @Test
    void normaliseSplitsCamelCaseAndUnifiesSeparators() {
        assertEquals("specimen_bag", ClassMatch.normalise("SpecimenBag"));
        assertEquals("specimen_bag", ClassMatch.normalise(" Specimen Bag "));
        assertEquals("specimen_bag", ClassMatch.normalise("specimen-bag"));
        assertEquals("specimen_bag", ClassMatch.normalise("specimen_bag"));
        assertEquals("clip_applier", ClassMatch.normalise("Clip - Applier"));
        assertEquals("calot_triangle_dissection", ClassMatch.normalise("CalotTriangleDissection"));
        assertEquals("usb_port", ClassMatch.normalise("USBPort"));
        assertEquals("grasper", ClassMatch.normalise("GRASPER"));
        assertEquals("tool2", ClassMatch.normalise("tool2"));
    }

    @Test
    void matchesByNormalisedNameAndAliasAndListsBothSidesLeftOver() {
        List<String> model = List.of("grasper", "hook", "clip-applier", "specimen_bag", "suction");
        List<String> data = List.of("Grasper", "Bipolar", "Hook", "Scissors", "Clipper", "Irrigator", "SpecimenBag");
        ClassMatch m = ClassMatch.of(model, data, ClassMatch.parseAliases(List.of("clipper=clip_applier")));
        assertEquals(0, m.modelIndex(0));
        assertEquals(-1, m.modelIndex(1));
        assertEquals(1, m.modelIndex(2));
        assertEquals(2, m.modelIndex(4));
        assertEquals(3, m.modelIndex(6));
        assertEquals(List.of("Bipolar", "Scissors", "Irrigator"), m.unknown());
        assertEquals(List.of("suction"), m.unlabelled());
        //                             Grasper Bipolar Hook Scissors Clipper Irrigator SpecimenBag
        assertArrayEquals(new byte[] {P, A, U, A, U}, m.toModel(new byte[] {P, P, A, P, U, A, A}));
        assertArrayEquals(new byte[] {A, P, P, P, U}, m.toModel(new byte[] {A, A, P, A, P, A, P}));
        assertThrows(IllegalArgumentException.class, () -> m.toModel(new byte[3]));
    }

    @Test
    void withoutAliasesAnUnmatchedNameIsUnknownNotDropped() {
        ClassMatch m = ClassMatch.of(List.of("clip-applier", "hook"), List.of("clipper", "hook"), Map.of());
        assertEquals(List.of("clipper"), m.unknown());
        assertEquals(List.of("clip-applier"), m.unlabelled());
        assertArrayEquals(new byte[] {U, P}, m.toModel(new byte[] {P, P}));
    }

    @Test
    void dataClassesMappedToOneModelClassMerge() {
        ClassMatch m = ClassMatch.of(
                List.of("coagulator", "hook"),
                List.of("bipolar", "monopolar", "hook"),
                ClassMatch.parseAliases(List.of("bipolar=coagulator,monopolar=coagulator")));
        assertEquals(List.of(), m.unknown());
        assertArrayEquals(new byte[] {P, A}, m.toModel(new byte[] {A, P, A}));
        assertArrayEquals(new byte[] {U, A}, m.toModel(new byte[] {A, U, A}));
        assertArrayEquals(new byte[] {A, P}, m.toModel(new byte[] {A, A, P}));
    }

    @Test
    void parseAliasesAcceptsListsAndCommaItemsAndRejectsMalformedOnes() {
        assertEquals(
                Map.of("clipper", "clip-applier", "bag", "specimen_bag"),
                ClassMatch.parseAliases(List.of("clipper=clip-applier, bag = specimen_bag")));
        assertEquals(
                Map.of("clipper", "clip-applier", "bag", "specimen_bag"),
                ClassMatch.parseAliases(List.of("clipper=clip-applier", "bag=specimen_bag")));
        assertEquals(
                "--class-map: 'clipper' is not data-class=model-class",
                assertThrows(IllegalArgumentException.class, () -> ClassMatch.parseAliases(List.of("clipper")))
                        .getMessage());
        assertEquals(
                "--class-map: 'a=b=c' is not data-class=model-class",
                assertThrows(IllegalArgumentException.class, () -> ClassMatch.parseAliases(List.of("a=b=c")))
                        .getMessage());
        assertEquals(
                "--class-map: '=hook' is not data-class=model-class",
                assertThrows(IllegalArgumentException.class, () -> ClassMatch.parseAliases(List.of("=hook")))
                        .getMessage());
        assertEquals(
                "--class-map: 'clipper' maps to both 'a' and 'b'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ClassMatch.parseAliases(List.of("clipper=a,clipper=b")))
                        .getMessage());
    }

    @Test
    void aliasesNamingNoClassAreTypos() {
        List<String> model = List.of("clip-applier", "hook");
        List<String> data = List.of("clipper", "hook");
        assertEquals(
                "--class-map cliper=clip-applier: the data set has no class 'cliper' (it has [clipper, hook])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ClassMatch.of(model, data, Map.of("cliper", "clip-applier")))
                        .getMessage());
        assertEquals(
                "--class-map clipper=clip-aplier: the model has no class 'clip-aplier' (it has [clip-applier, hook])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ClassMatch.of(model, data, Map.of("clipper", "clip-aplier")))
                        .getMessage());
        assertEquals(
                "the model's classes 'SpecimenBag' and 'specimen bag' are the same name once normalised",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ClassMatch.of(List.of("SpecimenBag", "specimen bag"), data, Map.of()))
                        .getMessage());
    }
}
