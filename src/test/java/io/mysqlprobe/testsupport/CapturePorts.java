package io.mysqlprobe.testsupport;

import io.mysqlprobe.capture.CaptureCounters;
import io.mysqlprobe.capture.PcapFileReader;
import java.io.IOException;
import java.nio.file.Path;

/** The server port of a recorded capture, for tests that analyze the recordings in src/test/resources. */
public final class CapturePorts {

    private CapturePorts() {}

    /** The destination port of the capture's first IPv4 SYN (46503 for the one recording without a SYN). */
    public static int serverPort(Path pcap) throws IOException {
        int[] port = {0};
        try (PcapFileReader r = PcapFileReader.open(pcap)) {
            r.readAll(
                    f -> {
                        byte[] b = f.data();
                        int ip = f.netOffset();
                        if (port[0] != 0 || (b[ip] & 0xF0) != 0x40) {
                            return;
                        }
                        int tcp = ip + (b[ip] & 0x0F) * 4;
                        if ((b[tcp + 13] & 0x12) == 0x02) {
                            port[0] = (b[tcp + 2] & 0xFF) << 8 | (b[tcp + 3] & 0xFF);
                        }
                    },
                    new CaptureCounters());
        }
        return port[0] == 0 ? 46503 : port[0];
    }
}
