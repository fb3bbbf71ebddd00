package ai.emadaptive.api;

import ai.emadaptive.service.ServiceConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Writes to the API (anything but GET/HEAD/OPTIONS under /api) need the configured token, as a bearer token or an
 * {@code X-API-Key} header; reads, health and metrics stay open. Without a configured token every write is refused.
 */
public class WriteAuthFilter {
    public static final String API_KEY_HEADER = "X-API-Key";

    private final Optional<byte[]> token;

    WriteAuthFilter(ServiceConfig config) {
        token = config.api().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) return Optional.empty();
        if (!request.getUriInfo().getPath().startsWith("/api")) return Optional.empty();
        if (token.isEmpty())
            return Optional.of(unauthorized("writes are disabled: no API token configured (emadaptive.api.token)"));
        String given = request.getHeaderString(API_KEY_HEADER);
        String auth = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7))
            given = auth.substring(7).trim();
        if (given == null)
            return Optional.of(unauthorized(
                    "missing token: send 'Authorization: Bearer <token>' or '" + API_KEY_HEADER + ": <token>'"));
        if (!MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8)))
            return Optional.of(unauthorized("invalid token"));
        return Optional.empty();
    }

    private static Response unauthorized(String why) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(why))
                .build();
    }
}
