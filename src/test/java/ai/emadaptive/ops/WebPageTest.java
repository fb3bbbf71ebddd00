package ai.emadaptive.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.support.HeadlessChromium;
import ai.emadaptive.support.MediaProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real headless browser (Debian's chromium, which {@code .ci/run} installs): it loads, lists the
 * running stream with its state, and its live image changes between screenshots.
 */
@QuarkusTest
@TestProfile(MediaProfile.class)
class WebPageTest {
    @TempDir
    Path tmp;

    @Test
    void pageListsStreamsAndTheLiveImageUpdates() throws Exception {
        assumeTrue(HeadlessChromium.available(), "Debian's chromium is not installed (.ci/run installs it)");
        HeadlessChromium chromium = new HeadlessChromium(tmp);
        given().contentType("application/json")
                .header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"web\",\"url\":\"" + MediaProfile.RAMP_CLIP + "\",\"loop\":true}")
                .post("/api/streams")
                .then()
                .statusCode(201);
        try {
            String url = "http://127.0.0.1:" + RestAssured.port + "/";
            String dom = chromium.dumpDom(url);
            assertTrue(dom.contains("data-stream=\"web\""), "the page lists the stream: " + dom);
            assertTrue(dom.contains("class=\"state RUNNING\""), "with its state");
            assertTrue(dom.contains("/api/streams/web/mjpeg"), "and its live view");
            // Shots taken before the first JPEG arrives show the empty (black) box and are skipped. The 2 s clip is a
            // grey ramp (a generated scene changed too little between shots to tell from JPEG noise) and loops, so two
            // shots can land on the same phase by chance: compare the first shot that shows video with up to seven
            // later ones taken 0.7 s apart; one loop phase cannot match them all.
            BufferedImage first = null;
            List<String> seen = new java.util.ArrayList<>();
            boolean changed = false;
            for (int i = 0; i < 8 && !changed; i++) {
                if (i > 0) Thread.sleep(700);
                Path shot = tmp.resolve("shot" + i + ".png");
                chromium.screenshot(shot, url);
                BufferedImage img = ImageIO.read(shot.toFile());
                double level = meanLevel(img);
                if (level < 2.0) {
                    seen.add(String.format("no frame yet (level %.2f)", level));
                } else if (first == null) {
                    first = img;
                    seen.add(String.format("first frame (level %.1f)", level));
                } else {
                    double d = videoDifference(first, img);
                    seen.add(String.format("difference %.2f", d));
                    changed = d > 1.0;
                }
            }
            assertTrue(first != null, "the live image shows video: " + seen);
            assertTrue(changed, "the live image changed between screenshots: " + seen);
        } finally {
            given().header("X-API-Key", MediaProfile.TOKEN)
                    .delete("/api/streams/web")
                    .then()
                    .statusCode(204);
        }
    }

    /** Mean absolute RGB difference inside the first stream card's video box (the page's fixed layout at 1280 wide). */
    private static double videoDifference(BufferedImage a, BufferedImage b) {
        long sum = 0, n = 0;
        for (int y = Y0; y < Y1; y++) {
            for (int x = X0; x < X1; x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) sum += Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff));
                n += 3;
            }
        }
        return (double) sum / n;
    }

    /** Mean RGB level inside the video box: 0 while the box is still empty (black). */
    private static double meanLevel(BufferedImage a) {
        long sum = 0, n = 0;
        for (int y = Y0; y < Y1; y++) {
            for (int x = X0; x < X1; x++) {
                int p = a.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) sum += (p >> s) & 0xff;
                n += 3;
            }
        }
        return (double) sum / n;
    }

    // Inside the first card's 16:9 video box (x 26-506, y 95-365 at a window 1280 wide).
    private static final int X0 = 40, X1 = 490, Y0 = 110, Y1 = 350;
}
