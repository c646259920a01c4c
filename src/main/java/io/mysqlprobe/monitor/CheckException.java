package io.mysqlprobe.monitor;

/** A failed check step, with the text that goes into the log's error column. */
final class CheckException extends Exception {

    private final boolean timedOut;

    CheckException(String message, boolean timedOut) {
        super(message, null, false, false);
        this.timedOut = timedOut;
    }

    boolean timedOut() {
        return timedOut;
    }
}
