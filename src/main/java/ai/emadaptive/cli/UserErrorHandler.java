package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactException;
import ai.emadaptive.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Bad input (an out-of-range option, a missing data folder, a broken artifact) ends a command with one line,
 * {@code error: <what is wrong>}, and exit code 2, like the commands' own checks. Anything else is a bug and keeps
 * its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
    static final int EXIT_BAD_INPUT = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) throws Exception {
        if (!(e instanceof IllegalArgumentException || e instanceof DataException || e instanceof ArtifactException)) throw e;
        cli.getErr().println("error: " + e.getMessage());
        cli.getErr().flush();
        return EXIT_BAD_INPUT;
    }
}
