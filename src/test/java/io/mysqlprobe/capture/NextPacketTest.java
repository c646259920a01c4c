package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NextPacketTest {

    @Test
    void theFastPathIsReachableWithThePinnedPcap4j() {
        // if a pcap4j upgrade moves these internals, live capture silently falls back to the 3x costlier
        // callback path: fail here instead, so the upgrade is a decision
        assertTrue(NextPacket.AVAILABLE, "pcap_next_ex via pcap4j's NativeMappings is not reachable");
    }
}
