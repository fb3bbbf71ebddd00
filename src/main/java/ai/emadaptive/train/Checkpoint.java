package ai.emadaptive.train;

import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.ModelArtifact;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training run's state after an epoch, in a folder: {@code model.zip} (a complete artifact, usable on its own),
 * {@code optimizer.zip} (momentum or Adam moments by tensor name) and {@code state.json} (where the run is).
 * Each file is written beside its final name and moved into place, so an interrupted save keeps the previous one.
 */
public final class Checkpoint {
    static final String MODEL = "model.zip";
    static final String OPTIMIZER = "optimizer.zip";
    static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a run stands: next phase and epoch to run, optimiser steps done in that phase, metrics so far. */
    public record State(int phase, int epoch, long step, long seed, List<Map<String, Object>> history) {}

    public record Loaded(ModelArtifact artifact, Map<String, INDArray> optimizer, State state) {}

    private Checkpoint() {}

    public static void save(Path dir, ModelArtifact artifact, Optimizer optimizer, State state) throws IOException {
        Files.createDirectories(dir);
        ArtifactWriter.write(artifact, dir.resolve(MODEL));
        Path tmp = dir.resolve(OPTIMIZER + ".tmp");
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            for (Map.Entry<String, INDArray> e : optimizer.state().entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                DataOutputStream out = new DataOutputStream(zip);
                Nd4j.write(e.getValue(), out);
                out.flush();
                zip.closeEntry();
            }
        }
        Files.move(tmp, dir.resolve(OPTIMIZER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path stateTmp = dir.resolve(STATE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(stateTmp.toFile(), state);
        Files.move(stateTmp, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(STATE)) && Files.isRegularFile(dir.resolve(MODEL));
    }

    public static Loaded load(Path dir) throws IOException {
        ModelArtifact artifact = ArtifactReader.read(dir.resolve(MODEL));
        Map<String, INDArray> opt = new LinkedHashMap<>();
        try (ZipInputStream zip =
                new ZipInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER))))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                opt.put(e.getName(), Nd4j.read(new DataInputStream(zip)));
            }
        }
        State state = JSON.readValue(dir.resolve(STATE).toFile(), State.class);
        return new Loaded(artifact, opt, state);
    }
}
