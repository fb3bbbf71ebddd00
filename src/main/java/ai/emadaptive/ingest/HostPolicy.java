package ai.emadaptive.ingest;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which network hosts a source may name. Entries are host names ({@code cam-or1.hospital.local}), name patterns with
 * a leading wildcard ({@code *.cams.hospital.local}), addresses or CIDR blocks ({@code 10.20.0.0/16}, {@code fd00::/8}),
 * each optionally with a port ({@code 127.0.0.1:8554}, {@code [::1]:8554}, {@code cams.local:554}).
 * <p>
 * Without entries every host is allowed except this machine's own and link-local addresses (loopback, 0.0.0.0 for a
 * connection, 169.254.0.0/16 where cloud metadata services answer). With entries, a host must match one. Either way a
 * loopback or link-local address, and the service's own HTTP port on this machine, pass only when an entry names them
 * (the address or a block holding it, or for the port an entry with that port): the service must not be turned against
 * itself or its neighbours on the loopback. Host names are resolved and every address must pass; a name that does
 * not resolve is refused with the same words as a refused one, so refusals reveal nothing about what lies behind an
 * address.
 */
public final class HostPolicy {
    /** Schemes whose URL host is where the service listens (a local address or a multicast group), not a server. */
    private static final Set<String> LISTENING = Set.of("udp", "rtp");

    private static final java.util.Map<String, Integer> DEFAULT_PORTS =
            java.util.Map.of("http", 80, "https", 443, "rtsp", 554, "rtsps", 322, "rtmp", 1935, "rtmps", 443);
    private static final java.util.regex.Pattern NUMERIC =
            java.util.regex.Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
    private static final java.util.regex.Pattern CANONICAL_V4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final List<Entry> entries;
    private final java.util.function.Supplier<Set<Integer>> ownPorts;

    /**
     * @param entries  the allowed hosts (see the class comment); empty allows any host but this machine's
     * @param ownPorts the service's own HTTP(S) ports (refused on local addresses unless an entry names them)
     * @throws IllegalArgumentException naming the entry that is neither a name, a pattern, an address nor a block
     */
    public HostPolicy(List<String> entries, Set<Integer> ownPorts) {
        this(entries, () -> ownPorts);
    }

