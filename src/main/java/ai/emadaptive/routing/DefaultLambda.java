package ai.emadaptive.routing;

/**
 * The lambda a service starts with: the largest on the routers' grid whose routing stays within a tolerance of the
 * full network's accuracy on the routing images, i.e. the cheapest routing that is as accurate as the network.
 */
public final class DefaultLambda {
    /** The measure of "as accurate as the full network" the routing targets use: half a point. */
    public static final double TOLERANCE = 0.005;

    private DefaultLambda() {}

    /**
     * @param lambdas    the grid
     * @param accuracies EM routing's accuracy at each lambda of the grid, on the routing images
     * @param full       the full network's accuracy on the same images
     * @return the largest lambda within {@code tolerance} of {@code full}; when none is (routers that never match the
     *         full network), the most accurate lambda, the larger one on a tie
     */
    public static double choose(double[] lambdas, double[] accuracies, double full, double tolerance) {
        if (lambdas.length == 0 || lambdas.length != accuracies.length) {
            throw new IllegalArgumentException(lambdas.length + " lambdas and " + accuracies.length + " accuracies");
        }
        double within = Double.NEGATIVE_INFINITY, best = lambdas[0], bestAccuracy = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < lambdas.length; i++) {
            if (accuracies[i] >= full - tolerance) within = Math.max(within, lambdas[i]);
            if (accuracies[i] > bestAccuracy || (accuracies[i] == bestAccuracy && lambdas[i] > best)) {
                best = lambdas[i];
                bestAccuracy = accuracies[i];
            }
        }
        return within != Double.NEGATIVE_INFINITY ? within : best;
    }
}
