package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.cli.AnalyzeCommand;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The whole offline pipeline on a real recorded capture (see src/test/resources/captures/README.md), against
 * its golden report, plus the facts of that workload checked one by one so the golden file can't drift.
 */
class GoldenCaptureTest {

    static final Path CAPTURES = Path.of("src/test/resources/captures");

    static String analyze(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = AnalyzeCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void basicCaptureMatchesItsGoldenReport() throws Exception {
        String actual = analyze(
                "--port",
                "33061",
                "--raw-sql",
                "--pretty",
                CAPTURES.resolve("basic.pcap").toString());
        assertEquals(Files.readString(CAPTURES.resolve("basic.report.json")), actual);
    }

    @Test
    void theReportDoesNotDependOnTheNumberOfDecodeWorkers() throws Exception {
        String golden = Files.readString(CAPTURES.resolve("basic.report.json"));
        for (String workers : new String[] {"1", "2", "5"}) {
            assertEquals(
                    golden,
                    analyze(
                            "--workers",
                            workers,
                            "--port",
                            "33061",
                            "--raw-sql",
                            "--pretty",
                            CAPTURES.resolve("basic.pcap").toString()),
                    "--workers " + workers);
        }
    }

    @Test
    void basicCaptureFactsAsTheServerSawThem() throws Exception {
        Report r = ReportJson.read(
                analyze("--port", "33061", CAPTURES.resolve("basic.pcap").toString()));
        Map<String, TemplateSnapshot> byTemplate = new TreeMap<>();
        for (TemplateSnapshot t : r.templates()) {
            byTemplate.merge(t.template() + "@" + t.db(), t, (a, b) -> a);
        }
        assertEquals(72, r.capture().packets());
        assertEquals(3, r.capture().connectionsOpened());
        assertEquals(20, r.capture().statements());
        assertEquals(
                0,
                r.capture().decodeErrors()
                        + r.capture().streamGaps()
                        + r.capture().unmatchedResponses());

        TemplateSnapshot sleep = byTemplate.get("select SLEEP(?)@shop");
        assertTrue(
                Math.abs(sleep.latencyUs().max() - 200_000) < 5_000,
                "SLEEP(0.2) took " + sleep.latencyUs().max());
        assertEquals(1, sleep.slow().size(), "over slowthresholdms 100");

        TemplateSnapshot byName = byTemplate.get("select * from users where name = ?@shop");
        assertEquals(2, byName.count());
        assertEquals(2, byName.rowsSent());
        assertEquals(0, byName.noIndexUsed(), "idx_name is used");
        assertEquals("SELECT * FROM users WHERE name = ?", byName.sample(), "literals redacted by default");

        TemplateSnapshot byEmail = byTemplate.get("select * from users where email = ?@shop");
        assertEquals(1, byEmail.noIndexUsed(), "no index on email: SERVER_STATUS_NO_INDEX_USED");

        assertEquals(
                Map.of("1146", 1L),
                byTemplate.get("select * from nosuchtable@shop").errorCodes());
        assertEquals(
                Map.of("1064", 1L),
                byTemplate.get("select bad syntax here@shop").errorCodes());
        assertEquals(
                4,
                byTemplate
                        .get("insert into users (name, email) values(?+)@shop")
                        .rowsAffected());
        assertEquals(
                2,
                byTemplate
                        .get("update users set email = ? where id in(?+)@shop")
                        .rowsAffected());
        assertEquals(1, byTemplate.get("create database shop@null").rowsAffected());
        assertEquals(1, byTemplate.get("administrator command: Ping@null").count());
        assertEquals(
                Map.of("root", 1L),
                byTemplate.get("select name from users where id = ?@shop").users());
    }
}
