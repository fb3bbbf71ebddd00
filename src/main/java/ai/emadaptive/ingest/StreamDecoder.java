package ai.emadaptive.ingest;

import ai.emadaptive.frame.DropReason;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import ai.emadaptive.frame.Yuv420;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.jboss.logging.Logger;

/**
 * Decodes one stream on its own thread (so a slow or stuck source never blocks another) and publishes frames to
 * its {@link FrameOutlet}. Files are paced at their own frame rate (or not at all) and optionally looped; live
 * sources are reopened with exponential backoff when they fail or end. Every failure ends up in the stream's state
 * and last error, never as an exception out of the thread. It also prepares each frame's network input
 * ({@link Preprocessor}), so that work runs in parallel across streams rather than on the one inference worker.
 */
public final class StreamDecoder implements Runnable {
    private static final Logger LOG = Logger.getLogger(StreamDecoder.class);

    /** Frames larger or smaller than this are refused: an absurd header must not make us allocate gigabytes. */
    public static final int MAX_SIDE = 8192, MIN_SIDE = 16;

    public static final long MAX_PIXELS = 8192L * 4320;

    private final DecodedStream stream;
    private final FrameOutlet outlet;
    private final Settings settings;
    private final Preprocessor preprocessor;
    private boolean fullProbe; // a live source whose picture size the short probe missed: probe it as FFmpeg does
    private boolean
            rtspUdp; // RTSP over UDP: the server refused TCP (RTSP is tried over TCP first: no loss, no NAT trouble)
    private boolean retryNow; // the next attempt changes something (the transport): no back-off before it
    private FramePool pool;

    /**
     * @param poolSize       frame buffers per stream (slot, inference, recorder queue, decoder)
     * @param ioTimeoutMicros network read/connect timeout given to FFmpeg
     * @param backoffMillis  first reconnect delay; doubles up to {@code maxBackoffMillis}
     * @param maxReconnects  live sources: attempts before giving up (0 = never give up)
     * @param decodeThreads  FFmpeg threads per stream's decoder (0 = FFmpeg's choice). One by default: streams
     *                       already decode in parallel, and each extra frame thread holds back a frame (33 ms at
     *                       30 fps of delay before the frame even reaches us) and costs synchronisation
     */
    public record Settings(
            int poolSize,
            long ioTimeoutMicros,
            long backoffMillis,
            long maxBackoffMillis,
            int maxReconnects,
            int decodeThreads) {
        public Settings withIoTimeoutMicros(long micros) {
            return new Settings(poolSize, micros, backoffMillis, maxBackoffMillis, maxReconnects, decodeThreads);
        }

        /** Frame buffers per stream: one in its slot, one in inference, recorder queue and decoder. */
        public static final int POOL_SIZE = 8;

        public static final long DEFAULT_IO_TIMEOUT_MS = 5000;
        public static final long DEFAULT_BACKOFF_MS = 250;
        // reconnects retried every half second at most: a camera back after any outage runs again within a second
        public static final long DEFAULT_MAX_BACKOFF_MS = 500;
        public static final int DEFAULT_MAX_RECONNECTS = 0;
        public static final int DEFAULT_DECODE_THREADS = 1;

        public static Settings defaults() {
            return of(
                    DEFAULT_IO_TIMEOUT_MS,
                    DEFAULT_BACKOFF_MS,
                    DEFAULT_MAX_BACKOFF_MS,
                    DEFAULT_MAX_RECONNECTS,
                    DEFAULT_DECODE_THREADS);
        }

        /** The configurable part, with {@link #POOL_SIZE} buffers per stream. */
        public static Settings of(
                long ioTimeoutMs, long backoffMs, long maxBackoffMs, int maxReconnects, int decodeThreads) {
            return new Settings(POOL_SIZE, ioTimeoutMs * 1000, backoffMs, maxBackoffMs, maxReconnects, decodeThreads);
        }
    }

    private final Runnable drain;
    private final SourcePolicy policy;

