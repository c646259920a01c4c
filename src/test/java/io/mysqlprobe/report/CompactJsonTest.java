package io.mysqlprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.pipeline.OfflineAnalyzer;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.testsupport.CapturePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Jackson-free writer of {@code analyze} gives exactly Jackson's bytes. */
class CompactJsonTest {

    @Test
    void reportsOfEveryRecordedCaptureAreWrittenAsJacksonWritesThem() throws IOException {
        List<Path> pcaps = new ArrayList<>();
        for (String dir : new String[] {"src/test/resources/captures", "src/test/resources/protocol"}) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(pcaps::add);
            }
        }
        assertTrue(pcaps.size() >= 8, pcaps.toString());
        int templates = 0;
        for (Path pcap : pcaps) {
            for (boolean raw : new boolean[] {false, true}) {
                Report r =
                        OfflineAnalyzer.analyze(List.of(pcap), CapturePorts.serverPort(pcap), raw, SessionLookup.NONE);
                templates += r.templates().size();
                assertEquals(ReportJson.write(r), CompactJson.write(r), pcap + " raw " + raw);
            }
        }
        assertTrue(templates > 40, "templates compared: " + templates);
    }

    @Test
    void everyFieldNullEscapeAndNumberEdgeMatchesJackson() {
        StringBuilder nasty = new StringBuilder("quote \" backslash \\ slash / del \u007f é ü 中文 😀 ");
        for (char c = 0; c < 0x20; c++) {
            nasty.append(c);
        }
        Map<String, Long> kinds = new TreeMap<>(Map.of("bad_packet", 3L, "odd \"kind\"\n", Long.MIN_VALUE));
        Map<String, Long> withNull = new LinkedHashMap<>();
        withNull.put("z", 1L);
        withNull.put("a", null);
        Report.CaptureSection cap =
                new Report.CaptureSection(Long.MAX_VALUE, 0, -1, 2, 3, 4, 5, kinds, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        TemplateSnapshot full = new TemplateSnapshot(
                "00ff",
                nasty.toString(),
                "select",
                List.of("t1", "db.t2"),
                "127.0.0.1:3306",
                "shop",
                5,
                1,
                withNull,
                new TemplateSnapshot.Latency(10, 1, 9, 2, 3, 4, 5, "dd1:AAE="),
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                withNull,
                Map.of(),
                nasty.toString(),
                List.of(new SlowSample(1, 2, 1, "c", nasty.toString(), 1062, 0)));
        TemplateSnapshot empty = new TemplateSnapshot(
                null, null, null, null, null, null, 0, 0, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null,
                null);
        Report withEverything = new Report(
                "n",
                "master",
                "c",
                new Report.Window(1, 2),
                cap,
                List.of(full, empty),
                List.of(new Report.Source("s", "127.0.0.1:8667", cap), new Report.Source(null, null, null)),
                null);
        Report sparse = new Report(null, null, null, null, null, List.of(), null, null);
        for (Report r : List.of(withEverything, sparse)) {
            assertEquals(ReportJson.write(r), CompactJson.write(r));
        }
    }

    @Test
    void whatItDoesNotKnowIsLeftToJackson() {
        Report withMonitor =
                new Report("n", "slave", null, new Report.Window(1, 2), null, List.of(), null, Map.of("load", 0.5));
        assertNull(CompactJson.write(withMonitor));
    }

    @Test
    void snakeCaseIsJacksons() {
        assertEquals("start_ms", CompactJson.snakeCase("startMs"));
        assertEquals("decode_errors_by_kind", CompactJson.snakeCase("decodeErrorsByKind"));
        assertEquals("p999", CompactJson.snakeCase("p999"));
        var jackson = new com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy();
        for (String name : List.of("URLPath", "aB", "_leading", "a_b", "ABC", "x1Y2", "rowsSent")) {
            assertEquals(jackson.translate(name), CompactJson.snakeCase(name), name);
        }
    }
}
