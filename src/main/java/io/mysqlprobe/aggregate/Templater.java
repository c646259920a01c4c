package io.mysqlprobe.aggregate;

import io.mysqlprobe.fingerprint.Fingerprint;
import io.mysqlprobe.protocol.StatementRecord;

/** Turns a statement into its template and redacts sample text. Must be safe to call from several workers. */
public interface Templater {

    Fingerprint template(StatementRecord statement);

    /** The statement text with literal values replaced, for samples when raw SQL is off. */
    String redact(String sql);

    /**
     * A view for one thread's use only (a decode worker's aggregator), which may keep per-thread state without
     * looking it up per call; by default this same, shared instance.
     */
    default Templater forOneThread() {
        return this;
    }
}
