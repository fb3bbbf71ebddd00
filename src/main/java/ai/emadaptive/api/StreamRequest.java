package ai.emadaptive.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /api/streams. */
@Schema(description = "A stream to start")
public record StreamRequest(
        @Schema(description = "Stream id: letters, digits, '.', '_' or '-'", example = "or-2", required = true)
        String id,

        @Schema(
                description =
                        "File path in an allowed folder, or rtsp://, http(s)://, udp://, rtmp://, srt://, v4l2:///dev/videoN",
                example = "sample-videos/mixed-procedure.mp4",
                required = true)
        String url,

        @Schema(description = "Name of the model to run (emadaptive.models.<name>); default: the default model")
        String model,

        @Schema(
                description =
                        "Router lambda (finite; higher = earlier exits, below 0 favours depth); default: the model's")
        Double lambda,

        @Schema(description = "Files: replay at the clip's frame rate (default true) or as fast as possible")
        Boolean realtime,

        @Schema(description = "Files: loop at the end (default false)")
        Boolean loop,

        @Schema(description = "Record overlaid frames to MP4 (default false)")
        Boolean record,

        @Schema(description = "Let the node's controller set lambda from load (default false)")
        Boolean adaptive) {}
