package io.mysqlprobe.tcp;

import static io.mysqlprobe.testsupport.Frames.ipv4;
import static io.mysqlprobe.testsupport.Frames.ipv6;
import static io.mysqlprobe.testsupport.Frames.tcp;
import static io.mysqlprobe.testsupport.Frames.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The parser hands a connection's segments one remembered key, and never another connection's. */
class SegmentParserKeysTest {

    private static final byte[] QUERY = "\u0005\0\0\0\u0003x".getBytes(StandardCharsets.ISO_8859_1);
    private final SegmentParser parser = new SegmentParser(3306, new TcpCounters());

    private FlowKey key(byte[] client, int clientPort, boolean toServer) {
        byte[] server = v4(10, 0, 0, 1);
        byte[] ip = toServer
                ? ipv4(client, server, tcp(clientPort, 3306, 7, 0x18, QUERY))
                : ipv4(server, client, tcp(3306, clientPort, 9, 0x18, QUERY));
        return parser.parse(1, ip, 0, ip.length).key();
    }

    @Test
    void bothDirectionsOfAConnectionShareOneKey() {
        FlowKey first = key(v4(10, 0, 0, 2), 50000, true);
        assertSame(first, key(v4(10, 0, 0, 2), 50000, false));
        assertSame(first, key(v4(10, 0, 0, 2), 50000, true));
        assertEquals("10.0.0.2:50000->10.0.0.1:3306", first.toString());
    }

    @Test
    void connectionsThatShareASlotKeepTheirOwnKeys() {
        // far more connections than remembered keys: slots collide, hosts differ only in the address, or only in
        // the port; every key must still be the connection's own, and a forgotten one comes back equal
        for (int round = 0; round < 2; round++) {
            for (int host = 0; host < 8; host++) {
                for (int port = 40000; port < 40700; port++) {
                    FlowKey k = key(v4(10, 0, 1, host), port, (port & 1) == 0);
                    assertEquals("10.0.1." + host + ":" + port + "->10.0.0.1:3306", k.toString());
                }
            }
        }
        assertNotEquals(key(v4(10, 0, 1, 1), 40000, true), key(v4(10, 0, 1, 2), 40000, true));
    }

    @Test
    void anIpv6ConnectionIsNotTakenForTheIpv4OneOnTheSamePort() {
        byte[] a = new byte[16];
        a[15] = 2;
        byte[] b = new byte[16];
        b[15] = 1;
        byte[] ip6 = ipv6(a, b, tcp(50000, 3306, 7, 0x18, QUERY));
        FlowKey v6 = parser.parse(1, ip6, 0, ip6.length).key();
        FlowKey v4 = key(v4(0, 0, 0, 2), 50000, true);
        assertNotEquals(v6, v4);
        assertEquals("[::2]:50000", v6.client());
        assertEquals("0.0.0.2:50000", v4.client());
        assertSame(v6, parser.parse(1, ip6, 0, ip6.length).key());
    }
}
