package ai.emadaptive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.support.StreamingFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault benchmark end to end on a short run: real servers misbehaving on the loopback beside a healthy stream.
 * Its figures vary with the machine; what must hold anywhere is asserted: deletes are prompt, no decoder thread is
 * left, a stream added meanwhile runs, the flapping source runs again after it returns.
 */
class FaultBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void theTransportStreamIsPacedByItsFramesTimes() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 2.0, 160, 120, 2);
        Path ts = dir.resolve("clip.ts");
        double seconds = FaultBenchmark.toTransportStream(clip, ts);
        assertEquals(2.0, seconds, 0.05);
        double[] at = HostileSources.schedule(Files.readAllBytes(ts));
        for (int i = 1; i < at.length; i++) assertTrue(at[i] >= at[i - 1], "due times never go back");
        assertEquals(0.0, at[0]);
        assertEquals(2.0 - 1 / 30.0, at[at.length - 1], 0.05, "the last frame is due at its presentation time");
    }

    @Test
    void hostileSourcesHurtNeitherDeletesNorOtherStreams() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 2.0, 320, 240, 3);
        FaultBenchmark.Report r = new FaultBenchmark(
                        StreamingFixtures.routedModel(3), clip, PipelineSettings.defaults(), s -> {})
                .run(1, 4, 6, 33, 1.5, 1.0, true);
        assertEquals(4, r.hostile().size());
        assertTrue(
                r.alone().frames() > 100 && r.withHostile().frames() > 100, "the healthy stream played in both phases");
        assertEquals(0, r.withHostile().dropped(), "and dropped nothing beside the hostile sources");
        assertTrue(
                r.newStreamToRunningMs() < 2000,
                "a stream added meanwhile runs at once: " + r.newStreamToRunningMs() + " ms");
        assertFalse(r.flappingBackMs().isEmpty(), "the flapping source came back during the run");
        for (double ms : r.flappingBackMs())
            assertTrue(ms < 3000, "and ran again soon after each return: " + r.flappingBackMs());
        r.deleteMs().forEach((id, ms) -> assertTrue(ms < 1000, id + " deleted in " + ms + " ms"));
        assertTrue(
                r.hostileStates().get("trickle-1").contains("source stalled")
                        || r.hostileStates().get("trickle-1").startsWith("STARTING"),
                r.hostileStates().toString());
        assertTrue(
                r.hostileStates().get("refusing-3").contains("Connection refused"),
                r.hostileStates().toString());
        assertEquals(0, r.decoderThreadsLeft(), "no decoder thread outlives its stream");
    }
}