    /** @param ownPorts asked at each check: a port chosen at random is known only once the server listens */
    public HostPolicy(List<String> entries, java.util.function.Supplier<Set<Integer>> ownPorts) {
        this.entries = entries.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Entry::parse)
                .toList();
        this.ownPorts = ownPorts;
    }

    /** Any host but this machine's loopback and link-local addresses; no own port. */
    public static HostPolicy defaults() {
        return new HostPolicy(List.of(), Set.of());
    }

    /** Only the listed hosts (e.g. {@code "127.0.0.1"} for tests serving media on the loopback). */
    public static HostPolicy only(String... entries) {
        return new HostPolicy(List.of(entries), Set.of());
    }

    /** Judges the URL's host for a connection now: every address it resolves to must pass. */
    public void check(String url) {
        check(url, true);
    }

    /**
     * @param connecting false when a stream is only being added: a name allowed by the entries (or by the default
     *                   policy) that does not resolve yet passes, so a camera not yet in DNS at boot is retried rather
     *                   than refused; its addresses are judged at each connect
     * @throws SourceRejectedException when the URL's host may not be used
     */
    public void check(String url, boolean connecting) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new SourceRejectedException("malformed URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean listening = LISTENING.contains(scheme);
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            if (!listening) throw refused("(none)");
            host = "0.0.0.0"; // udp://@:port listens on every interface
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        // FFmpeg's resolver reads 0177.0.0.1, 0x7f.1 or 2130706433 as 127.0.0.1 where Java may not: only the
        // dotted-quad form of an IPv4 literal is judged, any other numeric form is refused
        if (NUMERIC.matcher(host).matches() && !CANONICAL_V4.matcher(host).matches()) throw refused(host);
        int port = uri.getPort() >= 0 ? uri.getPort() : DEFAULT_PORTS.getOrDefault(scheme, -1);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            if (!connecting && (entries.isEmpty() || listedByName(host, port))) return;
            throw refused(host);
        }
        Set<Integer> own = ownPorts.get();
        for (InetAddress a : addresses) {
            if (!allowed(host, a, port, listening, own)) throw refused(host);
        }
    }

    private boolean allowed(String host, InetAddress a, int port, boolean listening, Set<Integer> ownPorts) {
        boolean special = a.isLoopbackAddress() || a.isLinkLocalAddress() || (!listening && a.isAnyLocalAddress());
        boolean ownPortHere = !listening && ownPorts.contains(port) && (special || a.isAnyLocalAddress() || local(a));
        boolean listed = false, named = false;
        for (Entry e : entries) {
            if (!e.matches(host, a, port)) continue;
            listed = true;
            if (e.exactName || e.blockOfSpecial())
                named = true; // a wildcard name or a catch-all block never admits one
            if (ownPortHere && e.port == port && (e.address != null || e.exactName)) return true;
        }
        if (ownPortHere) return false;
        if (special) return named;
        return entries.isEmpty() || listed;
    }

    private boolean listedByName(String host, int port) {
        for (Entry e : entries) if (e.name != null && e.matchesName(host, port)) return true;
        return false;
    }

    /** Whether {@code a} is an address of one of this machine's interfaces. */
    private static boolean local(InetAddress a) {
        try {
            return java.net.NetworkInterface.getByInetAddress(a) != null;
        } catch (java.net.SocketException e) {
            return true; // cannot tell: treat as ours, the safe side
        }
    }

    private static SourceRejectedException refused(String host) {
        return new SourceRejectedException(
                "host '" + host + "' is not an allowed source host (emadaptive.sources.allowed-hosts)");
    }

    /** One allowed-hosts entry: a name (exact or {@code *.suffix}) or an address block, with an optional port (-1 = any). */
    private record Entry(String name, boolean exactName, byte[] address, int prefix, int port) {
        static Entry parse(String s) {
            String host = s;
            int port = -1;
            if (s.startsWith("[")) { // [v6] or [v6]:port
                int close = s.indexOf(']');
                if (close < 0) throw new IllegalArgumentException("allowed host '" + s + "': missing ']'");
                host = s.substring(1, close);
                String rest = s.substring(close + 1);
                if (rest.startsWith("/")) host += rest; // [v6]/prefix
                else if (!rest.isEmpty()) port = port(s, rest);
            } else if (s.indexOf(':') == s.lastIndexOf(':')
                    && s.indexOf(':') > 0
                    && !s.contains("/")) { // host:port (not bare v6)
                host = s.substring(0, s.indexOf(':'));
                port = port(s, s.substring(s.indexOf(':')));
            } else if (s.indexOf(':') == s.lastIndexOf(':') && s.contains("/") && s.indexOf(':') > s.indexOf('/')) {
                throw new IllegalArgumentException("allowed host '" + s + "': a block takes no port");
            }
            int slash = host.indexOf('/');
            String addr = slash < 0 ? host : host.substring(0, slash);
            if (addr.matches("[0-9.]+") || addr.contains(":")) {
                byte[] bytes;
                try {
                    bytes = InetAddress.getByName(addr).getAddress(); // a literal: no lookup
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("allowed host '" + s + "': not an address");
                }
                int prefix = bytes.length * 8;
                if (slash >= 0) {
                    try {
                        prefix = Integer.parseInt(host.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        prefix = -1;
                    }
                    if (prefix < 0 || prefix > bytes.length * 8)
                        throw new IllegalArgumentException("allowed host '" + s + "': bad prefix length");
                }
                return new Entry(null, false, bytes, prefix, port);
            }
            if (slash >= 0
                    || !host.matches(
                            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
                throw new IllegalArgumentException(
                        "allowed host '" + s + "': expected a host name, *.domain, an address or a CIDR block");
            }
            boolean wildcard = host.startsWith("*.");
            return new Entry((wildcard ? host.substring(1) : host).toLowerCase(Locale.ROOT), !wildcard, null, 0, port);
        }

        private static int port(String entry, String colonPort) {
            try {
                int p = Integer.parseInt(colonPort.substring(1));
                if (p > 0 && p < 65536) return p;
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // fall through
            }
            throw new IllegalArgumentException("allowed host '" + entry + "': bad port");
        }

        /** Whether this block lies among this machine's own or link-local addresses (it names them, not merely covers them). */
        boolean blockOfSpecial() {
            if (address == null) return false;
            try {
                InetAddress base = InetAddress.getByAddress(address);
                if (base.isAnyLocalAddress()) return prefix == address.length * 8;
                return (base.isLoopbackAddress() || base.isLinkLocalAddress())
                        && prefix >= (address.length == 4 ? 8 : 10);
            } catch (UnknownHostException e) {
                return false;
            }
        }

        boolean matches(String host, InetAddress a, int urlPort) {
            if (address != null) return (port < 0 || port == urlPort) && inBlock(a.getAddress());
            return matchesName(host, urlPort);
        }

        boolean matchesName(String host, int urlPort) {
            if (name == null || port >= 0 && port != urlPort) return false;
            String h = host.toLowerCase(Locale.ROOT);
            return exactName ? h.equals(name) : h.endsWith(name) && h.length() > name.length();
        }

        private boolean inBlock(byte[] b) {
            if (b.length != address.length) return false;
            int full = prefix / 8, rest = prefix % 8;
            for (int i = 0; i < full; i++) if (b[i] != address[i]) return false;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (b[full] & mask) == (address[full] & mask);
        }
    }
}
