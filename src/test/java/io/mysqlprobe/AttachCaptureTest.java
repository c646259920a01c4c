package io.mysqlprobe;

import static io.mysqlprobe.GoldenCaptureTest.CAPTURES;
import static io.mysqlprobe.GoldenCaptureTest.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The offline pipeline (capture file → tcp → protocol → templates) on real captures of connections the probe
 * meets mid-life (see src/test/resources/captures/README.md): compressed sessions opened before the capture,
 * and one client port carrying three connections.
 */
class AttachCaptureTest {

    /** template@db → count, for every template of the report. */
    static Map<String, Long> counts(Report r) {
        Map<String, Long> m = new TreeMap<>();
        r.templates().forEach(t -> m.merge(t.template() + "@" + t.db(), t.count(), Long::sum));
        return m;
    }

    static Report report(String name, String workers) throws Exception {
        return ReportJson.read(analyze(
                "--workers",
                workers,
                "--port",
                "33071",
                CAPTURES.resolve(name + ".pcap").toString()));
    }

    @Test
    void compressedSessionsOpenedBeforeTheCaptureAreDecoded() throws Exception {
        for (String workers : new String[] {"1", "2"}) {
            Report r = report("attach_compressed", workers);
            assertEquals(
                    Map.of(
                            "select id, name from items where name like ? order by id@null", 1L,
                            "select * from nosuch@null", 1L,
                            "prepare s from ?@null", 1L,
                            "set @i = ?@null", 1L,
                            "select name from items where id = ?@null", 1L, // EXECUTE s USING @i, named by its PREPARE
                            "deallocate prepare s@null", 1L,
                            "select repeat(?, ?) as big@null", 1L,
                            "select ?@null", 1L,
                            "select count(*) from items@null", 1L,
                            "administrator command: Quit@null", 2L),
                    counts(r),
                    "--workers " + workers);
            Report.CaptureSection c = r.capture();
            assertEquals(11, c.statements());
            assertEquals(2, c.resyncs());
            assertEquals(2, c.connectionsOpened());
            assertEquals(0, c.streamGaps() + c.decodeErrors() + c.unmatchedResponses());
            assertEquals(Map.of(), c.decodeErrorsByKind()); // nothing dropped, incomplete or discarded
        }
        Report r = report("attach_compressed", "1");
        TemplateSnapshot err = r.templates().stream()
                .filter(t -> t.template().equals("select * from nosuch"))
                .findFirst()
                .orElseThrow();
        assertEquals(Map.of("1146", 1L), err.errorCodes());
        TemplateSnapshot big = r.templates().stream()
                .filter(t -> t.template().equals("select repeat(?, ?) as big"))
                .findFirst()
                .orElseThrow();
        assertEquals(1, big.rowsSent());
        assertEquals(true, big.bytesOut() > 16_000, "a 16 000-byte row, inflated");
    }

    @Test
    void aClientPortReusedWhileItsFlowIsTrackedStartsANewConnection() throws Exception {
        for (String workers : new String[] {"1", "2"}) {
            Report r = report("port_reuse", workers);
            assertEquals(
                    Map.of(
                            "administrator command: Init DB@null", 2L,
                            "select id, name from items order by id@shop", 1L,
                            "select * from nosuch@shop", 1L,
                            "select sleep(?)@shop", 1L, // in flight when the client reset the connection
                            "select name from items where id = ?@shop", 1L,
                            "update items set name = ? where id = ?@shop", 1L,
                            "administrator command: Quit@shop", 1L,
                            "select count(*) from shop.items@null", 1L,
                            "administrator command: Quit@null", 1L),
                    counts(r),
                    "--workers " + workers);
            Report.CaptureSection c = r.capture();
            assertEquals(10, c.statements());
            assertEquals(3, c.connectionsOpened());
            assertEquals(0, c.streamGaps() + c.decodeErrors() + c.unmatchedResponses() + c.resyncs());
            assertEquals(Map.of("connections_port_reused", 1L, "incomplete_statements", 1L), c.decodeErrorsByKind());
        }
        TemplateSnapshot sleep = report("port_reuse", "1").templates().stream()
                .filter(t -> t.template().equals("select sleep(?)"))
                .findFirst()
                .orElseThrow();
        assertEquals(0, sleep.latencyUs().max(), "its response never came: no latency");
        assertEquals(0, sleep.latencyUs().sum());
        assertEquals(0, sleep.slow().size());
    }
}
