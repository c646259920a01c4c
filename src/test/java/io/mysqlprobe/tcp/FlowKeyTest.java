package io.mysqlprobe.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FlowKeyTest {

    private static String host(String literal) throws Exception {
        byte[] b = InetAddress.getByName(literal).getAddress();
        return FlowKey.host(FlowKey.hi(b, 0, b.length), FlowKey.lo(b, 0, b.length));
    }

    @Test
    void addressesPrintAsDbasWriteThem() throws Exception {
        assertEquals("127.0.0.1", host("127.0.0.1"));
        assertEquals("10.1.255.0", host("10.1.255.0"));
        assertEquals("::1", host("::1"));
        assertEquals("::", host("::"));
        assertEquals("fe80::1:0:0:2", host("fe80:0:0:0:1:0:0:2"));
        assertEquals("2001:db8::1", host("2001:db8:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", host("2001:db8:0:1:1:1:1:1"));
        assertEquals("1:0:0:4::8", host("1:0:0:4:0:0:0:8")); // the longest run is compressed
    }

    @Test
    void equalityCoversEveryFieldAndEqualKeysHashAlike() {
        FlowKey k = new FlowKey(1, 2, 50000, 3, 4, 3306);
        assertEquals(k, new FlowKey(1, 2, 50000, 3, 4, 3306));
        assertEquals(k.hashCode(), new FlowKey(1, 2, 50000, 3, 4, 3306).hashCode());
        FlowKey[] others = {
            new FlowKey(9, 2, 50000, 3, 4, 3306),
            new FlowKey(1, 9, 50000, 3, 4, 3306),
            new FlowKey(1, 2, 50001, 3, 4, 3306),
            new FlowKey(1, 2, 50000, 9, 4, 3306),
            new FlowKey(1, 2, 50000, 3, 9, 3306),
            new FlowKey(1, 2, 50000, 3, 4, 3307)
        };
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (FlowKey o : others) {
            org.junit.jupiter.api.Assertions.assertNotEquals(k, o);
            hashes.add(o.hashCode());
        }
        assertEquals(others.length, hashes.size(), "one field changed, a different hash");
        // 10k client ports of one host spread over a table's buckets
        java.util.Set<Integer> low = new java.util.HashSet<>();
        for (int port = 40000; port < 50000; port++) {
            int h = new FlowKey(0, 0xFFFF7F000001L, port, 0, 0xFFFF7F000001L, 3306).hashCode();
            low.add((h ^ (h >>> 16)) & 1023);
        }
        assertEquals(1024, low.size());
    }

    @Test
    void portsAndBracketsInTheConnectionForm() {
        FlowKey k = new FlowKey(0, 1, 50000, 0, 0xFFFF0A000001L, 3306);
        assertEquals("[::1]:50000", k.client());
        assertEquals("10.0.0.1:3306", k.server());
    }
}
