package ai.emadaptive.train;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Per-epoch progress with rate and ETA: a live bar on a terminal; plain lines every 15 s otherwise (CI, logs).
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, long total, PrintWriter out) {
        boolean terminal = System.console() != null;
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" img", 1)
                .showSpeed()
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS);
        b.setStyle(ProgressBarStyle.ASCII);
        if (!terminal) {
            b.setConsumer(new DelegatingProgressBarConsumer(line -> {
                        out.println(line.trim());
                        out.flush();
                    }))
                    .setUpdateIntervalMillis(15_000);
        }
        bar = b.build();
    }

    void stepBy(long n, String extra) {
        bar.stepBy(n);
        bar.setExtraMessage(" " + extra);
    }

    @Override
    public void close() {
        bar.close();
    }
}
