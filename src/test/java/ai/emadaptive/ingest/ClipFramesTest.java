package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.data.DataException;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.frame.Yuv420;
import ai.emadaptive.generate.Instrument;
import ai.emadaptive.support.StreamingFixtures;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A labelled clip read as a data set: the frames the service would classify, with the sidecar's labels. */
class ClipFramesTest {
    private static final List<String> CLASSES =
            java.util.Arrays.stream(Instrument.values()).map(Instrument::label).toList();
    private static final float[] MEAN = {0.4f, 0.3f, 0.3f}, STD = {0.25f, 0.2f, 0.2f};
    private static final Manifest.Input INPUT = Manifest.Input.rgbNhwc(24, MEAN, STD);

    @TempDir
    Path dir;

    @Test
    void everyFrameIsCutAsTheServiceCutsItAndLabelledByItsRow() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 0.5, 320, 180, 11);
        List<String> rows = Files.readAllLines(GroundTruth.sidecar(clip));
        for (Manifest.Input input : List.of(INPUT, INPUT.withFit(Manifest.Input.LETTERBOX))) {
            ImageSet set = ClipFrames.load(clip, input, CLASSES);
            assertEquals(rows.size() - 1, set.count(), "one image per sidecar row");
            assertEquals(24, set.size());
            for (int i = 1; i < rows.size(); i++) {
                assertEquals(CLASSES.indexOf(rows.get(i).split(",")[2]), set.labels()[i - 1], "frame " + (i - 1));
            }
            // frame 4 through the service's own path: decoder bytes, then the normalised floats the network is fed
            float[] served = new float[24 * 24 * 3];
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
                g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                g.start();
                Frame f = null;
                for (int i = 0; i <= 4; i++) f = g.grabImage();
                byte[] yuv = new byte[Yuv420.length(320, 180)];
                StreamDecoder.packI420(f, yuv, 320, 180);
                new Preprocessor(input).fill(yuv, 320, 180, served);
            }
            int off = 4 * set.imageBytes();
            double worst = 0, topRow = 0;
            for (int k = 0; k < served.length; k++) {
                int c = k % 3;
                double value = (served[k] * STD[c] + MEAN[c]) * 255;
                worst = Math.max(worst, Math.abs(value - (set.pixels()[off + k] & 0xff)));
                if (k < 24 * 3) topRow = Math.max(topRow, value);
            }
            assertTrue(
                    worst <= 0.5 + 1e-3,
                    input.fitName() + ": bytes are the service's input rounded to 8 bits; worst difference " + worst);
            // a 16:9 frame letterboxed to 24 px fills 14 rows between 5 black ones above and below
            if (input.letterbox()) assertEquals(0, topRow, 1e-3, "the bar above the frame is black");
            else assertTrue(topRow > 10, "the centred square starts at the frame's top row: " + topRow);
        }
    }

    @Test
    void everyNthFrameKeepsItsOwnRowAndPixels() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 0.5, 320, 180, 13);
        ImageSet all = ClipFrames.load(clip, INPUT, CLASSES);
        ImageSet third = ClipFrames.load(clip, INPUT, CLASSES, 3);
        assertEquals((all.count() + 2) / 3, third.count(), "frames 0, 3, 6, ...");
        int b = all.imageBytes();
        for (int k = 0; k < third.count(); k++) {
            assertEquals(all.labels()[3 * k], third.labels()[k], "label of frame " + 3 * k);
            assertTrue(
                    java.util.Arrays.equals(
                            all.pixels(), 3 * k * b, (3 * k + 1) * b, third.pixels(), k * b, (k + 1) * b),
                    "pixels of frame " + 3 * k);
        }
        assertThrows(IllegalArgumentException.class, () -> ClipFrames.load(clip, INPUT, CLASSES, 0));
    }

    @Test
    void aSidecarThatDoesNotFitTheClipIsAnErrorNamingIt() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 0.3, 160, 120, 12);
        Path csv = GroundTruth.sidecar(clip);
        List<String> rows = Files.readAllLines(csv);

        Files.write(csv, rows.subList(0, rows.size() - 2));
        DataException more = assertThrows(DataException.class, () -> ClipFrames.load(clip, INPUT, CLASSES));
        assertTrue(
                more.getMessage().contains("more frames than the " + (rows.size() - 3) + " rows"), more.getMessage());

        List<String> extra = new ArrayList<>(rows);
        extra.add(rows.size() - 1 + ",999,none,0,0,0,0,0,0,0,0");
        Files.write(csv, extra);
        DataException fewer = assertThrows(DataException.class, () -> ClipFrames.load(clip, INPUT, CLASSES));
        assertTrue(fewer.getMessage().contains("decodes to " + (rows.size() - 1) + " frames"), fewer.getMessage());

        List<String> unknown = new ArrayList<>(rows);
        unknown.set(1, unknown.get(1).replaceFirst(",[a-z-]+,", ",forceps,"));
        Files.write(csv, unknown);
        IllegalArgumentException cls =
                assertThrows(IllegalArgumentException.class, () -> ClipFrames.load(clip, INPUT, CLASSES));
        assertTrue(cls.getMessage().contains("frame 0 has no class the model knows"), cls.getMessage());

        Files.delete(csv);
        assertThrows(FileNotFoundException.class, () -> ClipFrames.load(clip, INPUT, CLASSES));
        assertTrue(ClipFrames.isClip(clip));
        assertFalse(ClipFrames.isClip(dir));
    }

    @Test
    void aBrokenClipIsAnErrorNotACrash() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 0.3, 160, 120, 13);
        Files.write(clip, new byte[] {0, 1, 2, 3});
        DataException e = assertThrows(DataException.class, () -> ClipFrames.load(clip, INPUT, CLASSES));
        assertTrue(e.getMessage().startsWith("cannot open " + clip), e.getMessage());
    }
}
