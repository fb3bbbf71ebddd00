package ai.emadaptive.service;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** The long-running service: Quarkus starts the HTTP endpoints and beans, then this waits for shutdown. */
public final class ServiceApplication implements QuarkusApplication {
    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
