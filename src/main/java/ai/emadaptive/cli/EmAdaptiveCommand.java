package ai.emadaptive.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "em-adaptive",
        mixinStandardHelpOptions = true,
        version = "em-adaptive 0.1.0",
        description = "Real-time video classification with a multi-exit ResNet-18 and EM-trained routers.",
        subcommands = {
            ServeCommand.class,
            TrainCommand.class,
            RoutersCommand.class,
            UncertaintyCommand.class,
            EvaluateCommand.class,
            SweepCommand.class,
            PlotCommand.class,
            GenerateCommand.class,
            BenchCommand.class,
            BenchPipelineCommand.class,
            BenchLoadCommand.class,
            BenchFaultsCommand.class,
            SnapshotCommand.class,
            ModelInfoCommand.class,
            ExportOnnxCommand.class,
            ImportWeightsCommand.class
        })
public final class EmAdaptiveCommand implements Runnable {
    /** The command line every entry point runs: bad input ends in one {@code error:} line, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new EmAdaptiveCommand()).setExecutionExceptionHandler(new UserErrorHandler());
    }

    @Override
    public void run() {
        // a bare invocation is rewritten to "serve" by Main; reaching here means options only, e.g. --help
    }
}