    /**
     * @param preprocessor this decoder's own (not shared), for the stream's model
     * @param drain        run when a file has been read to its end, before the stream reports ENDED (e.g. finish its recording)
     * @param policy       judges a network source's host again before each (re)connect
     */
    public StreamDecoder(
            DecodedStream stream,
            FrameOutlet outlet,
            Settings settings,
            Preprocessor preprocessor,
            Runnable drain,
            SourcePolicy policy) {
        this.stream = stream;
        this.outlet = outlet;
        this.settings = settings;
        this.preprocessor = preprocessor;
        this.drain = drain;
        this.policy = policy;
    }

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    @Override
    public void run() {
        SourceUrl src = stream.source();
        long backoff = settings.backoffMillis();
        int attempts = 0;
        try {
            while (!stream.stopRequested()) {
                String error;
                try {
                    admit(src);
                    boolean delivered = decodeOnce(src);
                    if (stream.stopRequested()) break;
                    if (!src.live()) {
                        drain.run();
                        stream.state(StreamState.ENDED, null);
                        return;
                    }
                    error = "stream ended";
                    if (delivered) {
                        backoff = settings.backoffMillis();
                        attempts = 0;
                    }
                } catch (SourceException e) {
                    error = e.getMessage();
                    if (!src.live() || e.permanent) {
                        stream.state(StreamState.FAILED, error);
                        LOG.warnf("stream %s failed: %s", stream.id(), Secrets.redact(error));
                        return;
                    }
                    if (e.delivered) {
                        backoff = settings.backoffMillis();
                        attempts = 0;
                    }
                }
                attempts++;
                if (settings.maxReconnects() > 0 && attempts > settings.maxReconnects()) {
                    stream.state(
                            StreamState.FAILED, error + " (gave up after " + settings.maxReconnects() + " reconnects)");
                    return;
                }
                if (retryNow) {
                    retryNow = false;
                    stream.state(StreamState.RECONNECTING, error);
                    LOG.infof("stream %s: %s", stream.id(), Secrets.redact(error));
                    continue;
                }
                stream.state(StreamState.RECONNECTING, error + "; retrying in " + backoff + " ms");
                LOG.infof("stream %s: %s; reconnecting in %d ms", stream.id(), Secrets.redact(error), backoff);
                sleepUnlessStopped(backoff);
                backoff = Math.min(settings.maxBackoffMillis(), backoff * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            stream.state(StreamState.FAILED, "decoder crashed: " + e);
            LOG.errorf(e, "stream %s decoder crashed", stream.id());
            return;
        }
        stream.state(StreamState.STOPPED, null);
    }

    /** Refuses a (re)connect to a host the policy no longer allows; retried, as a name may fail to resolve for a while. */
    private void admit(SourceUrl src) {
        try {
            policy.recheck(src);
        } catch (SourceRejectedException e) {
            throw new SourceException(e.getMessage(), false, false);
        }
    }

    /** Opens the source and decodes until it ends. @return whether any frame was delivered */
    private boolean decodeOnce(SourceUrl src) throws InterruptedException {
        boolean delivered = false;
        try (FfmpegInput input = new FfmpegInput(stream::stopRequested, settings.ioTimeoutMicros() * 1000);
                BgrConverter bgr = new BgrConverter()) {
            long openStart = System.nanoTime();
            String target = policy.openable(src); // secret references read once per open
            try {
                input.open(target, src.format(), options(src), settings.decodeThreads());
            } catch (FfmpegInput.InputException e) {
                if (stream.stopRequested()) return false;
                boolean notVideo =
                        e.code == avutil.AVERROR_STREAM_NOT_FOUND || e.code == avutil.AVERROR_DECODER_NOT_FOUND;
                if (notVideo && (src.kind() != SourceKind.NETWORK || fullProbe))
                    throw new SourceException(describe(src) + ": " + e.getMessage(), true, false);
                if (!notVideo) {
                    String transport = switchRtspTransport(src, e.code);
                    throw new SourceException(
                            "cannot open " + describe(src) + ": " + e.getMessage() + transport, false, false);
                }
                fullProbe = true;
                throw new SourceException(
                        describe(src) + ": no video within the short probe; probing longer", false, false);
            }
            String location = input.location();
            if (location != null && !location.equals(target)) {
                // FFmpeg 5.0 follows HTTP redirects wherever they point: judge where this one ended before using a byte
                try {
                    policy.hosts().check(location);
                } catch (SourceRejectedException e) {
                    throw new SourceException(
                            describe(src) + " redirects to a refused host: " + e.getMessage(), false, false);
                }
            }
            int rotation = input.rotation();
            int codedW = input.width(), codedH = input.height();
            if (codedW <= 0 || codedH <= 0) {
                if (src.kind() == SourceKind.NETWORK && !fullProbe) {
                    fullProbe = true;
                    throw new SourceException(
                            describe(src) + ": no picture size within the short probe; probing longer", false, false);
                }
                throw new SourceException(describe(src) + " has no picture size", true, false);
            }
            int w = rotation % 180 == 0 ? codedW : codedH, h = rotation % 180 == 0 ? codedH : codedW;
            checkSize(w, h, src);
            double fps = input.frameRate() > 0 && input.frameRate() < 1000 ? input.frameRate() : 30;
            stream.source(w, h, fps);
            if (stream.state() == StreamState.RECONNECTING) {
                LOG.infof(
                        "stream %s: source back, opened in %d ms",
                        stream.id(), (System.nanoTime() - openStart) / 1_000_000);
            }
            stream.running();
            boolean pace = !src.live() && stream.spec().realtime();
            boolean wait = !src.live() && !stream.spec().realtime();
            long index = 0,
                    startNanos = System.nanoTime(),
                    firstPts = Long.MIN_VALUE,
                    prevPts = 0,
                    prevDue = 0,
                    damage = 0;
            // after a live source (re)opens, FFmpeg's probe has buffered about a second of it, which then decodes as a
            // burst: frames that were already waiting (read in under a third of a frame interval) wait for the worker
            // instead of superseding one another, so a reconnect costs a moment of catching up, not a second of dropped
            // frames. Only for the first seconds: a source the node cannot keep up with must still shed, not fall
            // behind.
            long catchUp = src.live() ? (long) Math.ceil(3 * fps) : 0, buffered = (long) (1e9 / fps / 3);
            while (!stream.stopRequested()) {
                long readStart = System.nanoTime();
                if (!input.next()) {
                    if (!src.live()) checkComplete(input, src, fps);
                    if (!src.live() && stream.spec().loop() && delivered) {
                        input.rewind();
                        startNanos = System.nanoTime();
                        firstPts = Long.MIN_VALUE;
                        prevPts = 0;
                        index = 0;
                        continue;
                    }
                    return delivered;
                }
                AVFrame picture = input.picture();
                if (input.damage() != damage) {
                    stream.dropped(DropReason.DECODE_ERROR);
                    damage = input.damage();
                    // the stream plays on (the decoder conceals what it can) but says so
                    stream.state(
                            stream.state(),
                            String.format(
                                    java.util.Locale.ROOT,
                                    "damaged data near %.1f s: %d frames or packets could not be decoded cleanly",
                                    input.lastPtsMicros() / 1e6,
                                    damage));
                }
                if (picture.width() != codedW || picture.height() != codedH) {
                    codedW = picture.width();
                    codedH = picture.height();
                    w = rotation % 180 == 0 ? codedW : codedH;
                    h = rotation % 180 == 0 ? codedH : codedW;
                    checkSize(w, h, src);
                    stream.source(w, h, fps);
                }
                boolean hold = wait || index < catchUp && System.nanoTime() - readStart < buffered;
                FrameBuffer buf = acquire(w, h, hold);
                if (buf == null) {
                    stream.decoded();
                    stream.dropped(null, DropReason.NO_BUFFER);
                    index++;
                    continue;
                }
                packI420(picture, rotation, buf.yuv, codedW, codedH);
                long pts = input.lastPtsMicros();
                buf.frameIndex = index++;
                buf.ptsMicros = pts;
                GroundTruth truth = stream.truth();
                buf.truth = truth == null ? -1 : truth.label(buf.frameIndex);
                buf.truthMask = truth == null ? -1 : truth.mask(buf.frameIndex);
                if (pace) {
                    long frameNanos = (long) (1e9 / fps);
                    if (firstPts == Long.MIN_VALUE) {
                        firstPts = pts;
                    } else if (pts <= prevPts || pts - prevPts > Math.max(1_000_000L, 10 * frameNanos / 1000)) {
                        // a timestamp jump (concatenated or reset clips, a damaged file): play on at the frame rate
                        // from
                        // here instead of waiting out the gap or rushing through frames that seem late
                        firstPts = pts;
                        startNanos = prevDue + frameNanos;
                    }
                    long dueNanos = startNanos + (pts - firstPts) * 1000;
                    prevPts = pts;
                    prevDue = dueNanos;
                    sleepUntil(dueNanos);
                }
                buf.decodedNanos = System.nanoTime();
                // after the frame is due, so its latency includes preparing it, as for a live camera's frame
                buf.reused = stream.reuseNext();
                if (!buf.reused) preprocessor.write(buf); // a reused frame's input is never read
                buf.bgrReady = stream.wantsOverlay();
                if (buf.bgrReady) {
                    if (rotation == 0) bgr.convert(picture, w, h, buf);
                    else bgr.convert(buf.yuv, w, h, buf);
                }
                buf.preprocessNanos = System.nanoTime() - buf.decodedNanos;
                stream.decoded();
                if (!outlet.publish(buf, hold)) break;
                delivered = true;
            }
            return delivered;
        } catch (FfmpegInput.InputException e) {
            if (stream.stopRequested()) return delivered;
            throw new SourceException(describe(src) + ": " + e.getMessage(), false, delivered);
        } catch (SourceException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new SourceException("source error: " + message(e), false, delivered);
        }
    }

    /**
     * RTSP goes over TCP unless the server refuses it: a server that answered but would not set up TCP (a UDP-only
     * camera answers 400 or 461) is tried over UDP at once; over UDP any failure (a firewall dropping the packets
     * stalls the open) goes back to TCP. Connection-level failures (refused, unreachable, no answer) change nothing.
     *
     * @return words for the stream's error when the transport changes, else ""
     */
    private String switchRtspTransport(SourceUrl src, int code) {
        if (!src.input().regionMatches(true, 0, "rtsp", 0, 4)) return "";
        boolean connection = code == avutil.AVERROR_EXIT
                || code == -111 /* ECONNREFUSED */
                || code == -110 /* ETIMEDOUT */
                || code == -113 /* EHOSTUNREACH */
                || code == -101 /* ENETUNREACH */;
        if (rtspUdp) {
            rtspUdp = false;
            return " (over UDP; trying TCP)";
        }
        if (connection) return "";
        rtspUdp = true;
        retryNow = true;
        return " (the server refused RTSP over TCP; trying UDP)";
    }

    /**
     * A file that ends well before the duration its container states was cut short (copied or written while read,
     * damaged): that is an error, not a clean end, and a looping stream must not replay the remainder as if whole.
     */
    private static void checkComplete(FfmpegInput input, SourceUrl src, double fps) {
        long duration = input.durationMicros(), last = input.lastPtsMicros();
        if (duration <= 0) return;
        long slack = 1_000_000 + (long) (2e6 / fps);
        if (last == Long.MIN_VALUE || last < duration - slack) {
            throw new SourceException(
                    String.format(
                            java.util.Locale.ROOT,
                            "%s ends at %.1f s of the %.1f s its header states: the file is truncated or damaged",
                            describe(src),
                            Math.max(0, last) / 1e6,
                            duration / 1e6),
                    true,
                    last != Long.MIN_VALUE);
        }
    }

    private FrameBuffer acquire(int w, int h, boolean wait) throws InterruptedException {
        if (pool == null || pool.width() != w || pool.height() != h)
            pool = new FramePool(
                    w,
                    h,
                    settings.poolSize(),
                    preprocessor.rowLength(),
                    stream.classes().size());
        FrameBuffer buf = pool.acquire();
        while (buf == null && wait && !stream.stopRequested()) {
            TimeUnit.MILLISECONDS.sleep(1);
            buf = pool.acquire();
        }
        return buf;
    }

    /** Packs a frame JavaCV's grabber decoded as YUV420P (its picture is the frame's opaque AVFrame), as coded. */
    static void packI420(org.bytedeco.javacv.Frame frame, byte[] yuv, int width, int height) {
        packI420((AVFrame) frame.opaque, 0, yuv, width, height);
    }

    /**
     * Packs a decoded YUV420P picture ({@code width} x {@code height} as coded) into {@code yuv} ({@link Yuv420}'s
     * layout), turned clockwise by {@code rotation} degrees so the picture is upright: the planes' rows are padded,
     * so they are copied row by row (or pixel by pixel when turning).
     */
    static void packI420(AVFrame picture, int rotation, byte[] yuv, int width, int height) {
        if (picture == null || picture.format() != avutil.AV_PIX_FMT_YUV420P) {
            throw new IllegalStateException("decoder gave "
                    + (picture == null ? "no picture" : "pixel format " + picture.format()) + ", not YUV420P");
        }
        int outW = rotation % 180 == 0 ? width : height, outH = rotation % 180 == 0 ? height : width;
        int cw = Yuv420.chromaWidth(width), ch = Yuv420.chromaHeight(height);
        plane(picture.data(0), picture.linesize(0), width, height, rotation, yuv, 0);
        plane(picture.data(1), picture.linesize(1), cw, ch, rotation, yuv, Yuv420.uOffset(outW, outH));
        plane(picture.data(2), picture.linesize(2), cw, ch, rotation, yuv, Yuv420.vOffset(outW, outH));
    }

    private static void plane(BytePointer src, int stride, int width, int rows, int rotation, byte[] dst, int offset) {
        if (rotation == 0) {
            for (int y = 0; y < rows; y++) src.position((long) y * stride).get(dst, offset + y * width, width);
            return;
        }
        src.position(0);
        for (int y = 0; y < rows; y++) {
            long row = (long) y * stride;
            for (int x = 0; x < width; x++) {
                byte v = src.get(row + x);
                int i = switch (rotation) {
                    case 90 -> x * rows + (rows - 1 - y); // (x, y) -> (rows-1-y, x), rows wide
                    case 180 -> (rows - 1 - y) * width + (width - 1 - x);
                    default -> (width - 1 - x) * rows + y; // 270: (x, y) -> (y, width-1-x)
                };
                dst[offset + i] = v;
            }
        }
    }

    /** The demuxer and decoder options for a source: bounded probing and timeouts for network ones. */
    private Map<String, String> options(SourceUrl src) {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        if (src.kind() == SourceKind.NETWORK) {
            String timeout = Long.toString(settings.ioTimeoutMicros());
            o.put("rw_timeout", timeout);
            // network protocols only: a playlist or an RTSP answer must not make FFmpeg open a local file or device
            o.put("protocol_whitelist", "http,https,tcp,tls,crypto,rtsp,rtsps,rtp,srtp,udp,rtmp,rtmps,rtmpt,srt");
            if (!fullProbe) {
                // a live feed is one video stream: probe half a second of it, not FFmpeg's 5 s, before showing frames
                // (a feed whose first key frame comes later is reopened with FFmpeg's full probe)
                o.put("analyzeduration", "100000");
                o.put("probesize", "200000");
            }
            if (src.input().startsWith("rtsp")) {
                o.put("rtsp_transport", rtspUdp ? "udp" : "tcp");
                o.put("timeout", timeout);
            } else if (src.input().startsWith("udp") || src.input().startsWith("rtp")) {
                o.put("timeout", timeout);
                String host = unicastHost(src.input());
                // FFmpeg binds a receiving UDP socket to every interface unless told: bind to the address the URL names
                if (host != null) o.put("localaddr", host);
            }
        }
        return o;
    }

    /** The URL's host when it is a literal unicast IPv4 address other than 0.0.0.0 (multicast groups bind as FFmpeg does). */
    static String unicastHost(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            if (host == null || !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return null;
            java.net.InetAddress a = java.net.InetAddress.getByName(host);
            return a.isMulticastAddress() || a.isAnyLocalAddress() ? null : host;
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return null;
        }
    }

    private static void checkSize(int w, int h, SourceUrl src) {
        if (w < MIN_SIDE || h < MIN_SIDE || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
            throw new SourceException(
                    describe(src) + ": unsupported resolution " + w + "x" + h + " (allowed " + MIN_SIDE + ".."
                            + MAX_SIDE + " per side)",
                    true,
                    false);
        }
    }

    /** Waits for a frame's due time in short steps, so a stop request is never held up by pacing. */
    private void sleepUntil(long dueNanos) throws InterruptedException {
        long left;
        while ((left = dueNanos - System.nanoTime()) > 0 && !stream.stopRequested()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
    }

    private void sleepUnlessStopped(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!stream.stopRequested() && System.currentTimeMillis() < end)
            TimeUnit.MILLISECONDS.sleep(Math.min(50, millis));
    }

    private static String describe(SourceUrl src) {
        return src.file() != null ? src.file().getFileName().toString() : src.original();
    }

    private static String message(Exception e) {
        return FfmpegErrors.describe(e);
    }

    /** A source failure; {@code permanent} ones (not video, absurd size) are not retried even for live sources. */
    private static final class SourceException extends RuntimeException {
        final boolean permanent;
        final boolean delivered;

        SourceException(String message, boolean permanent, boolean delivered) {
            super(message);
            this.permanent = permanent;
            this.delivered = delivered;
        }
    }
}
