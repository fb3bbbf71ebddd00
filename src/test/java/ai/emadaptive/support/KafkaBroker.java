package ai.emadaptive.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker run as a separate process from Kafka's own jars (copied by {@code .ci/run} to
 * {@code target/kafka-broker}); the Kafka tests skip when they are absent.
 */
public final class KafkaBroker implements AutoCloseable {
    public static final Path JARS = Path.of("target/kafka-broker");

    private final Process process;
    private final int port;

    private KafkaBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean available() {
        return Files.isDirectory(JARS) && JARS.toFile().list((d, n) -> n.startsWith("kafka_2.13")).length > 0;
    }

    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        int port = freePort(), controller = freePort();
        Path props = dir.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0", "num.partitions=4", ""));
        String cp = JARS.toAbsolutePath() + "/*";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process format = new ProcessBuilder(java, "-cp", cp, "kafka.tools.StorageTool", "format", "-t",
                UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", props.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IOException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
        }
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", cp, "kafka.Kafka", props.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("kafka broker exited: " + Files.readString(dir.resolve("broker.log")));
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new KafkaBroker(p, port);
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IOException("kafka broker did not listen on " + port);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
