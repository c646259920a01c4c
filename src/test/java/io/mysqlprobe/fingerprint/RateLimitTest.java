package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void aSecondsWorthPassesAtOnceThenOnePerIntervalAsTimeGoesBy() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        RateLimit r = new RateLimit(100, now::get);
        int passed = 0;
        for (int i = 0; i < 1000; i++) {
            passed += r.tryAcquire() ? 1 : 0;
        }
        assertEquals(100, passed, "the burst is a second's worth");
        assertFalse(r.tryAcquire());
        now.addAndGet(10_000_000L); // one interval later: one more
        assertTrue(r.tryAcquire());
        assertFalse(r.tryAcquire());
        now.addAndGet(60_000_000_000L); // a quiet minute refills the burst, not more
        passed = 0;
        for (int i = 0; i < 1000; i++) {
            passed += r.tryAcquire() ? 1 : 0;
        }
        assertEquals(100, passed);
    }
}
