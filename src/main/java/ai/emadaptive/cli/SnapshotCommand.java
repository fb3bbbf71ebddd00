package ai.emadaptive.cli;

import ai.emadaptive.artifact.EmbeddedModel;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = "Runs a clip through the pipeline and saves one overlaid frame as PNG: what the service shows.")
public final class SnapshotCommand implements Callable<Integer> {

    @Option(names = "--clip", required = true, description = "video file")
    Path clip;

    @Option(names = "--frame", defaultValue = "0", description = "frame index to save (default ${DEFAULT-VALUE})")
    long frame;

    @Option(names = "--lambda", description = "router lambda (default: the model's)")
    Double lambda;

    @Option(names = "--model", description = "model artifact (default: the embedded default model)")
    Path model;

    @Option(names = "--out", required = true, description = "PNG to write")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ModelArtifact artifact = EmbeddedModel.readOr(model);
        Path file = clip.toAbsolutePath().normalize();
        AtomicReference<BufferedImage> shot = new AtomicReference<>();
        AtomicReference<FrameResult> result = new AtomicReference<>();
        try (Pipeline p = new Pipeline(
                artifact,
                PipelineSettings.defaults(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(file.getParent())),
                r -> {
                    if (r.frame() == frame) result.set(r);
                })) {
            StreamContext s = p.add(StreamSpec.of("snapshot", file.toString())
                    .withLambda(lambda)
                    .withRealtime(false));
            s.observer(f -> {
                if (f.frameIndex != frame) return;
                BufferedImage copy = new BufferedImage(f.width, f.height, BufferedImage.TYPE_3BYTE_BGR);
                copy.setData(f.image().getRaster());
                shot.set(copy);
            });
            while (s.state().active() && shot.get() == null) Thread.sleep(10);
            if (shot.get() == null) {
                spec.commandLine()
                        .getErr()
                        .println("error: no frame " + frame + " (" + s.state()
                                + (s.lastError() == null ? "" : ": " + s.lastError()) + ")");
                return 1;
            }
        }
        if (out.toAbsolutePath().getParent() != null)
            Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(shot.get(), "png", out.toFile());
        FrameResult r = result.get();
        if (r != null) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "frame %d: %s (%.0f%%), exit %d, cost %.2f, truth %s -> %s%n",
                            frame, r.label(), 100 * r.confidence(), r.exit(), r.cost(), r.truth(), out);
        }
        return 0;
    }
}
