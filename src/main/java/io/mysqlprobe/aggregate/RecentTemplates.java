package io.mysqlprobe.aggregate;

import io.mysqlprobe.fingerprint.Fingerprint;
import java.util.Arrays;

/**
 * The {@link TemplateStats} that the last statements of one window went to, found again by what their {@link
 * TemplateKey} is made of, compared by identity: the fingerprint (one instance per shape while the fingerprinter's
 * cache keeps it), the connection's names (one instance per connection, so its server) and the schema String the
 * connection's decoder holds. A hit costs no key, no hash and no equals; a miss (another instance of an equal value,
 * a collision, an overflowed statement, a new window) is only the {@link WindowData} lookup as before, which then
 * fills the slot. So whatever it holds, a statement goes to the same statistics as without it.
 *
 * <p>Valid for one window: asked about another, it forgets everything first, so statements of two windows are
 * never mixed, and it never keeps more than {@value #SLOTS} statistics of the current window alive. A direct-mapped
 * table; one owner (the worker's aggregator).
 */
final class RecentTemplates {

    static final int SLOTS = 256;

    private final Fingerprint[] fingerprints = new Fingerprint[SLOTS];
    private final ConnectionNames[] names = new ConnectionNames[SLOTS];
    private final String[] dbs = new String[SLOTS];
    private final TemplateStats[] stats = new TemplateStats[SLOTS];
    /** The window every slot belongs to; null when empty. */
    private WindowData window;

    /** The statistics kept for this template, connection and schema in window {@code w}, or null. */
    TemplateStats get(WindowData w, Fingerprint fp, ConnectionNames n, String db) {
        if (w != window) {
            forget();
            window = w;
            return null;
        }
        int i = slot(fp, n);
        return fingerprints[i] == fp && names[i] == n && dbs[i] == db ? stats[i] : null;
    }

    /** Keeps {@code s}, the statistics of window {@code w} that this template, connection and schema go to. */
    void put(WindowData w, Fingerprint fp, ConnectionNames n, String db, TemplateStats s) {
        if (w != window) {
            forget();
            window = w;
        }
        int i = slot(fp, n);
        fingerprints[i] = fp;
        names[i] = n;
        dbs[i] = db;
        stats[i] = s;
    }

    /** Empties the table (a window was handed over). */
    void forget() {
        if (window == null) {
            return;
        }
        Arrays.fill(fingerprints, null);
        Arrays.fill(names, null);
        Arrays.fill(dbs, null);
        Arrays.fill(stats, null);
        window = null;
    }

    private static int slot(Fingerprint fp, ConnectionNames n) {
        long h = (fp.id() + System.identityHashCode(n)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 56) & (SLOTS - 1);
    }
}
