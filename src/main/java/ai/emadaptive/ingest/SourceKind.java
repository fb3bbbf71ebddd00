package ai.emadaptive.ingest;

/** Where frames come from; decides pacing and whether a failure is retried. */
public enum SourceKind {
    /** A recorded file: replayed at its own frame rate or as fast as possible; not retried. */
    FILE,
    /** RTSP, HTTP(S), UDP/MPEG-TS, RTMP, SRT: live, reconnected with backoff when it fails. */
    NETWORK,
    /** A V4L2 camera device (v4l2:///dev/videoN): live, reopened with backoff. */
    DEVICE
}
