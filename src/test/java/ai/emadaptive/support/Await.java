package ai.emadaptive.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds; on timeout fails with a description of the state it saw. */
public final class Await {
    private Await() {}

    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> state)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end)
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s; " + state.get());
            Thread.sleep(50);
        }
    }

    public static void until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        until(condition, timeout, () -> "condition never held");
    }
}
