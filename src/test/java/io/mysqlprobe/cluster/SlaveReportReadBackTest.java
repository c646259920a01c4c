package io.mysqlprobe.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.pipeline.OfflineAnalyzer;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.report.ReportMerger;
import io.mysqlprobe.testsupport.CapturePorts;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The report carries the aggregator's {@link TemplateSnapshot}s as they are: what a slave writes on the websocket,
 * a master reads back ({@link SlaveLink#receive}: {@link ReportJson#read}, then {@link SlaveLink#validate}) into
 * the very same records, field for field, and merging one slave's window alone gives that window back.
 */
class SlaveReportReadBackTest {

    static List<Path> captures() throws IOException {
        List<Path> pcaps = new ArrayList<>();
        for (String dir : new String[] {"src/test/resources/captures", "src/test/resources/protocol"}) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(pcaps::add);
            }
        }
        assertTrue(pcaps.size() >= 8, pcaps.toString());
        return pcaps;
    }

    /** Every component of two records of one type, each compared on its own so a difference names its field. */
    static void assertSameFields(Record expected, Record actual, String where) throws ReflectiveOperationException {
        assertEquals(expected.getClass(), actual.getClass(), where);
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            Object e = c.getAccessor().invoke(expected);
            Object a = c.getAccessor().invoke(actual);
            if (e instanceof Record er && a instanceof Record ar) {
                assertSameFields(er, ar, where + "." + c.getName());
            } else {
                assertEquals(e, a, where + "." + c.getName());
            }
        }
    }

    /** The report of a capture as a slave named {@code s1} publishes it (the offline one has no node). */
    static Report asSlave(Report offline) {
        return new Report(
                "s1", "slave", "standalone", offline.window(), offline.capture(), offline.templates(), null, null);
    }

    @Test
    void aMasterReadsBackTheAggregatorsTemplatesFieldForField() throws Exception {
        int templates = 0;
        int slowSamples = 0;
        for (Path pcap : captures()) {
            for (boolean raw : new boolean[] {false, true}) {
                Report slave = asSlave(
                        OfflineAnalyzer.analyze(List.of(pcap), CapturePorts.serverPort(pcap), raw, SessionLookup.NONE));
                String where = pcap.getFileName() + (raw ? " raw" : "");

                Report read = ReportJson.read(ReportJson.write(slave));
                SlaveLink.validate(read);

                assertEquals(slave.templates().size(), read.templates().size(), where);
                for (int i = 0; i < slave.templates().size(); i++) {
                    TemplateSnapshot t = slave.templates().get(i);
                    assertSameFields(t, read.templates().get(i), where + " " + t.id());
                    assertEquals(t.key(), read.templates().get(i).key(), where);
                    assertEquals(t.fingerprint(), read.templates().get(i).fingerprint(), where);
                    slowSamples += t.slow().size();
                }
                assertSameFields(slave, read, where);
                assertEquals(slave, read, where);
                templates += slave.templates().size();
            }
        }
        assertTrue(templates > 40, "templates compared: " + templates);
        assertTrue(slowSamples > 0, "slow samples compared: " + slowSamples);
    }

    @Test
    void aMasterMergingOneSlavesWindowGetsItsTemplatesBack() throws Exception {
        int templates = 0;
        for (Path pcap : captures()) {
            Report slave = asSlave(
                    OfflineAnalyzer.analyze(List.of(pcap), CapturePorts.serverPort(pcap), true, SessionLookup.NONE));
            Map<String, Report> parts =
                    new TreeMap<>(Map.of("127.0.0.1:8667", ReportJson.read(ReportJson.write(slave))));
            // the offline analyzer keeps 10 slow samples and 20 names per template, as this merger does
            Report master = new ReportMerger(10).merge("m", "master", "standalone", 0, 1000, parts, 0);
            assertEquals(slave.templates(), master.templates(), pcap.toString());
            templates += master.templates().size();
        }
        assertTrue(templates > 20, "templates compared: " + templates);
    }
}
