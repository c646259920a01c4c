package io.mysqlprobe.capture;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class StartLossExploreIT {

    @Test
    void explore() throws Exception {
        for (boolean immediate : new boolean[] {true, false}) {
            for (int delayMs : new int[] {0, 200}) {
                int missed = 0;
                StringBuilder lat = new StringBuilder();
                for (int i = 0; i < 15; i++) {
                    Set<Integer> ports = ConcurrentHashMap.newKeySet();
                    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                        int port = server.getLocalPort();
                        FrameSink sink = f -> {
                            int ip = f.netOffset();
                            int ihl = (f.data()[ip] & 0xf) * 4;
                            int tcp = ip + ihl;
                            int sport = ((f.data()[tcp] & 0xff) << 8) | (f.data()[tcp + 1] & 0xff);
                            int flags = f.data()[tcp + 13] & 0xff;
                            if ((flags & 0x12) == 0x02) {
                                ports.add(sport);
                            }
                        };
                        try (LiveCapture c =
                                LiveCapture.open("lo", port, 65535, 4 << 20, immediate, sink, new CaptureCounters())) {
                            Thread.sleep(delayMs);
                            c.start();
                            int first;
                            try (Socket s = new Socket(server.getInetAddress(), port);
                                    Socket a = server.accept()) {
                                first = s.getLocalPort();
                            }
                            long t0 = System.nanoTime();
                            while (!ports.contains(first) && System.nanoTime() - t0 < 2_000_000_000L) {
                                Thread.sleep(1);
                            }
                            if (!ports.contains(first)) {
                                missed++;
                            } else {
                                lat.append((System.nanoTime() - t0) / 1_000_000).append(' ');
                            }
                        }
                    }
                }
                System.out.println("EXPLORE immediate=" + immediate + " delay=" + delayMs + " missed " + missed
                        + "/15 latencies ms " + lat);
            }
        }
    }
}
