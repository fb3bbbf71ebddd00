package ai.emadaptive.data;

/** Per-channel mean and standard deviation of pixels scaled to [0, 1]; stored in the model artifact. */
public record Normalisation(float[] mean, float[] std) {

    public static Normalisation of(ImageSet set) {
        double[] sum = new double[3];
        double[] sq = new double[3];
        byte[] p = set.pixels();
        for (int i = 0; i < p.length; i++) {
            double v = (p[i] & 0xff) / 255.0;
            sum[i % 3] += v;
            sq[i % 3] += v * v;
        }
        long n = p.length / 3;
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            double m = sum[c] / n;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(1e-12, sq[c] / n - m * m));
        }
        return new Normalisation(mean, std);
    }
}
