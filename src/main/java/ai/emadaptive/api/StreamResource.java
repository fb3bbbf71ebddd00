package ai.emadaptive.api;

import ai.emadaptive.ingest.Secrets;
import ai.emadaptive.ingest.SourceRejectedException;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.service.FrameResultLog;
import ai.emadaptive.service.PipelineService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Streams of this node: list, add, remove, status, lambda, recent results, latest frame. */
@Path("/api/streams")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "streams")
@SecurityScheme(
        securitySchemeName = "token",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description =
                "emadaptive.api.token, as 'Authorization: Bearer <token>' or 'X-API-Key: <token>'; needed for writes")
public class StreamResource {
    private final PipelineService service;
    private final FrameResultLog log;

    StreamResource(PipelineService service, FrameResultLog log) {
        this.service = service;
        this.log = log;
    }

    @GET
    @Operation(summary = "All streams with their state and counters")
    public List<StreamStatus> list() {
        return service.pipeline()
                .map(p -> p.streams().stream().map(s -> status(p, s)).toList())
                .orElse(List.of());
    }

    @POST
    @Operation(summary = "Start a stream")
    @SecurityRequirement(name = "token")
    public Response add(StreamRequest req) {
        Pipeline p = pipeline();
        if (req == null) return bad(Response.Status.BAD_REQUEST, "body required: {\"id\": ..., \"url\": ...}");
        StreamSpec spec;
        try {
            spec = StreamSpec.of(req.id(), req.url())
                    .withModel(req.model())
                    .withLambda(req.lambda())
                    .withRealtime(req.realtime() == null || req.realtime())
                    .withLoop(req.loop() != null && req.loop())
                    .withRecord(req.record() != null && req.record())
                    .withAdaptive(req.adaptive() != null && req.adaptive());
        } catch (IllegalArgumentException e) {
            return bad(Response.Status.BAD_REQUEST, e.getMessage());
        }
        var directory = service.directory();
        if (directory.isPresent()) {
            try {
                p.policy().check(spec.url()); // refuse bad URLs here, before any instance tries them
                directory.get().put(spec);
            } catch (SourceRejectedException e) {
                return bad(Response.Status.BAD_REQUEST, e.getMessage());
            } catch (Exception e) {
                return bad(Response.Status.SERVICE_UNAVAILABLE, "cannot reach the stream directory: " + e.getMessage());
            }
            return Response.accepted(
                            new ApiError("stream " + spec.id() + " published; the instance that owns it starts it"))
                    .build();
        }
        try {
            StreamContext s = p.add(spec);
            return Response.created(URI.create("/api/streams/" + s.id()))
                    .entity(status(p, s))
                    .build();
        } catch (SourceRejectedException | IllegalArgumentException e) {
            return bad(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            return bad(Response.Status.CONFLICT, e.getMessage());
        }
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One stream's state, last error and counters")
    public Response get(@PathParam("id") String id) {
        Pipeline p = pipeline();
        return p.stream(id).map(s -> Response.ok(status(p, s)).build()).orElseGet(() -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Stop and remove a stream")
    @SecurityRequirement(name = "token")
    public Response remove(@PathParam("id") String id) {
        var directory = service.directory();
        if (directory.isPresent()) {
            try {
                directory.get().remove(id);
            } catch (Exception e) {
                return bad(Response.Status.SERVICE_UNAVAILABLE, "cannot reach the stream directory: " + e.getMessage());
            }
            return Response.accepted().build();
        }
        if (!pipeline().remove(id)) return notFound(id);
        log.forget(id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/lambda")
    @Operation(summary = "The stream's router lambda")
    public Response lambda(@PathParam("id") String id) {
        Pipeline p = pipeline();
        return p.stream(id).map(s -> Response.ok(setting(p, s)).build()).orElseGet(() -> notFound(id));
    }

    @PUT
    @Path("{id}/lambda")
    @Operation(summary = "Set the stream's router lambda (and optionally pin an exit); applies from the next frame")
    @SecurityRequirement(name = "token")
    public Response setLambda(@PathParam("id") String id, LambdaSetting setting) {
        if (setting == null)
            return bad(Response.Status.BAD_REQUEST, "body required: {\"lambda\": ...} or {\"mode\": \"adaptive\"}");
        Pipeline p = pipeline();
        var found = p.stream(id);
        if (found.isEmpty()) return notFound(id);
        String problem = setting.problem();
        if (problem != null) return bad(Response.Status.BAD_REQUEST, problem);
        try {
            if ("adaptive".equals(setting.mode())) {
                p.adaptive(id, true, null);
            } else {
                if (setting.lambda() != null) found.get().lambda(setting.lambda());
                p.adaptive(id, false, setting.lambda());
            }
            if (setting.pinnedExit() != null) found.get().pinnedExit(setting.pinnedExit());
        } catch (IllegalArgumentException e) {
            return bad(Response.Status.BAD_REQUEST, e.getMessage());
        }
        return Response.ok(setting(p, found.get())).build();
    }

    @GET
    @Path("{id}/results")
    @Operation(summary = "The stream's most recent per-frame results, oldest first")
    public Response results(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") String limitParam) {
        int limit;
        try {
            limit = Integer.parseInt(limitParam.trim());
        } catch (NumberFormatException e) {
            // taken as text so a malformed number is a 400 naming it, not the 404 a failed parameter conversion gives
            return bad(Response.Status.BAD_REQUEST, "limit must be a whole number, not '" + limitParam + "'");
        }
        if (pipeline().stream(id).isEmpty()) return notFound(id);
        List<FrameResult> r = log.recent(id, Math.max(1, Math.min(limit, 300)));
        return Response.ok(r).build();
    }

    @GET
    @Path("{id}/frame.jpg")
    @Produces("image/jpeg")
    @Operation(summary = "The latest overlaid frame as JPEG (204 until one is ready)")
    public Response frame(@PathParam("id") String id) {
        var preview = pipeline().preview(id);
        if (preview.isEmpty()) return notFound(id);
        byte[] jpeg = preview.get().jpeg();
        return jpeg == null
                ? Response.noContent().build()
                : Response.ok(jpeg).header("Cache-Control", "no-store").build();
    }

    private static LambdaSetting setting(Pipeline p, StreamContext s) {
        return new LambdaSetting(
                s.lambda(),
                s.pinnedExit(),
                s.adaptive() ? "adaptive" : "fixed",
                s.adaptive() ? p.control(s.modelName()).controller().settings().budgetMs() : null);
    }

    private StreamStatus status(Pipeline p, StreamContext s) {
        List<FrameResult> latest = log.recent(s.id(), 1);
        return StreamStatus.of(
                s, p.recording(s.id()).map(Object::toString).orElse(null), latest.isEmpty() ? null : latest.get(0));
    }

    private Pipeline pipeline() {
        return service.pipeline()
                .orElseThrow(() -> new jakarta.ws.rs.WebApplicationException(
                        bad(Response.Status.SERVICE_UNAVAILABLE, "no model loaded: see /q/health/ready")));
    }

    private static Response notFound(String id) {
        return bad(Response.Status.NOT_FOUND, "no stream " + id);
    }

    private static Response bad(Response.Status status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(Secrets.redact(message)))
                .build();
    }
}
