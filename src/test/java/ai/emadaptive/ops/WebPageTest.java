package ai.emadaptive.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import ai.emadaptive.support.HeadlessChromium;
import ai.emadaptive.support.MediaProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
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
        given().contentType("application/json").header("X-API-Key", MediaProfile.TOKEN)
                .body("{\"id\":\"web\",\"url\":\"" + MediaProfile.CLIP + "\",\"loop\":true}").post("/api/streams").then().statusCode(201);
        try {
            String url = "http://127.0.0.1:" + RestAssured.port + "/";
            String dom = chromium.dumpDom(url);
            assertTrue(dom.contains("data-stream=\"web\""), "the page lists the stream: " + dom);
            assertTrue(dom.contains("class=\"state RUNNING\""), "with its state");
            assertTrue(dom.contains("/api/streams/web/mjpeg"), "and its live view");
            // The 2 s clip loops, so two shots can land on the same phase by chance: compare the first shot with
            // up to four later ones taken 0.7 s apart; one loop phase cannot match them all.
            Path first = tmp.resolve("first.png");
            chromium.screenshot(first, url);
            BufferedImage a = ImageIO.read(first.toFile());
            List<Double> diffs = new java.util.ArrayList<>();
            for (int i = 0; i < 4 && diffs.stream().noneMatch(d -> d > 1.0); i++) {
                Thread.sleep(700);
                Path later = tmp.resolve("later" + i + ".png");
                chromium.screenshot(later, url);
                diffs.add(videoDifference(a, ImageIO.read(later.toFile())));
            }
            assertTrue(diffs.stream().anyMatch(d -> d > 1.0),
                    "the live image changed between screenshots: mean differences to the first " + diffs);
        } finally {
            given().header("X-API-Key", MediaProfile.TOKEN).delete("/api/streams/web").then().statusCode(204);
        }
    }

    /** Mean absolute RGB difference inside the first stream card's video (the page's fixed layout at 1280 wide). */
    private static double videoDifference(BufferedImage a, BufferedImage b) {
        long sum = 0, n = 0;
        for (int y = 110; y < 350; y++) {
            for (int x = 40; x < 490; x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) sum += Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff));
                n += 3;
            }
        }
        return (double) sum / n;
    }
}
