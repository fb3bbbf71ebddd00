package ai.emadaptive.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import ai.emadaptive.ingest.SourceKind;
import ai.emadaptive.ingest.SourceUrl;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.output.PreviewFrame;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The overlay is drawn only on frames someone will see: the live view when it is due, a recording, an observer. */
class OverlayDemandTest {
    @Test
    void theLiveViewTakesOnlyOverlaidFramesAndOnlyWhileWatched() {
        PreviewFrame preview = new PreviewFrame(15);
        FrameBuffer f = new FramePool(32, 24, 1).acquire();
        f.overlaid = true;
        assertFalse(preview.due(), "nobody watches yet");
        preview.offer(f);
        assertEquals(0, preview.sequence());

        preview.watch();
        assertTrue(preview.due());
        f.overlaid = false;
        preview.offer(f);
        assertEquals(0, preview.sequence(), "a frame without its overlay is not shown");
        f.overlaid = true;
        preview.offer(f);
        assertEquals(1, preview.sequence());
        assertNotNull(preview.jpeg());
        assertFalse(preview.due(), "the next frame within 1/15 s is not wanted");
    }

    @Test
    void aStreamWantsTheOverlayWhenItsOutputsDoOrSomeoneObserves() {
        StreamContext s = new StreamContext(
                StreamSpec.of("a", "rtsp://x/a"),
                new SourceUrl("rtsp://x/a", SourceKind.NETWORK, "rtsp://x/a", null, null),
                1.0,
                List.of("a", "b"),
                TaskType.SINGLE_LABEL,
                1);
        assertTrue(s.wantsOverlay(), "drawn by default");
        AtomicBoolean shown = new AtomicBoolean(false);
        s.overlayWhen(shown::get);
        assertFalse(s.wantsOverlay());
        shown.set(true);
        assertTrue(s.wantsOverlay());
        shown.set(false);
        s.observer(frame -> {});
        assertTrue(s.wantsOverlay(), "an observer (e.g. a snapshot) sees every frame");
    }
}
