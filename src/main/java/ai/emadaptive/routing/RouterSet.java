package ai.emadaptive.routing;

import ai.emadaptive.model.ModelSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The routers of exits 1..3, trained for a range of lambdas; stored in the artifact's manifest. At run time a
 * frame walks the exits and stops at the first whose router probability exceeds {@code threshold}.
 *
 * @param lambdas       the grid the routers were trained on (they interpolate between its values)
 * @param defaultLambda the lambda a service starts with
 * @param evidenceWeight the EM E-step's evidence weight they were fitted with (null: not known, e.g. in artifacts
 *                       written before it was recorded)
 * @param fittedOn      the images the routers were fitted on (null: not recorded): frames the network trained on
 *                      make every exit look right, so it matters whether they were new to it
 */
public record RouterSet(
        String method,
        List<Router> routers,
        double[] lambdas,
        double defaultLambda,
        double threshold,
        Double evidenceWeight,
        String fittedOn) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RouterSet(
            String method,
            List<Router> routers,
            double[] lambdas,
            double defaultLambda,
            double threshold,
            Double evidenceWeight) {
        this(method, routers, lambdas, defaultLambda, threshold, evidenceWeight, null);
    }

    /** The same routers with another default lambda, fitted on {@code fittedOn}. */
    public RouterSet withDefault(double lambda, String fittedOn) {
        return new RouterSet(method, routers, lambdas, lambda, threshold, evidenceWeight, fittedOn);
    }

    public Router router(int exit) {
        return routers.get(exit - 1);
    }

    /** The exit (1..4) a frame takes, from the cached features and logits of image i. */
    public int route(FeatureCache cache, int i, double lambda) {
        for (int e = 1; e < ModelSpec.STAGES; e++) {
            if (router(e).probability(cache.task(), cache.features()[e - 1][i], cache.logits()[e - 1][i], lambda)
                    > threshold) return e;
        }
        return ModelSpec.STAGES;
    }

    public long[] flops(int numClasses) {
        return routers.stream().mapToLong(r -> r.flops(numClasses)).toArray();
    }

    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    public static RouterSet fromJson(JsonNode node) {
        try {
            return JSON.treeToValue(node, RouterSet.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("routers: " + e.getOriginalMessage(), e);
        }
    }
}
