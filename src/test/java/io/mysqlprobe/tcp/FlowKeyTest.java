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
    void portsAndBracketsInTheConnectionForm() {
        FlowKey k = new FlowKey(0, 1, 50000, 0, 0xFFFF0A000001L, 3306);
        assertEquals("[::1]:50000", k.client());
        assertEquals("10.0.0.1:3306", k.server());
    }
}
