package ai.emadaptive.service;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Service settings under {@code emadaptive.*}. */
@ConfigMapping(prefix = "emadaptive")
public interface ServiceConfig {

    Model model();

    interface Model {
        /**
         * Model artifact to serve. Unset: no model is loaded yet (the streaming work adds the embedded default);
         * readiness reports it.
         */
        Optional<Path> path();
    }
}
