package ai.emadaptive.output;

import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A service recording one looping clip in real time, in its own JVM, for {@link RecordingKillTest} to kill with
 * SIGKILL. Prints {@code recording <file>} once the first frame is recorded, then {@code processed <n>} every 100 ms.
 * Args: model file, clip, recordings folder.
 */
public final class RecordingChild {
    public static void main(String[] args) throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Path clip = Path.of(args[1]);
        PipelineSettings settings = PipelineSettings.defaults().withRecordings(Path.of(args[2]));
        Pipeline pipeline = new Pipeline(
                ArtifactReader.read(Path.of(args[0])),
                settings,
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(clip.getParent())),
                null);
        StreamContext s = pipeline.add(
                StreamSpec.of("or-1", clip.toString()).withLoop(true).withRecord(true));
        boolean announced = false;
        while (true) {
            if (!announced && pipeline.recording("or-1").isPresent() && s.processedCount() > 0) {
                System.out.println("recording " + pipeline.recording("or-1").get());
                announced = true;
            }
            System.out.println("processed " + s.processedCount());
            System.out.flush();
            Thread.sleep(100);
        }
    }
}
