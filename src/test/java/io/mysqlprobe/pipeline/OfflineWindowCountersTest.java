package io.mysqlprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.cli.AnalyzeCommand;
import io.mysqlprobe.report.Report;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code analyze --interval}: each window's capture section is attributed by packet time, its statements are
 * those of its templates, and the windows add up to the whole-capture report. The recorded basic.pcap spans
 * 0.25 s; here its records are re-timed 100 ms apart (bytes and order untouched), so its 72 packets and 20
 * statements spread over 8 windows of 1 s.
 */
class OfflineWindowCountersTest {

    private static final long BASE_US = 1_795_300_000_000_000L + 300_000; // 300 ms into a second
    private static final long STEP_US = 100_000;

    @TempDir
    Path dir;

    /** basic.pcap with record i at BASE + i × STEP; returns the new timestamps. */
    private List<Long> retimed(Path out) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(
                java.nio.file.Path.of("src/test/resources/captures").resolve("basic.pcap")));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        assertEquals(0xA1B2C3D4, magic, "microsecond little-endian pcap, as recorded");
        List<Long> ts = new ArrayList<>();
        int pos = 24;
        for (int i = 0; pos < b.limit(); i++) {
            long t = BASE_US + i * STEP_US;
            b.putInt(pos, (int) (t / 1_000_000));
            b.putInt(pos + 4, (int) (t % 1_000_000));
            ts.add(t);
            pos += 16 + b.getInt(pos + 8);
        }
        Files.write(out, b.array());
        return ts;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void windowsAreAttributedByPacketTimeAndAddUpToTheWholeCapture(int workers) throws Exception {
        Path pcap = dir.resolve("spread.pcap");
        List<Long> ts = retimed(pcap);
        Report whole = OfflineAnalyzer.analyze(AnalyzeCommand.parse(
                        new String[] {"--port", "33061", "--workers", String.valueOf(workers), pcap.toString()}))
                .get(0);
        List<Report> windows = OfflineAnalyzer.analyze(AnalyzeCommand.parse(new String[] {
            "--port", "33061", "--interval", "1", "--workers", String.valueOf(workers), pcap.toString()
        }));
        assertTrue(windows.size() >= 5, windows.size() + " windows");
        long statements = 0;
        long packets = 0;
        long bytes = 0;
        long connections = 0;
        long from = Long.MIN_VALUE;
        for (int i = 0; i < windows.size(); i++) {
            Report w = windows.get(i);
            long templates =
                    w.templates().stream().mapToLong(TemplateSnapshot::count).sum();
            assertEquals(
                    templates, w.capture().statements(), "window " + w.window().startMs());
            // the window's packets: those since the previous report (windows without a statement have none)
            long lo = from;
            long hi = i == windows.size() - 1 ? Long.MAX_VALUE : w.window().endMs() * 1000;
            assertEquals(
                    ts.stream().filter(t -> t >= lo && t < hi).count(),
                    w.capture().packets(),
                    "packets of window " + w.window().startMs());
            from = hi;
            statements += w.capture().statements();
            packets += w.capture().packets();
            bytes += w.capture().bytes();
            connections += w.capture().connectionsOpened();
        }
        assertEquals(whole.capture().statements(), statements);
        assertEquals(20, statements, "as in the golden report (the workload of captures/README.md)");
        assertEquals(72, packets);
        assertEquals(whole.capture().packets(), packets);
        assertEquals(whole.capture().bytes(), bytes);
        assertEquals(whole.capture().connectionsOpened(), connections);
        assertEquals(3, connections);
    }
}
