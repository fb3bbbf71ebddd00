package ai.emadaptive.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's chromium, headless, as the web page's tests drive it ({@code .ci/run} installs it). */
public final class HeadlessChromium {
    private final Path tmp;

    public HeadlessChromium(Path tmp) {
        this.tmp = tmp;
    }

    public static boolean available() {
        return Executables.onPath("chromium");
    }

    /** The page's DOM after its scripts ran for a while. */
    public String dumpDom(String url) throws Exception {
        return run("--dump-dom", url);
    }

    public void screenshot(Path png, String url) throws Exception {
        run("--screenshot=" + png, url);
    }

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("profile"),
                "--window-size=1280,800",
                "--virtual-time-budget=3000",
                "--timeout=10000")); // the MJPEG image never finishes loading: stop waiting for the page after 10 s
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish");
        }
        return Files.readString(out);
    }
}
