package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactException;
import ai.emadaptive.data.DataException;
import ai.emadaptive.ingest.SourceRejectedException;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Bad input (an out-of-range option, a missing file or data folder, a broken artifact, a clip that cannot be opened)
 * ends a command with one line, {@code error: <what is wrong>}, and exit code 2, like the commands' own checks.
 * Anything else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
    static final int EXIT_BAD_INPUT = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) throws Exception {
        if (!isBadInput(e)) throw e;
        // NoSuchFileException's message is the bare path
        cli.getErr().println("error: " + (e instanceof NoSuchFileException ? "no such file: " : "") + e.getMessage());
        cli.getErr().flush();
        return EXIT_BAD_INPUT;
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof IllegalArgumentException
                || e instanceof DataException
                || e instanceof ArtifactException
                || e instanceof SourceRejectedException
                || e instanceof FileNotFoundException
                || e instanceof NoSuchFileException;
    }
}
