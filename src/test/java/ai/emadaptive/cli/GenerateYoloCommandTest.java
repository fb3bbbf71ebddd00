package ai.emadaptive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code generate yolo} as the executable runs it. */
class GenerateYoloCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = EmAdaptiveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void writesTheSetItIsAskedFor() throws Exception {
        Path set = dir.resolve("yolo");
        assertEquals(
                0,
                run(
                        "generate",
                        "yolo",
                        "--out",
                        set.toString(),
                        "--train",
                        "3",
                        "--val",
                        "2",
                        "--size",
                        "24",
                        "--seed",
                        "4"));
        assertTrue(out.toString().startsWith("wrote " + set), out.toString());
        assertTrue(Files.isRegularFile(set.resolve("data.yaml")));
        assertTrue(Files.isRegularFile(set.resolve("images/train/000002.png")));
        assertTrue(Files.isRegularFile(set.resolve("labels/val/000001.txt")));
        assertEquals(1 + 3 + 2, Files.readAllLines(set.resolve("labels.csv")).size());
    }

    @Test
    void refusesAnEmptyTrainingSplitAndShowsHelp() {
        assertEquals(2, run("generate", "yolo", "--out", dir.resolve("y").toString(), "--train", "0"));
        assertTrue(err.toString().contains("training images must be >= 1"), err.toString());
        assertEquals(0, run("generate", "yolo", "--help"));
        assertTrue(out.toString().contains("Usage: em-adaptive generate yolo"), out.toString());
    }
}
