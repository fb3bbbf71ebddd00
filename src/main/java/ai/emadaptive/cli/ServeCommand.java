package ai.emadaptive.cli;

import ai.emadaptive.service.ServiceApplication;
import io.quarkus.runtime.Quarkus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
        name = ServeCommand.NAME,
        mixinStandardHelpOptions = true,
        description = "Run the service (the default when no command is given). Configuration: application.properties,"
                + " environment variables or -D system properties, e.g. -Demadaptive.model.path=model.zip.")
public final class ServeCommand implements Callable<Integer> {
    static final String NAME = "serve";

    @Unmatched
    String[] quarkusArgs = new String[0];

    @Override
    public Integer call() {
        Quarkus.run(ServiceApplication.class, quarkusArgs);
        return 0;
    }
}
