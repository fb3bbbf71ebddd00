package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.data.DataException;
import ai.emadaptive.data.LabelledFrame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labelled frames are the frames their labels name: counted in a real H.264 file, cropped as the service crops. */
class LabelledFrameDecoderTest {
    private static final byte[] T = {1, 0};

    @TempDir
    Path dir;

    /** 60 frames whose grey level is 4 x the frame index (lossless H.264, so levels survive). */
    private Path numberedClip() throws Exception {
        Path mp4 = dir.resolve("video01.mp4");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(mp4.toFile(), 64, 48, 0)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setVideoOption("crf", "0");
            rec.setFrameRate(25);
            rec.start();
            for (int i = 0; i < 60; i++) {
                try (Frame f = new Frame(64, 48, Frame.DEPTH_UBYTE, 3)) {
                    java.nio.ByteBuffer b = (java.nio.ByteBuffer) f.image[0];
                    for (int p = 0; p < b.capacity(); p++) b.put(p, (byte) (4 * i));
                    rec.record(f, avutil.AV_PIX_FMT_BGR24);
                }
            }
        }
        return mp4;
    }

    @Test
    void videoFramesAreTheOnesTheLabelsName() throws Exception {
        Path clip = numberedClip();
        List<LabelledFrame> frames =
                List.of(new LabelledFrame(clip, 0, T), new LabelledFrame(clip, 25, T), new LabelledFrame(clip, 50, T));
        LabelledFrameDecoder.Decoded d = LabelledFrameDecoder.decode(frames, 8, 1);
        assertArrayEquals(new int[] {0, 1, 2}, d.frameOf());
        for (int i = 0; i < 3; i++) {
            int expected = 4 * 25 * i;
            assertEquals(expected, d.pixels()[i * 8 * 8 * 3 + 100] & 0xff, 3, "frame " + 25 * i);
        }
    }

    @Test
    void aClipLevelLabelKeepsEveryNthFrame() throws Exception {
        Path clip = numberedClip();
        LabelledFrameDecoder.Decoded d =
                LabelledFrameDecoder.decode(List.of(new LabelledFrame(clip, LabelledFrame.EVERY_FRAME, T)), 8, 20);
        assertEquals(3, d.count(), "frames 0, 20, 40 of 60");
        assertEquals(80, d.pixels()[8 * 8 * 3 + 5] & 0xff, 3);
    }

    @Test
    void aFrameBeyondTheVideoIsAnError() throws Exception {
        Path clip = numberedClip();
        DataException e = assertThrows(
                DataException.class, () -> LabelledFrameDecoder.decode(List.of(new LabelledFrame(clip, 75, T)), 8, 1));
        assertTrue(e.getMessage().contains("decodes to 60 frames, but its labels name frame 75"), e.getMessage());
    }

    @Test
    void stillsAreCutToTheirCentredSquareAsTheServiceCutsFrames() throws Exception {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 10, 20);
        g.setColor(new Color(0, 200, 0));
        g.fillRect(10, 0, 20, 20);
        g.setColor(Color.BLUE);
        g.fillRect(30, 0, 10, 20);
        g.dispose();
        Path png = dir.resolve("wide.png");
        ImageIO.write(img, "png", png.toFile());
        LabelledFrameDecoder.Decoded d =
                LabelledFrameDecoder.decode(List.of(new LabelledFrame(png, LabelledFrame.STILL, T)), 4, 1);
        for (int p = 0; p < 16; p++) {
            assertEquals(0, d.pixels()[3 * p] & 0xff, "no red from the left margin");
            assertEquals(200, d.pixels()[3 * p + 1] & 0xff);
            assertEquals(0, d.pixels()[3 * p + 2] & 0xff, "no blue from the right margin");
        }
        // a whole-frame model sees the margins: the first column of its 4x4 input is the red band, the last the blue
        LabelledFrameDecoder.Decoded whole = LabelledFrameDecoder.decode(
                List.of(new LabelledFrame(png, LabelledFrame.STILL, T)), 4, Manifest.Input.WHOLE_FRAME, 1);
        for (int y = 0; y < 4; y++) {
            assertEquals(255, whole.pixels()[3 * (4 * y)] & 0xff, "red at the left edge, row " + y);
            assertEquals(255, whole.pixels()[3 * (4 * y + 3) + 2] & 0xff, "blue at the right edge, row " + y);
        }
        // a letterboxed 2:1 image fills the middle two rows of a 4x4 input, all four bands' colours, black above and
        // below
        LabelledFrameDecoder.Decoded box = LabelledFrameDecoder.decode(
                List.of(new LabelledFrame(png, LabelledFrame.STILL, T)), 4, Manifest.Input.LETTERBOX, 1);
        int[][] expected = {{255, 0, 0}, {0, 200, 0}, {0, 200, 0}, {0, 0, 255}};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    int want = y == 1 || y == 2 ? expected[x][ch] : 0;
                    assertEquals(want, box.pixels()[3 * (4 * y + x) + ch] & 0xff, "pixel " + x + "," + y + " ch " + ch);
                }
            }
        }
    }
}
