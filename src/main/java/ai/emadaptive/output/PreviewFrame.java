package ai.emadaptive.output;

import ai.emadaptive.frame.FrameBuffer;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The latest overlaid frame of a stream for the live view. Frames are copied only while someone watches (a viewer
 * asked within the last few seconds) and at most at {@code maxFps}; JPEG encoding happens on the viewer's thread,
 * once per new frame.
 */
public final class PreviewFrame {
    private static final long WATCH_NANOS = 5_000_000_000L;
    private final long minGapNanos;
    private volatile long lastRequest = Long.MIN_VALUE / 2;
    private long lastCopy;
    private BufferedImage image;
    private long sequence;
    private long encodedSequence = -1;
    private byte[] jpeg;

    public PreviewFrame(double maxFps) {
        this.minGapNanos = (long) (1e9 / maxFps);
    }

    /** The shortest gap between two copies, 1/maxFps: how often a viewer needs to look for a new frame. */
    public long intervalMillis() {
        return Math.max(1, minGapNanos / 1_000_000);
    }

    /** Whether the next frame would be taken: someone watches and the last copy is old enough. */
    public boolean due() {
        long now = System.nanoTime();
        return now - lastRequest <= WATCH_NANOS && now - lastCopy >= minGapNanos;
    }

    /** Called with each processed frame (pipeline thread); takes only frames with their overlay. */
    public void offer(FrameBuffer f) {
        long now = System.nanoTime();
        if (!f.overlaid || now - lastRequest > WATCH_NANOS || now - lastCopy < minGapNanos) return;
        synchronized (this) {
            if (image == null || image.getWidth() != f.width || image.getHeight() != f.height) {
                image = new BufferedImage(f.width, f.height, BufferedImage.TYPE_3BYTE_BGR);
            }
            byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            System.arraycopy(f.bgr(), 0, dst, 0, dst.length);
            sequence++;
            lastCopy = now;
        }
    }

    /** Marks the stream as watched, so frames are kept from now on. */
    public void watch() {
        lastRequest = System.nanoTime();
    }

    public synchronized long sequence() {
        return sequence;
    }

    /** The latest frame as JPEG, or null before the first frame since someone started watching. */
    public synchronized byte[] jpeg() {
        watch();
        if (image == null) return null;
        if (encodedSequence != sequence) {
            jpeg = encode(image);
            encodedSequence = sequence;
        }
        return jpeg;
    }

    static byte[] encode(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 10);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.8f);
            writer.write(null, new IIOImage(image, null, null), p);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
