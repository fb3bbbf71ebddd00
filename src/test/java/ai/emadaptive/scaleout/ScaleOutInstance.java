package ai.emadaptive.scaleout;

import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.support.ResultProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A service instance in its own JVM for {@link ScaleOutTest}, so that "killing an instance" is a real process kill:
 * a pipeline whose streams come from the control topic; prints the streams it runs every 250 ms.
 * Args: bootstrap servers, control topic, group, model file, clip folder, results topic. Also prints, per stream,
 * the result events the broker acknowledged.
 */
public final class ScaleOutInstance {
    public static void main(String[] args) throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ResultProducer results = new ResultProducer(args[0], args[5], "instance-a");
        Pipeline pipeline = new Pipeline(
                ArtifactReader.read(Path.of(args[3])),
                PipelineSettings.defaults(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(Path.of(args[4]))),
                results);
        new StreamAssignments(
                        pipeline,
                        args[0],
                        args[1],
                        args[2],
                        "instance-a",
                        Duration.ofSeconds(6),
                        Duration.ofSeconds(10))
                .start();
        while (true) {
            String ids = pipeline.streams().stream()
                    .filter(s -> s.state() == StreamState.RUNNING && s.processedCount() > 0)
                    .map(s -> s.id())
                    .sorted()
                    .collect(Collectors.joining(","));
            String acked = pipeline.streams().stream()
                    .map(s -> s.id() + "=" + results.acked(s.id()))
                    .collect(Collectors.joining(","));
            System.out.println("acked:" + acked);
            System.out.println("running:" + ids);
            System.out.flush();
            Thread.sleep(250);
        }
    }
}
