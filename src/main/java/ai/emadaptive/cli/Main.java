package ai.emadaptive.cli;

import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The one executable: {@code java -jar quarkus-run.jar [command]}. Offline commands (bench, model-info, ...) run
 * without booting the service, so they neither open ports nor wait for it; no command, or {@code serve}, starts it.
 */
@QuarkusMain
public final class Main {
    private Main() {}

    public static void main(String... args) {
        String[] effective = args.length == 0 ? new String[] {ServeCommand.NAME} : args;
        int code = EmAdaptiveCommand.commandLine().execute(effective);
        if (code != 0 || !ServeCommand.NAME.equals(effective[0])) System.exit(code);
    }
}
