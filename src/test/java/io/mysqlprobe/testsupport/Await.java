package io.mysqlprobe.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;

/** The one way tests wait: poll a condition until it holds or a deadline passes (then fail, saying what). */
public final class Await {

    private static final long POLL_NANOS = 20_000_000L;

    private Await() {}

    /**
     * Polls {@code condition} every 20 ms until it returns true; an exception it throws ends the wait at once.
     *
     * @throws AssertionError when {@code timeout} passes first
     */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted waiting for " + what);
            }
        }
    }
}
