package ai.emadaptive.ingest;

import java.util.regex.Pattern;

/**
 * Credentials in source URLs are accepted (a camera's RTSP URL often carries them) but never shown: wherever a URL or a
 * message that may quote one leaves the service (API answers, stream errors, readiness, logs), its user info and its
 * secret-looking query values are replaced by {@code ***}.
 */
public final class Secrets {
    /**
     * {@code scheme://user:password@} or {@code scheme://user@}: from {@code //} to the last {@code @} before the path (a
     * password may hold a raw {@code @}).
     */
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s'\"]+@");
    /** Query or fragment values whose names say they are secret. */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pass|pwd|token|access_token|auth|key|apikey|api_key|secret|signature|sig|credentials?)=)[^&#\\s'\"]*");

    private Secrets() {}

    /** {@code text} with every URL's credentials replaced; null stays null. */
    public static String redact(String text) {
        if (text == null) return null;
        String s = USER_INFO.matcher(text).replaceAll("$1***@");
        return SECRET_PARAM.matcher(s).replaceAll("$1***");
    }
}
