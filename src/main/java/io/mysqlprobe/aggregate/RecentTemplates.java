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
    /** A slot's fingerprint, names, schema and statistics, side by side: one cache line to look at. */
    private static final int FINGERPRINT = 0;

    private static final int NAMES = 1;
    private static final int DB = 2;
    private static final int STATS = 3;
    private static final int WIDTH = 4;

    private final Object[] slots = new Object[SLOTS * WIDTH];
    /** The window every slot belongs to; null when empty. */
    private WindowData window;

    /** The statistics kept for this template, connection and schema in window {@code w}, or null. */
    TemplateStats get(WindowData w, Fingerprint fp, ConnectionNames n, String db) {
        if (w != window) {
            forget();
            window = w;
            return null;
        }
        int i = slot(fp, n) * WIDTH;
        Object[] t = slots;
        return t[i + FINGERPRINT] == fp && t[i + NAMES] == n && t[i + DB] == db ? (TemplateStats) t[i + STATS] : null;
    }

    /** Keeps {@code s}, the statistics of window {@code w} that this template, connection and schema go to. */
    void put(WindowData w, Fingerprint fp, ConnectionNames n, String db, TemplateStats s) {
        if (w != window) {
            forget();
            window = w;
        }
        int i = slot(fp, n) * WIDTH;
        slots[i + FINGERPRINT] = fp;
        slots[i + NAMES] = n;
        slots[i + DB] = db;
        slots[i + STATS] = s;
    }

    /** Empties the table (a window was handed over). */
    void forget() {
        if (window == null) {
            return;
        }
        Arrays.fill(slots, null);
        window = null;
    }

    private static int slot(Fingerprint fp, ConnectionNames n) {
        long h = (fp.id() + System.identityHashCode(n)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 56) & (SLOTS - 1);
    }
}
