package ai.emadaptive.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;

/** A test server run as a container or as a process: its log, and stopping it. */
final class ServerHandle implements AutoCloseable {
    private final Process process;
    private final GenericContainer<?> container;
    private final Path log;

    private ServerHandle(Process process, GenericContainer<?> container, Path log) {
        this.process = process;
        this.container = container;
        this.log = log;
    }

    static ServerHandle of(GenericContainer<?> container) {
        return new ServerHandle(null, container, null);
    }

    /** @param log the file the process's output goes to */
    static ServerHandle of(Process process, Path log) {
        return new ServerHandle(process, null, log);
    }

    boolean alive() {
        return container != null ? container.isRunning() : process.isAlive();
    }

    String log() {
        if (container != null) return container.getLogs();
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (container != null) {
            container.stop();
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
