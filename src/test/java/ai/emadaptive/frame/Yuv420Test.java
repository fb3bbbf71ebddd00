package ai.emadaptive.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Yuv420Test {
    @Test
    void layoutOfOddSizes() {
        assertEquals(5, Yuv420.chromaWidth(9));
        assertEquals(4, Yuv420.chromaHeight(7));
        assertEquals(9 * 7 + 2 * 5 * 4, Yuv420.length(9, 7));
        assertEquals(63, Yuv420.uOffset(9, 7));
        assertEquals(83, Yuv420.vOffset(9, 7));
    }
}
