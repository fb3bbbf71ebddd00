package ai.emadaptive.api;

import ai.emadaptive.output.PreviewFrame;
import ai.emadaptive.service.PipelineService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Live view: {@code GET /api/streams/{id}/mjpeg} answers multipart/x-mixed-replace with the stream's overlaid frames
 * (MJPEG, shown by any browser's img tag). Frames are JPEG-encoded off the event loop, only while someone watches.
 */
@ApplicationScoped
public class MjpegRoute {
    private static final String BOUNDARY = "emadaptiveframe";

    private final PipelineService service;

    MjpegRoute(PipelineService service) {
        this.service = service;
    }

    void register(@Observes Router router, Vertx vertx) {
        router.get("/api/streams/:id/mjpeg").handler(ctx -> serve(ctx, vertx));
    }

    private void serve(RoutingContext ctx, Vertx vertx) {
        String id = ctx.pathParam("id");
        var preview = service.pipeline().flatMap(p -> p.preview(id));
        if (preview.isEmpty()) {
            ctx.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"no stream " + id.replaceAll("[^A-Za-z0-9_.-]", "") + "\"}");
            return;
        }
        HttpServerResponse res = ctx.response();
        res.setChunked(true);
        res.putHeader("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
        res.putHeader("Cache-Control", "no-store");
        PreviewFrame frame = preview.get();
        frame.watch();
        long[] last = {-1};
        // look for a new frame as often as the preview takes one (emadaptive.pipeline.preview-fps)
        long timer = vertx.setPeriodic(
                frame.intervalMillis(),
                t -> vertx.executeBlocking(
                                () -> {
                                    long seq = frame.sequence();
                                    if (seq == last[0]) {
                                        frame.watch();
                                        return null;
                                    }
                                    last[0] = seq;
                                    return frame.jpeg();
                                },
                                false)
                        .onSuccess(jpeg -> {
                            if (jpeg == null || res.closed() || res.ended()) return;
                            if (res.writeQueueFull()) return; // slow viewer: skip frames instead of buffering them
                            res.write(Buffer.buffer("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: "
                                    + jpeg.length + "\r\n\r\n"));
                            res.write(Buffer.buffer(jpeg));
                            res.write(Buffer.buffer("\r\n"));
                        }));
        res.closeHandler(v -> vertx.cancelTimer(timer));
        res.exceptionHandler(e -> vertx.cancelTimer(timer));
    }
}
