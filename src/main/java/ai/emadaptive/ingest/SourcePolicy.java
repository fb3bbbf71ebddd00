package ai.emadaptive.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which sources may be opened: URL schemes from an allow-list, network hosts by a {@link HostPolicy}, and files only
 * inside configured folders (resolved through symlinks and {@code ..}, so no path escapes them). A plain path is a file.
 */
public final class SourcePolicy {
    private static final Set<String> NETWORK =
            Set.of("rtsp", "rtsps", "http", "https", "udp", "rtp", "rtmp", "rtmps", "srt", "tcp");

    private final Set<String> schemes;
    private final List<Path> fileRoots;
    private final HostPolicy hosts;
    private final SecretRefs secrets;

    /** With the default host policy (any host but this machine's loopback and link-local addresses), no secrets. */
    public SourcePolicy(Set<String> schemes, List<Path> fileRoots) {
        this(schemes, fileRoots, HostPolicy.defaults());
    }

    public SourcePolicy(Set<String> schemes, List<Path> fileRoots, HostPolicy hosts) {
        this(schemes, fileRoots, hosts, SecretRefs.none());
    }

    /**
     * @param fileRoots folders file sources must lie in; each is resolved to its real path
     * @param secrets   resolves {@code {secret:NAME}} references in network URLs
     */
    public SourcePolicy(Set<String> schemes, List<Path> fileRoots, HostPolicy hosts, SecretRefs secrets) {
        this.schemes = schemes.stream()
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.fileRoots = fileRoots.stream().map(SourcePolicy::real).toList();
        this.hosts = hosts;
        this.secrets = secrets;
    }

    /** The host policy network sources follow. */
    public HostPolicy hosts() {
        return hosts;
    }

    /** What FFmpeg opens: the source's input with its secret references resolved (read anew at each call). */
    public String openable(SourceUrl source) {
        return source.kind() == SourceKind.NETWORK ? secrets.resolve(source.input()) : source.input();
    }

    /**
     * Judges a network source's host again, as its decoder (re)connects: a name may resolve elsewhere than when
     * the stream was added.
     *
     * @throws SourceRejectedException when the host is no longer allowed
     */
    public void recheck(SourceUrl source) {
        if (source.kind() == SourceKind.NETWORK) hosts.check(openable(source));
    }

    /** @throws SourceRejectedException with the reason when the URL may not be opened */
    public SourceUrl check(String url) {
        if (url == null || url.isBlank()) throw new SourceRejectedException("source URL is empty");
        String scheme = scheme(url);
        if (scheme == null) return file(url, Path.of(url));
        if (!schemes.contains(scheme)) {
            throw new SourceRejectedException("scheme '" + scheme + "' is not allowed (allowed: "
                    + String.join(", ", schemes.stream().sorted().toList()) + ")");
        }
        // judged with its secret references resolved, as FFmpeg will see it; the references stay in what is kept
        String resolved = NETWORK.contains(scheme) ? secrets.resolve(url) : url;
        URI uri;
        try {
            uri = new URI(resolved);
        } catch (URISyntaxException e) {
            // the reason and where, not the input: it may hold resolved secrets
            throw new SourceRejectedException(
                    "malformed URL: " + e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        if (scheme.equals("file")) return file(url, Path.of(uri.getPath() == null ? "" : uri.getPath()));
        if (scheme.equals("v4l2")) {
            String dev = uri.getPath();
            if (dev == null || !dev.matches("/dev/video[0-9]+"))
                throw new SourceRejectedException("v4l2 source must name /dev/videoN: " + url);
            return new SourceUrl(url, SourceKind.DEVICE, dev, "video4linux2", null);
        }
        if (NETWORK.contains(scheme)) {
            if (uri.getHost() == null && !scheme.equals("udp") && !scheme.equals("rtp"))
                throw new SourceRejectedException("URL has no host: " + Secrets.redact(url));
            hosts.check(resolved, false);
            return new SourceUrl(url, SourceKind.NETWORK, url, null, null);
        }
        throw new SourceRejectedException("scheme '" + scheme + "' is not a video source");
    }

    private SourceUrl file(String url, Path path) {
        if (fileRoots.isEmpty())
            throw new SourceRejectedException("file sources are disabled (no allowed folders configured)");
        Path abs = path.toAbsolutePath().normalize();
        Path resolved;
        try {
            resolved = abs.toRealPath();
        } catch (IOException e) {
            // Judge the folder even for a missing file, so the error says "outside" before "missing".
            Path parent = abs.getParent();
            Path realParent = parent != null && Files.isDirectory(parent) ? real(parent) : abs;
            if (fileRoots.stream().noneMatch(realParent::startsWith)) throw outside(path);
            throw new SourceRejectedException("file not found: " + path);
        }
        if (fileRoots.stream().noneMatch(resolved::startsWith)) throw outside(path);
        if (!Files.isRegularFile(resolved)) throw new SourceRejectedException("not a regular file: " + path);
        return new SourceUrl(url, SourceKind.FILE, resolved.toString(), null, resolved);
    }

    private SourceRejectedException outside(Path path) {
        return new SourceRejectedException("file " + path + " is outside the allowed folders " + fileRoots);
    }

    private static String scheme(String url) {
        int colon = url.indexOf(':');
        if (colon < 2) return null; // no scheme, or a Windows drive letter
        String s = url.substring(0, colon);
        if (!s.matches("[A-Za-z][A-Za-z0-9+.-]*")) return null;
        return s.toLowerCase(Locale.ROOT);
    }

    private static Path real(Path p) {
        try {
            return p.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
