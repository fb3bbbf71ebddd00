package ai.emadaptive.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One video source opened with FFmpeg's own demuxer and decoder, every blocking call bounded: an interrupt callback
 * ends the open, a read or a seek as soon as the stream is stopped, and ends any single wait for data after the I/O
 * timeout, whatever the server does (a trickle of bytes defeats a socket timeout, not this). JavaCV's grabber gives
 * no way to install such a callback before it opens its input, hence this class.
 * <p>
 * It also reports what the grabber hid: read errors other than the end of the input (a truncated or damaged file ends
 * with an error, not a clean end), frames the decoder flags as corrupt, and the rotation a phone or a camera mounted
 * sideways records in the stream's display matrix. Frames come out as YUV420P ({@link #picture()}), converted when the
 * source is in another pixel format. Not thread-safe: one decoder thread owns it.
 */
final class FfmpegInput implements AutoCloseable {
    /**
     * One native callback for every input (JavaCPP allots few callback stubs per class): its opaque pointer is the
     * input's slot number, and the slot holds what to ask.
     */
    private static final AtomicReferenceArray<BooleanSupplier> SLOTS = new AtomicReferenceArray<>(4096);

    private static final AVIOInterruptCB.Callback_Pointer INTERRUPT = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            BooleanSupplier s = SLOTS.get((int) opaque.address());
            return s != null && s.getAsBoolean() ? 1 : 0;
        }
    };

    /** Why a call failed, in words and with FFmpeg's code (for telling the end of input from an error). */
    static final class InputException extends Exception {
        final int code;

        InputException(String message, int code) {
            super(message);
            this.code = code;
        }
    }

    private static final int FLAG_CORRUPT = 1; // AV_FRAME_FLAG_CORRUPT, which the 1.5.7 presets do not map

    private final BooleanSupplier stopped;
    private final long ioTimeoutNanos;
    private final int slot;
    private final Pointer slotPointer;
    private volatile long deadline = Long.MAX_VALUE; // nanoTime after which the current wait is given up

    private AVFormatContext oc;
    private AVCodecContext codec;
    private AVStream stream;
    private int streamIndex = -1;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame decoded = av_frame_alloc();
    private AVFrame converted;
    private SwsContext sws;
    private AVFrame picture;
    private boolean flushing, timedOut;
    private long corruptFrames, damagedPackets;
    private long lastPtsMicros = Long.MIN_VALUE;
    private double microsPerTick; // the stream's time base, kept as a number: no native struct per frame
    private long startTs;

    /**
     * @param stopped        polled by FFmpeg while it waits: true ends the wait at once
     * @param ioTimeoutNanos the longest any single open, read or seek may wait for data
     */
    FfmpegInput(BooleanSupplier stopped, long ioTimeoutNanos) {
        this.stopped = stopped;
        this.ioTimeoutNanos = ioTimeoutNanos;
        int s = -1;
        for (int i = 1; i < SLOTS.length() && s < 0; i++) if (SLOTS.compareAndSet(i, null, this::interrupted)) s = i;
        if (s < 0) throw new IllegalStateException("more than " + (SLOTS.length() - 1) + " inputs open at once");
        slot = s;
        slotPointer = new Pointer() {
            {
                address = slot;
            }
        };
    }

    private boolean interrupted() {
        if (stopped.getAsBoolean()) return true;
        if (System.nanoTime() > deadline) {
            timedOut = true;
            return true;
        }
        return false;
    }

    /**
     * Opens {@code url} (with {@code format} forced when not null), finds its best video stream and opens its decoder.
     *
     * @throws InputException when it cannot be opened, has no video stream or no decoder for it
     */
    void open(String url, String format, Map<String, String> options, int threads) throws InputException {
        oc = avformat_alloc_context();
        oc.interrupt_callback().callback(INTERRUPT).opaque(slotPointer);
        AVDictionary dict = new AVDictionary(null);
        for (var e : options.entrySet()) av_dict_set(dict, e.getKey(), e.getValue(), 0);
        AVInputFormat fmt = null;
        if (format != null) {
            fmt = av_find_input_format(format);
            if (fmt == null) throw new InputException("no input format '" + format + "'", AVERROR_DEMUXER_NOT_FOUND);
        }
        arm();
        int r = avformat_open_input(oc, url, fmt, dict);
        av_dict_free(dict);
        if (r < 0) {
            oc = null; // FFmpeg frees the context when the open fails
            throw failure(null, r); // the caller says "cannot open <source>"
        }
        arm();
        r = avformat_find_stream_info(oc, (AVDictionary) null);
        if (r < 0) throw failure("cannot read stream info", r);
        streamIndex = av_find_best_stream(oc, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) throw new InputException("no video stream", AVERROR_STREAM_NOT_FOUND);
        stream = oc.streams(streamIndex);
        AVCodec decoder = avcodec_find_decoder(stream.codecpar().codec_id());
        if (decoder == null)
            throw new InputException(
                    "no decoder for codec "
                            + avcodec_get_name(stream.codecpar().codec_id()).getString(),
                    AVERROR_DECODER_NOT_FOUND);
        codec = avcodec_alloc_context3(decoder);
        if ((r = avcodec_parameters_to_context(codec, stream.codecpar())) < 0) throw failure("bad codec parameters", r);
        codec.thread_count(threads);
        codec.pkt_timebase(stream.time_base());
        if ((r = avcodec_open2(codec, decoder, (AVDictionary) null)) < 0) throw failure("cannot open the decoder", r);
        AVRational tb = stream.time_base();
        microsPerTick = 1e6 * tb.num() / tb.den();
        startTs = stream.start_time() != AV_NOPTS_VALUE ? stream.start_time() : 0;
        deadline = Long.MAX_VALUE;
    }

    /**
     * Where the data really comes from: the URL an HTTP source ended at after FFmpeg followed its redirects (null when
     * the input is not HTTP or was not redirected).
     */
    String location() {
        if (oc == null || oc.pb() == null) return null;
        // uint8_t** out: JavaCPP passes the pointer's own address and sets it to the string FFmpeg allocated
        org.bytedeco.javacpp.BytePointer out = new org.bytedeco.javacpp.BytePointer((Pointer) null);
        if (av_opt_get(oc.pb(), "location", AV_OPT_SEARCH_CHILDREN, out) < 0 || out.isNull()) return null;
        String s = out.getString();
        av_free(out);
        return s;
    }

    int width() {
        return stream.codecpar().width();
    }

    int height() {
        return stream.codecpar().height();
    }

    /** The stream's frame rate as FFmpeg guesses it (0 when it cannot). */
    double frameRate() {
        AVRational r = av_guess_frame_rate(oc, stream, null);
        return r.num() > 0 && r.den() > 0 ? (double) r.num() / r.den() : 0;
    }

    /** The video stream's duration (else the container's) in microseconds, or -1 when it has none (live sources). */
    long durationMicros() {
        if (stream.duration() > 0 && stream.duration() != AV_NOPTS_VALUE) {
            return av_rescale_q(stream.duration(), stream.time_base(), av_make_q(1, 1_000_000));
        }
        return oc.duration() > 0 ? oc.duration() : -1;
    }

    /**
     * The clockwise rotation, in degrees (0, 90, 180 or 270), that shows the picture upright as the stream's display
     * matrix asks; 0 when there is none.
     */
    int rotation() {
        IntPointer matrix = new IntPointer(
                av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, (org.bytedeco.javacpp.SizeTPointer) null));
        if (matrix.isNull()) return 0;
        double counterClockwise = av_display_rotation_get(matrix);
        if (Double.isNaN(counterClockwise)) return 0;
        long clockwise = Math.round(-counterClockwise / 90.0) * 90;
        return (int) (((clockwise % 360) + 360) % 360);
    }

    /** Frames the decoder marked as corrupt (damage it concealed) plus packets it could not decode, so far. */
    long damage() {
        return corruptFrames + damagedPackets;
    }

    /** The presentation time of the last frame returned, microseconds from the stream's start. */
    long lastPtsMicros() {
        return lastPtsMicros;
    }

    /** The last frame returned, in YUV420P; valid until the next call. */
    AVFrame picture() {
        return picture;
    }

    /**
     * Decodes the next video frame.
     *
     * @return false at the end of the input
     * @throws InputException on a read error (damage, truncation, a dropped connection), a decoding error, a wait
     *                        for data longer than the I/O timeout, or a stop
     */
    boolean next() throws InputException {
        arm();
        int failures = 0;
        try {
            while (true) {
                int r = avcodec_receive_frame(codec, decoded);
                if (r == 0) {
                    if ((decoded.flags() & FLAG_CORRUPT) != 0 || decoded.decode_error_flags() != 0) corruptFrames++;
                    picture = toYuv420(decoded);
                    long ts = decoded.best_effort_timestamp();
                    if (ts != AV_NOPTS_VALUE) lastPtsMicros = Math.round((ts - startTs) * microsPerTick);
                    return true;
                }
                if (r == AVERROR_EOF) return false;
                if (r != AVERROR_EAGAIN()) {
                    // damaged data: counted and skipped, as a player would; only a decoder that never recovers ends it
                    damagedPackets++;
                    if (++failures >= 25) throw failure("decoding failed repeatedly", r);
                    continue;
                }
                if (flushing) return false;
                r = av_read_frame(oc, packet);
                if (r == AVERROR_EOF) {
                    flushing = true;
                    avcodec_send_packet(codec, null); // drain the frames the decoder still holds
                    continue;
                }
                if (r < 0) throw failure("read error", r);
                try {
                    if (packet.stream_index() == streamIndex) {
                        int s = avcodec_send_packet(codec, packet);
                        if (s < 0 && s != AVERROR_EAGAIN()) {
                            damagedPackets++;
                            if (++failures >= 25) throw failure("decoding failed repeatedly", s);
                        }
                    }
                } finally {
                    av_packet_unref(packet);
                }
                arm(); // a packet arrived: the next wait gets the whole timeout again
            }
        } finally {
            deadline = Long.MAX_VALUE;
        }
    }

    /** Back to the start, for looping a file. */
    void rewind() throws InputException {
        arm();
        int r = av_seek_frame(oc, -1, oc.start_time() != AV_NOPTS_VALUE ? oc.start_time() : 0, AVSEEK_FLAG_BACKWARD);
        deadline = Long.MAX_VALUE;
        if (r < 0) throw failure("cannot seek to the start", r);
        avcodec_flush_buffers(codec);
        flushing = false;
        lastPtsMicros = Long.MIN_VALUE;
    }

    private void arm() {
        timedOut = false;
        deadline = System.nanoTime() + ioTimeoutNanos;
    }

    private InputException failure(String what, int code) {
        if (stopped.getAsBoolean()) return new InputException("stopped", AVERROR_EXIT);
        String prefix = what == null ? "" : what + ": ";
        if (timedOut || code == AVERROR_EXIT) {
            return new InputException(
                    prefix + "no data for " + ioTimeoutNanos / 1_000_000 + " ms (source stalled)", AVERROR_EXIT);
        }
        String words = FfmpegErrors.strerror(code);
        return new InputException(prefix + (words != null ? words : "error " + code), code);
    }

    private AVFrame toYuv420(AVFrame f) throws InputException {
        if (f.format() == AV_PIX_FMT_YUV420P) return f;
        int w = f.width(), h = f.height();
        if (converted == null || converted.width() != w || converted.height() != h) {
            if (converted != null) av_frame_free(converted);
            converted = av_frame_alloc();
            converted.format(AV_PIX_FMT_YUV420P).width(w).height(h);
            int r = av_frame_get_buffer(converted, 0);
            if (r < 0) throw failure("cannot allocate a " + w + "x" + h + " picture", r);
        }
        sws = swscale.sws_getCachedContext(
                sws, w, h, f.format(), w, h, AV_PIX_FMT_YUV420P, swscale.SWS_BILINEAR, null, null, (DoublePointer)
                        null);
        if (sws == null)
            throw new InputException("cannot convert pixel format " + f.format() + " to YUV420P", AVERROR_PATCHWELCOME);
        swscale.sws_scale(sws, f.data(), f.linesize(), 0, h, converted.data(), converted.linesize());
        return converted;
    }

    @Override
    public void close() {
        if (codec != null) avcodec_free_context(codec);
        codec = null;
        if (oc != null) avformat_close_input(oc);
        oc = null;
        av_packet_free(packet);
        av_frame_free(decoded);
        if (converted != null) av_frame_free(converted);
        converted = null;
        if (sws != null) swscale.sws_freeContext(sws);
        sws = null;
        SLOTS.set(slot, null);
    }
}
