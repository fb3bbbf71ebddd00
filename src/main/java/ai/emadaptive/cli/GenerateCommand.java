package ai.emadaptive.cli;

import ai.emadaptive.generate.ImageSetGenerator;
import ai.emadaptive.generate.VideoGenerator;
import ai.emadaptive.generate.YoloSetGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Procedural laparoscopic scenes with ground truth: labelled frame sets, multi-tool detection sets and"
                        + " procedure videos.",
        subcommands = {GenerateCommand.Images.class, GenerateCommand.Yolo.class, GenerateCommand.Video.class})
public final class GenerateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "images",
            mixinStandardHelpOptions = true,
            description = "Frame set in class folders (train/ and test/) with labels.csv of difficulty factors.")
    static final class Images implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "output folder")
        Path out;

        @Option(
                names = "--per-class",
                defaultValue = "1000",
                description = "training images per class (default ${DEFAULT-VALUE})")
        int perClass;

        @Option(
                names = "--test-per-class",
                defaultValue = "300",
                description = "held-out images per class (default ${DEFAULT-VALUE})")
        int testPerClass;

        @Option(
                names = "--size",
                defaultValue = "96",
                description = "square image side in pixels (default ${DEFAULT-VALUE})")
        int size;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "seed (default ${DEFAULT-VALUE}); test uses seed + 1")
        long seed;

        @Option(
                names = "--assistant",
                description =
                        "also draw an assistant's instrument of another class off-centre as a"
                                + " difficulty factor (labels.csv column assistant); without it a seed gives the frames it always gave")
        boolean assistant;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            ImageSetGenerator.generateSplits(out, perClass, testPerClass, size, seed, assistant);
            spec.commandLine().getOut().printf("wrote %s in %.0f s%n", out, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    /**
     * Frames with any subset of the tools, for tool presence and detection. The difficulty factors are drawn as for
     * {@code images}; {@code --assistant} has no place here, since every instrument in these frames is labelled.
     */
    @Command(
            name = "yolo",
            mixinStandardHelpOptions = true,
            description =
                    "Multi-tool frames (0-3 instruments) as a YOLO detection set: images/ and labels/ (train, val),"
                            + " data.yaml, and labels.csv of tool presence and difficulty factors.")
    static final class Yolo implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "output folder")
        Path out;

        @Option(names = "--train", defaultValue = "5000", description = "training images (default ${DEFAULT-VALUE})")
        int train;

        @Option(names = "--val", defaultValue = "1000", description = "validation images (default ${DEFAULT-VALUE})")
        int val;

        @Option(
                names = "--size",
                defaultValue = "256",
                description = "square image side in pixels (default ${DEFAULT-VALUE})")
        int size;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "seed (default ${DEFAULT-VALUE}); val uses seed + 1")
        long seed;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            YoloSetGenerator.generate(out, train, val, size, seed);
            spec.commandLine().getOut().printf("wrote %s in %.0f s%n", out, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    @Command(
            name = "video",
            mixinStandardHelpOptions = true,
            description = "H.264 MP4 of a procedure with a per-frame ground-truth CSV beside it.")
    static final class Video implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "output .mp4")
        Path out;

        @Option(
                names = "--scenario",
                defaultValue = "MIXED",
                description = "CLEAR, SMOKY or MIXED (default ${DEFAULT-VALUE})")
        VideoGenerator.Scenario scenario;

        @Option(names = "--seconds", defaultValue = "20", description = "duration (default ${DEFAULT-VALUE})")
        double seconds;

        @Option(names = "--fps", defaultValue = "30", description = "frame rate (default ${DEFAULT-VALUE})")
        int fps;

        @Option(names = "--width", defaultValue = "854", description = "(default ${DEFAULT-VALUE})")
        int width;

        @Option(names = "--height", defaultValue = "480", description = "(default ${DEFAULT-VALUE})")
        int height;

        @Option(names = "--seed", defaultValue = "1", description = "(default ${DEFAULT-VALUE})")
        long seed;

        @Option(
                names = "--bitrate",
                defaultValue = "1500000",
                description = "H.264 bits per second (default ${DEFAULT-VALUE})")
        int bitrate;

        @Option(
                names = "--assistant",
                description = "in SMOKY and MIXED clips, an assistant's instrument of another class"
                        + " comes in from the rim while the main one works (CSV column assistant); without it a seed gives the"
                        + " clip it always gave")
        boolean assistant;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            VideoGenerator.generate(out, scenario, seconds, fps, width, height, seed, bitrate, assistant);
            spec.commandLine()
                    .getOut()
                    .printf(
                            "wrote %s and %s in %.0f s%n",
                            out, VideoGenerator.sidecar(out), (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
