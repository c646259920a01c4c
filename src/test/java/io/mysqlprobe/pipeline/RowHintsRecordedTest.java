package io.mysqlprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.CapturePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every recorded capture gives the same report, byte for byte, whether the reader walks rows for the decoders. */
class RowHintsRecordedTest {

    @Test
    void everyRecordedCaptureReportsTheSameWithAndWithoutRowHints() throws IOException {
        List<Path> pcaps = new ArrayList<>();
        for (String dir : new String[] {"src/test/resources/captures", "src/test/resources/protocol"}) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(pcaps::add);
            }
        }
        assertTrue(pcaps.size() >= 8, pcaps.toString());
        long rows = 0;
        for (Path pcap : pcaps) {
            int port = CapturePorts.serverPort(pcap);
            Report plain = OfflineAnalyzer.analyze(List.of(pcap), port, true, SessionLookup.NONE, false);
            Report hinted = OfflineAnalyzer.analyze(List.of(pcap), port, true, SessionLookup.NONE, true);
            assertEquals(ReportJson.write(plain), ReportJson.write(hinted), pcap.toString());
            rows += hinted.templates().stream().mapToLong(t -> t.rowsSent()).sum();
        }
        assertTrue(rows > 30, "rows sent in the recordings: " + rows);
    }
}
