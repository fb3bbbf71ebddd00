package ai.emadaptive.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    @TempDir
    Path dir;

    private static int[] pixels(BufferedImage img) {
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    @Test
    void sameSeedSamePixelsOtherSeedOtherPixels() {
        Scene a = SceneSampler.sample(Instrument.GRASPER, new Difficulty(2, 1, 1, 0, -1, 1, 1), new Random(3), 96, 96);
        Scene b = SceneSampler.sample(Instrument.GRASPER, new Difficulty(2, 1, 1, 0, -1, 1, 1), new Random(3), 96, 96);
        assertEquals(a, b);
        assertArrayEquals(pixels(new SceneRenderer().render(a, 96, 96)), pixels(new SceneRenderer().render(b, 96, 96)));
        Scene c = SceneSampler.sample(Instrument.GRASPER, new Difficulty(2, 1, 1, 0, -1, 1, 1), new Random(4), 96, 96);
        assertFalse(java.util.Arrays.equals(
                pixels(new SceneRenderer().render(a, 96, 96)), pixels(new SceneRenderer().render(c, 96, 96))));
    }

    @Test
    void everyFactorChangesTheFrameAndTheFieldRimIsBlack() {
        SceneRenderer r = new SceneRenderer();
        Scene clear = new Scene(1, Instrument.HOOK, 0.5, 0.5, 0.3, 0.5, 0, 0, Difficulty.CLEAR, 5, 0);
        int[] base = pixels(r.render(clear, 128, 128));
        assertEquals(0, base[0], "corner outside the scope's field is black");
        Difficulty[] each = {
            new Difficulty(2, 0, 0, 0, 0, 0, 0),
            new Difficulty(0, 2, 0, 0, 0, 0, 0),
            new Difficulty(0, 0, 2, 0, 0, 0, 0),
            new Difficulty(0, 0, 0, 0, 2, 0, 0),
            new Difficulty(0, 0, 0, 0, -2, 0, 0),
            new Difficulty(0, 0, 0, 0, 0, 2, 0),
            new Difficulty(0, 0, 0, 0, 0, 0, 2)
        };
        for (Difficulty d : each) {
            int[] p = pixels(r.render(new Scene(1, Instrument.HOOK, 0.5, 0.5, 0.3, 0.5, 0, 0, d, 5, 0), 128, 128));
            int changed = 0;
            for (int i = 0; i < p.length; i++) if (p[i] != base[i]) changed++;
            assertTrue(changed > p.length / 50, d + " changed only " + changed + " pixels");
        }
        // the assistant's instrument is small and off-centre: it changes pixels, nearly all of them away from the
        // centre
        int[] assisted = pixels(r.render(
                new Scene(1, Instrument.HOOK, 0.5, 0.5, 0.3, 0.5, 0, 0, new Difficulty(0, 0, 0, 0, 0, 0, 0, 2), 5, 0),
                128,
                128));
        int changed = 0, central = 0;
        for (int i = 0; i < assisted.length; i++) {
            if (assisted[i] == base[i]) continue;
            changed++;
            if (Math.hypot(i % 128 - 64, i / 128 - 64) < 0.5 * SceneRenderer.fovRadius(128, 128)) central++;
        }
        assertTrue(changed > 100, "the assistant's instrument changed only " + changed + " pixels");
        assertTrue(central < changed / 10, central + " of " + changed + " changed pixels are central");
        int[] none = pixels(
                r.render(new Scene(1, Instrument.NONE, 0.5, 0.5, 0.3, 0.5, 0, 0, Difficulty.CLEAR, 5, 0), 128, 128));
        assertFalse(java.util.Arrays.equals(none, base), "the instrument is drawn");
    }

    @Test
    void imageSetHasEveryClassAndFactorAndItsCsvMatches() throws Exception {
        int[] factorSeen = checkImageSet(dir, false);
        for (int k = 0; k < 7; k++) assertTrue(factorSeen[k] > 0, "factor " + k + " never produced");
        assertEquals(0, factorSeen[7], "no assistant's instrument unless asked for");
    }

    @Test
    void theAssistantsInstrumentIsAFactorWhenAskedFor() throws Exception {
        int[] factorSeen = checkImageSet(dir, true);
        for (int k = 0; k < 8; k++) assertTrue(factorSeen[k] > 0, "factor " + k + " never produced");
    }

    /** Generates 12 frames a class at 48 px and checks files, classes, levels and CSV; returns how often each factor appeared. */
    private static int[] checkImageSet(Path dir, boolean withAssistant) throws Exception {
        ImageSetGenerator.generate(dir, 12, 48, 7, withAssistant);
        List<String> rows = Files.readAllLines(dir.resolve(ImageSetGenerator.CSV));
        assertEquals("file,class," + Difficulty.CSV_HEADER + ",patient", rows.get(0));
        assertEquals(1 + 12 * Instrument.values().length, rows.size());
        Set<String> classes = new HashSet<>();
        int[] factorSeen = new int[8];
        Set<Integer> levels = new HashSet<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            Path img = dir.resolve(f[0]);
            assertTrue(Files.isRegularFile(img), row);
            assertEquals(f[1], img.getParent().getFileName().toString(), "file lies in its class folder");
            BufferedImage im = ImageIO.read(img.toFile());
            assertEquals(48, im.getWidth());
            classes.add(f[1]);
            int max = 0;
            for (int k = 0; k < 8; k++) {
                int level = Integer.parseInt(f[2 + k]);
                if (level != 0) factorSeen[k]++;
                max = Math.max(max, Math.abs(level));
            }
            assertEquals(max, Integer.parseInt(f[10]), "level is the most severe factor: " + row);
            levels.add(max);
        }
        Set<String> expected = new HashSet<>();
        for (Instrument i : EnumSet.allOf(Instrument.class)) expected.add(i.label());
        assertEquals(expected, classes);
        assertEquals(Set.of(0, 1, 2, 3), levels);
        return factorSeen;
    }

    @Test
    void shortClipDecodesWithTheFramesAndRowsItClaims() throws Exception {
        Path mp4 = dir.resolve("clip.mp4");
        VideoGenerator.generate(mp4, VideoGenerator.Scenario.MIXED, 2, 15, 320, 180, 3, 500_000);
        List<String> rows = Files.readAllLines(VideoGenerator.sidecar(mp4));
        assertEquals(VideoGenerator.CSV_HEADER, rows.get(0));
        assertEquals(30, rows.size() - 1);
        int frames = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            assertEquals(320, g.getImageWidth());
            assertEquals(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264, g.getVideoCodec());
            for (Frame f; (f = g.grabImage()) != null; ) {
                assertNotNull(f.image);
                frames++;
            }
            g.stop();
        }
        assertEquals(30, frames);
        for (int i = 1; i < rows.size(); i++) assertTrue(rows.get(i).startsWith((i - 1) + ","), rows.get(i));
    }

    @Test
    void aClipsAssistantComesInStepByStepWhileTheMainInstrumentWorksAndOnlyWhenAsked() throws Exception {
        Path plain = dir.resolve("plain.mp4"), with = dir.resolve("assistant.mp4");
        VideoGenerator.generate(plain, VideoGenerator.Scenario.MIXED, 30, 8, 160, 96, 5, 200_000);
        VideoGenerator.generate(with, VideoGenerator.Scenario.MIXED, 30, 8, 160, 96, 5, 200_000, true);
        List<String> a = Files.readAllLines(VideoGenerator.sidecar(plain)),
                b = Files.readAllLines(VideoGenerator.sidecar(with));
        assertEquals(a.size(), b.size());
        int withAssistant = 0, previous = 0;
        for (int i = 1; i < a.size(); i++) {
            String[] p = a.get(i).split(","), q = b.get(i).split(",");
            assertEquals("0", p[10], "no assistant without the option: " + a.get(i));
            int level = Integer.parseInt(q[10]);
            assertTrue(
                    Math.abs(level - previous) <= 1, "the assistant steps in and out a level at a time: " + b.get(i));
            previous = level;
            if (level == 0) continue;
            withAssistant++;
            assertEquals(p[2], q[2], "the label stays the main instrument: " + b.get(i));
            assertEquals("0", q[6], "the main tip is central while the assistant is in: " + b.get(i));
            assertTrue(Integer.parseInt(q[11]) >= level, "level counts the assistant: " + b.get(i));
        }
        assertTrue(withAssistant > 10, withAssistant + " frames with an assistant");
        assertEquals(0, previous, "gone by the end of its segment");
    }

    @Test
    void theAssistantsScheduleRisesHoldsAndFallsWithinTheWorkingPhase() {
        // at 30 fps a level lasts 5 frames (0.15 s): frames 10..60 are the main instrument's working phase
        assertEquals(0, VideoGenerator.assistantNow(3, 9, 10, 60, 30));
        assertEquals(1, VideoGenerator.assistantNow(3, 10, 10, 60, 30));
        assertEquals(2, VideoGenerator.assistantNow(3, 15, 10, 60, 30));
        assertEquals(3, VideoGenerator.assistantNow(3, 35, 10, 60, 30));
        assertEquals(2, VideoGenerator.assistantNow(2, 35, 10, 60, 30), "never past its segment's level");
        assertEquals(1, VideoGenerator.assistantNow(3, 60, 10, 60, 30));
        assertEquals(0, VideoGenerator.assistantNow(3, 61, 10, 60, 30));
    }
}
