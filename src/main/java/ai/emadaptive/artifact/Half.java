package ai.emadaptive.artifact;

/**
 * IEEE 754 binary16 to and from float, as Java 17 has no {@code Float.floatToFloat16}. Rounds to nearest, ties to
 * even, like numpy's {@code astype(float16)}; values beyond binary16's range become infinities, which the codec
 * then refuses.
 */
final class Half {
    private Half() {}

    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1F) return (short) (sign | 0x7C00);
        if (e <= 0) {
            // subnormal: the value in units of 2^-24 is the 24-bit significand shifted right by 126 - exp
            int shift = 126 - exp;
            if (shift > 24) return (short) sign; // below half the smallest subnormal
            return (short) (sign | roundShift(mant | 0x800000, shift));
        }
        // a carry out of the mantissa moves into the exponent, which is the correct rounding (up to infinity)
        return (short) (sign | roundShift((e << 23) | mant, 13));
    }

    static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int e = (h >>> 10) & 0x1F;
        int m = h & 0x3FF;
        if (e == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (m << 13));
        if (e == 0) {
            float v = m * 0x1p-24f; // exact: at most 10 significant bits
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((e - 15 + 127) << 23) | (m << 13));
    }

    /** {@code v >> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int v, int shift) {
        int q = v >>> shift;
        int rem = v & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rem > halfway || (rem == halfway && (q & 1) == 1)) q++;
        return q;
    }
}
