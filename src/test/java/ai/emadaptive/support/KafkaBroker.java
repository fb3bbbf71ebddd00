package ai.emadaptive.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.MountableFile;

/**
 * A single-node KRaft Kafka broker from Kafka's own jars: a container of the image {@code .ci/run} builds from them
 * ({@link Containers#KAFKA_IMAGE}), or, where Docker or the image is missing, a separate process from the jars
 * ({@code target/kafka-broker}, copied there from Maven on first use by {@code .ci/kafka-broker/pom.xml}, as
 * {@code .ci/run} does). The Kafka tests skip when neither can run, saying why.
 */
public final class KafkaBroker implements AutoCloseable {
    public static final Path JARS = Path.of("target/kafka-broker");

    private final ServerHandle server;
    private final int port;

    private KafkaBroker(ServerHandle server, int port) {
        this.server = server;
        this.port = port;
    }

    public static boolean available() {
        return Containers.unavailable(Containers.KAFKA_IMAGE) == null || jarsPresent() || copyJars();
    }

    /** Copies Kafka's jars with Maven (once per test JVM): a plain {@code mvn test} needs no set-up step. */
    private static synchronized boolean copyJars() {
        if (jarsPresent()) return true;
        if (copyTried) return false;
        copyTried = true;
        try {
            Process p = new ProcessBuilder(
                            "mvn",
                            "-B",
                            "-ntp",
                            "-q",
                            "-f",
                            ".ci/kafka-broker/pom.xml",
                            "dependency:copy-dependencies",
                            "-DoutputDirectory=" + JARS.toAbsolutePath())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
            if (p.isAlive() || p.exitValue() != 0)
                Containers.sayOnce("Kafka's jars could not be copied by Maven (exit "
                        + (p.isAlive() ? "none" : p.exitValue()) + ")");
        } catch (IOException e) {
            Containers.sayOnce("Kafka's jars could not be copied: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return jarsPresent();
    }

    private static boolean copyTried;

    private static boolean jarsPresent() {
        return Files.isDirectory(JARS) && JARS.toFile().list((d, n) -> n.startsWith("kafka_2.13")).length > 0;
    }

    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        String why = Containers.unavailable(Containers.KAFKA_IMAGE);
        if (why == null) return startContainer(dir);
        Containers.sayOnce("Kafka runs as a process: " + why);
        return startProcess(dir);
    }

    private static String properties(int port, int controller, String dataDir) {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir,
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=4",
                "");
    }

    private static KafkaBroker startContainer(Path dir) throws IOException, InterruptedException {
        int port = freePort(), controller = freePort();
        Path props = dir.resolve("server.properties");
        Files.writeString(props, properties(port, controller, "/tmp/kafka-data"));
        GenericContainer<?> c = Containers.onHostNetwork(Containers.KAFKA_IMAGE)
                .withCopyFileToContainer(MountableFile.forHostPath(props), "/etc/kafka/server.properties");
        c.start();
        return started(ServerHandle.of(c), port);
    }

    private static KafkaBroker startProcess(Path dir) throws IOException, InterruptedException {
        int port = freePort(), controller = freePort();
        Path props = dir.resolve("server.properties");
        Files.writeString(
                props, properties(port, controller, dir.resolve("data").toString()));
        String cp = JARS.toAbsolutePath() + "/*";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process format = new ProcessBuilder(
                        java,
                        "-cp",
                        cp,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                        "-c",
                        props.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile())
                .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IOException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
        }
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", cp, "kafka.Kafka", props.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.log").toFile())
                .start();
        return started(ServerHandle.of(p, dir.resolve("broker.log")), port);
    }

    /** The broker once it accepts connections (up to 60 s); stopped if it never does. */
    private static KafkaBroker started(ServerHandle server, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.alive()) {
                String log = server.log();
                server.close();
                throw new IOException("kafka broker exited: " + log);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new KafkaBroker(server, port);
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        server.close();
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
        server.close();
    }
}
