package ai.emadaptive.ingest;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials given by reference: a source URL may say {@code rtsp://{secret:or1-user}:{secret:or1-password}@10.1.2.3/live}
 * and each {@code {secret:NAME}} is replaced, just before FFmpeg opens the source, by the content of the file NAME in
 * the secrets folder (a Docker or Kubernetes secret mount, say {@code /run/secrets}). The URL the service stores, shows
 * and logs keeps the reference, never the secret; a changed file is read at the next reconnect. Names are plain file
 * names (no folders, no {@code ..}), so a reference can reach only the files an operator put in that folder.
 */
public final class SecretRefs {
    private static final Pattern REF = Pattern.compile("\\{secret:([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Optional<Path> dir;

    /** @param dir the secrets folder; empty refuses every reference */
    public SecretRefs(Optional<Path> dir) {
        this.dir = dir.map(p -> p.toAbsolutePath().normalize());
    }

    public static SecretRefs none() {
        return new SecretRefs(Optional.empty());
    }

    /**
     * The URL with every reference replaced by its secret, percent-encoded so that any character is safe in the user
     * info, path or query.
     *
     * @throws SourceRejectedException naming the reference that cannot be resolved (never a secret's value)
     */
    public String resolve(String url) {
        Matcher m = REF.matcher(url);
        if (!m.find()) return url;
        StringBuilder out = new StringBuilder();
        do {
            String name = m.group(1);
            if (!NAME.matcher(name).matches())
                throw new SourceRejectedException(
                        "secret reference '{secret:" + name + "}': a name is a plain file name");
            Path folder = dir.orElseThrow(() -> new SourceRejectedException("secret reference '{secret:" + name
                    + "}' but no secrets folder is configured (emadaptive.sources.secrets-dir)"));
            String value;
            try {
                value = Files.readString(folder.resolve(name), StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw new SourceRejectedException("secret '" + name + "' cannot be read from the secrets folder");
            }
            m.appendReplacement(
                    out,
                    Matcher.quoteReplacement(
                            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
