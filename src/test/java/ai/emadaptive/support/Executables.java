package ai.emadaptive.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the server programs some tests drive (installed by .ci/run); those tests skip when one is missing. */
public final class Executables {
    private Executables() {}

    /** Whether {@code name} is an executable on the PATH. */
    public static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }
}
