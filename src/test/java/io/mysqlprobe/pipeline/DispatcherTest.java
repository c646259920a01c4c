package io.mysqlprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.Segment;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    @Test
    void evenClientPortsFromOneHostSpreadOverTheWorkers() {
        // Linux connect() picks even ephemeral ports: a naive hash % 2 puts them all on one worker
        for (int workers : new int[] {2, 3, 4}) {
            int[] load = new int[workers];
            for (int port = 33_000; port < 33_000 + 2 * 400; port += 2) {
                FlowKey k = new FlowKey(0, 0xFFFF7F000001L, port, 0, 0xFFFF7F000001L, 3306);
                load[
                        Dispatcher.workerFor(
                                new Segment(0, k, Direction.CLIENT_TO_SERVER, 0, 0, new byte[0], 0, 0), workers)]++;
            }
            for (int l : load) {
                assertTrue(l > 400 / workers * 0.7, "worker load " + java.util.Arrays.toString(load));
            }
        }
    }
}
