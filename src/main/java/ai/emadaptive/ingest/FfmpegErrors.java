package ai.emadaptive.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** Turns JavaCV's exception text into a short message an operator can act on: FFmpeg's own words for the code. */
final class FfmpegErrors {
    private static final Pattern CODE = Pattern.compile("error (-?\\d+)");
    private static final Pattern HINTS = Pattern.compile("\\s*\\((Has setFormat|For more details).*?called[.?]?\\)");

    private FfmpegErrors() {}

    static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = HINTS.matcher(m).replaceAll("").replaceAll("\\s+", " ").trim();
        Matcher c = CODE.matcher(m);
        if (c.find()) {
            String words = strerror(Integer.parseInt(c.group(1)));
            if (words != null) m = m + " [" + words + "]";
        }
        return m;
    }

    static String strerror(int code) {
        byte[] bytes = new byte[256];
        try (BytePointer buf = new BytePointer(bytes.length)) {
            buf.fill(0);
            if (avutil.av_strerror(code, buf, bytes.length) < 0) return null;
            buf.get(bytes);
        }
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
