package ai.emadaptive.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A body that is not the JSON an endpoint takes answers 400 with what is wrong, not an empty body. */
public final class BadJsonMapper {
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return answer(e);
    }

    /** The JSON reader wraps a parse error in a 400 without a body. */
    @ServerExceptionMapper
    public Response badRequest(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException j) return answer(j);
        return e.getResponse();
    }

    private static Response answer(JsonProcessingException e) {
        String what = e.getOriginalMessage();
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("the body is not valid JSON for this request: "
                        + (what == null
                                ? "unreadable"
                                : what.lines().findFirst().orElse(what))))
                .build();
    }
}
