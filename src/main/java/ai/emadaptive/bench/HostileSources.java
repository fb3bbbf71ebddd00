package ai.emadaptive.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Misbehaving network sources on the loopback, each a real TCP server speaking just enough HTTP for FFmpeg:
 * <ul>
 * <li>{@code trickle}: answers, then sends one MPEG-TS sync packet every 2 s, so an open never completes;</li>
 * <li>{@code frozen}: plays the stream for 2 s, then keeps the connection open and sends nothing;</li>
 * <li>{@code refusing}: a port nobody listens on (connection refused);</li>
 * <li>{@code flapping}: plays the stream in real time for {@code upSeconds}, then drops the connection and refuses
 * connections for {@code downSeconds}, again and again; {@link #flappingUpSince()} says when each up phase began.</li>
 * </ul>
 * The stream bytes are an MPEG-TS file, sent as a camera or {@code ffmpeg -re} sends it: each packet when its
 * frame's presentation time comes (from the PES headers), looping.
 */
public final class HostileSources implements AutoCloseable {
    private final byte[] ts;
    private final double[] sendAt; // per 188-byte packet: seconds from the start when it is due
    private final double seconds;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Long> upSince = new CopyOnWriteArrayList<>();
    private final int refusingPort;
    private volatile ServerSocket flapping;
    private volatile int flappingPort;

    /**
     * @param ts      an MPEG-TS stream to serve
     * @param seconds its duration
     */
    public HostileSources(byte[] ts, double seconds, double upSeconds, double downSeconds) throws IOException {
        this.ts = ts;
        this.seconds = seconds;
        this.sendAt = schedule(ts);
        serve("trickle", this::trickle);
        serve("frozen", this::frozen);
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            refusingPort = s.getLocalPort();
        }
        Thread flap = new Thread(() -> flap(upSeconds, downSeconds), "hostile-flapping");
        flap.setDaemon(true);
        flap.start();
        threads.add(flap);
        while (flappingPort == 0) Thread.onSpinWait();
    }

    public String url(String kind) {
        int port = switch (kind) {
            case "trickle" -> servers.get(0).getLocalPort();
            case "frozen" -> servers.get(1).getLocalPort();
            case "refusing" -> refusingPort;
            case "flapping" -> flappingPort;
            default -> throw new IllegalArgumentException(kind);
        };
        return "http://127.0.0.1:" + port + "/" + kind + ".ts";
    }

    public static List<String> kinds() {
        return List.of("trickle", "frozen", "refusing", "flapping");
    }

    /** System.nanoTime() at the start of each up phase of the flapping source. */
    public List<Long> flappingUpSince() {
        return List.copyOf(upSince);
    }

    private interface Handler {
        void handle(OutputStream out) throws IOException, InterruptedException;
    }

    private void serve(String name, Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread t = new Thread(() -> acceptLoop(server, handler), "hostile-" + name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    private void acceptLoop(ServerSocket server, Handler handler) {
        while (!closed.get()) {
            try {
                Socket s = server.accept();
                Thread c = new Thread(
                        () -> {
                            try (s;
                                    OutputStream out = s.getOutputStream()) {
                                drainRequest(s);
                                out.write("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n"
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                                handler.handle(out);
                            } catch (IOException | InterruptedException ignored) {
                                // the client went away, or we are closing
                            }
                        },
                        "hostile-conn");
                c.setDaemon(true);
                c.start();
            } catch (IOException e) {
                if (closed.get() || server.isClosed()) return;
            }
        }
    }

    /** Reads the request head (up to the blank line), so the client is not answered mid-request. */
    private static void drainRequest(Socket s) throws IOException {
        var in = s.getInputStream();
        int state = 0, b;
        while (state < 4 && (b = in.read()) >= 0) state = (b == '\r' || b == '\n') ? state + 1 : 0;
    }

    private void trickle(OutputStream out) throws IOException, InterruptedException {
        byte[] packet = new byte[188];
        packet[0] = 0x47;
        while (!closed.get()) {
            out.write(packet);
            out.flush();
            Thread.sleep(2000);
        }
    }

    private void frozen(OutputStream out) throws IOException, InterruptedException {
        play(out, 2.0);
        while (!closed.get()) Thread.sleep(100); // connection open, nothing sent
    }

    /** Sends the stream (looping) in real time for {@code forSeconds}, each packet a little before its frame is due. */
    private void play(OutputStream out, double forSeconds) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int packets = sendAt.length, i = 0;
        double offset = 0; // the loop's time offset
        while (!closed.get()) {
            double t = (System.nanoTime() - start) / 1e9;
            if (t >= forSeconds) return;
            int first = i;
            while (offset + sendAt[i] <= t + 0.04) {
                if (++i == packets) {
                    out.write(ts, first * 188, (i - first) * 188);
                    i = 0;
                    first = 0;
                    offset += seconds;
                }
            }
            if (i > first) out.write(ts, first * 188, (i - first) * 188);
            out.flush();
            Thread.sleep(5);
        }
    }

    /** When each TS packet is due: the PTS of the video PES it belongs to (90 kHz clock), from the first one. */
    public static double[] schedule(byte[] ts) {
        int n = ts.length / 188;
        double[] at = new double[n];
        long first = Long.MIN_VALUE;
        double now = 0;
        for (int i = 0; i < n; i++) {
            int o = i * 188;
            if ((ts[o] & 0xff) == 0x47 && (ts[o + 1] & 0x40) != 0) { // a payload unit starts here
                int afc = (ts[o + 3] >> 4) & 3, p = o + 4 + ((afc & 2) != 0 ? 1 + (ts[o + 4] & 0xff) : 0);
                boolean pes = p + 14 <= o + 188
                        && ts[p] == 0
                        && ts[p + 1] == 0
                        && ts[p + 2] == 1
                        && (ts[p + 3] & 0xf0) == 0xe0;
                if (pes && ((ts[p + 7] >> 6) & 2) != 0) {
                    long pts = ((long) (ts[p + 9] >> 1) & 7) << 30
                            | (long) (ts[p + 10] & 0xff) << 22
                            | (long) ((ts[p + 11] & 0xff) >> 1) << 15
                            | (long) (ts[p + 12] & 0xff) << 7
                            | (ts[p + 13] & 0xff) >> 1;
                    if (first == Long.MIN_VALUE) first = pts;
                    now = Math.max(now, (pts - first) / 90_000.0);
                }
            }
            at[i] = now;
        }
        return at;
    }

    private void flap(double upSeconds, double downSeconds) {
        int port = 0;
        while (!closed.get()) {
            try {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 50);
                port = server.getLocalPort();
                flapping = server;
                flappingPort = port;
                upSince.add(System.nanoTime());
                long end = System.nanoTime() + (long) (upSeconds * 1e9);
                List<Socket> open = new CopyOnWriteArrayList<>();
                Thread acceptor = new Thread(
                        () -> {
                            while (!server.isClosed()) {
                                try {
                                    Socket s = server.accept();
                                    open.add(s);
                                    Thread c = new Thread(
                                            () -> {
                                                try (s;
                                                        OutputStream out = s.getOutputStream()) {
                                                    drainRequest(s);
                                                    out.write(
                                                            "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n"
                                                                    .getBytes(
                                                                            java.nio.charset.StandardCharsets
                                                                                    .US_ASCII));
                                                    play(out, Math.max(0, (end - System.nanoTime()) / 1e9));
                                                } catch (IOException | InterruptedException ignored) {
                                                    // dropped on purpose
                                                }
                                            },
                                            "hostile-flap-conn");
                                    c.setDaemon(true);
                                    c.start();
                                } catch (IOException e) {
                                    return;
                                }
                            }
                        },
                        "hostile-flap-accept");
                acceptor.setDaemon(true);
                acceptor.start();
                Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
                server.close();
                for (Socket s : open) s.close(); // down: the connection drops, new ones are refused
                Thread.sleep((long) (downSeconds * 1000));
            } catch (IOException | InterruptedException e) {
                if (closed.get()) return;
            }
        }
    }

    @Override
    public void close() {
        closed.set(true);
        for (ServerSocket s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        ServerSocket f = flapping;
        if (f != null) {
            try {
                f.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Thread t : threads) t.interrupt();
    }
}
