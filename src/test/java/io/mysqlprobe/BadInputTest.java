package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.capture.CaptureCounters;
import io.mysqlprobe.capture.LinkLayer;
import io.mysqlprobe.capture.PcapFileReader;
import io.mysqlprobe.cli.AnalyzeCommand;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.Frames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline pipeline on damaged input: duplicated, reordered, truncated, mutated and random captures
 * never throw, and what is skipped shows in a counter.
 */
class BadInputTest {

    @TempDir
    Path dir;

    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = AnalyzeCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<Frames.Record> basicFrames() throws Exception {
        List<Frames.Record> frames = new ArrayList<>();
        try (PcapFileReader r = PcapFileReader.open(GoldenCaptureTest.CAPTURES.resolve("basic.pcap"))) {
            r.readAll(
                    f -> frames.add(new Frames.Record(
                            f.tsMicros(), java.util.Arrays.copyOfRange(f.data(), f.offset(), f.end()))),
                    new CaptureCounters());
        }
        return frames;
    }

    Report analyze(List<Frames.Record> frames, String name) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, Frames.pcap(LinkLayer.DLT_EN10MB, ByteOrder.LITTLE_ENDIAN, frames));
        Run r = run("--port", "33061", f.toString());
        assertEquals(0, r.rc(), r.err());
        return ReportJson.read(r.out());
    }

    static Map<String, Long> counts(Report r) {
        Map<String, Long> m = new TreeMap<>();
        r.templates()
                .forEach(t -> m.merge(
                        t.template() + " errors=" + t.errors() + " rows=" + t.rowsSent(), t.count(), Long::sum));
        return m;
    }

    @Test
    void everyFrameDuplicatedGivesTheSameStatements() throws Exception {
        List<Frames.Record> frames = basicFrames();
        Report original = analyze(frames, "orig.pcap");
        List<Frames.Record> doubled = new ArrayList<>();
        for (Frames.Record f : frames) {
            doubled.add(f);
            doubled.add(f); // a retransmission of every segment
        }
        Report r = analyze(doubled, "doubled.pcap");
        assertEquals(counts(original), counts(r));
        assertEquals(0, r.capture().streamGaps());
    }

    @Test
    void aLostSegmentIsAGapAndTheRestIsStillDecoded() throws Exception {
        List<Frames.Record> frames = basicFrames();
        Report original = analyze(frames, "orig.pcap");
        List<Frames.Record> lossy = new ArrayList<>(frames);
        // drop the first client frame carrying a COM_QUERY for "SELECT * FROM users WHERE name = 'alice'"
        int victim = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (new String(frames.get(i).frame(), StandardCharsets.ISO_8859_1).contains("name = 'alice'")) {
                victim = i;
                break;
            }
        }
        assertTrue(victim > 0);
        lossy.remove(victim);
        Report r = analyze(lossy, "lossy.pcap");
        assertEquals(1, r.capture().streamGaps());
        long before = original.capture().statements();
        assertTrue(
                r.capture().statements() >= before - 2,
                "at most the damaged command pair is lost: " + r.capture().statements() + " of " + before);
        assertTrue(r.capture().resyncs() >= 1, "the decoder resynced");
    }

    @Test
    void mutatedAndRandomCapturesNeverThrow() throws Exception {
        List<Frames.Record> frames = basicFrames();
        Random rnd = new Random(1234);
        for (int round = 0; round < 40; round++) {
            List<Frames.Record> mutated = new ArrayList<>();
            for (Frames.Record f : frames) {
                byte[] b = f.frame().clone();
                if (rnd.nextInt(4) == 0) {
                    for (int k = 0; k < 1 + rnd.nextInt(6); k++) {
                        int at = 54 + rnd.nextInt(Math.max(1, b.length - 54)); // after Ethernet+IPv4+TCP headers
                        if (at < b.length) {
                            b[at] = (byte) rnd.nextInt(256);
                        }
                    }
                }
                if (rnd.nextInt(10) != 0) { // and lose 10 % of frames
                    mutated.add(new Frames.Record(f.tsMicros(), b));
                }
            }
            Report r = analyze(mutated, "mutated-" + round + ".pcap");
            assertTrue(r.capture().packets() > 0);
        }
        // pure noise on the MySQL port, both directions
        List<Frames.Record> noise = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] payload = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(payload);
            boolean toServer = rnd.nextBoolean();
            byte[] tcp = Frames.tcp(toServer ? 40000 : 33061, toServer ? 33061 : 40000, i * 1000, 0x18, payload);
            noise.add(new Frames.Record(
                    1_000_000L + i,
                    Frames.ethernet(Frames.ipv4(Frames.v4(127, 0, 0, 1), Frames.v4(127, 0, 0, 1), tcp), false)));
        }
        Report r = analyze(noise, "noise.pcap");
        long explained = r.capture().decodeErrors()
                + r.capture().streamGaps()
                + r.capture().unmatchedResponses()
                + r.capture().resyncs()
                + r.capture().decodeErrorsByKind().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
        assertTrue(explained > 0, "noise must show in the loss counters: " + r.capture());
    }

    @Test
    void truncatedFilesReportWhatTheyHadAndCountTheCut() throws Exception {
        byte[] whole = Files.readAllBytes(GoldenCaptureTest.CAPTURES.resolve("basic.pcap"));
        for (int cut : new int[] {24, 100, whole.length / 2, whole.length - 1}) {
            Path f = dir.resolve("cut-" + cut + ".pcap");
            Files.write(f, java.util.Arrays.copyOf(whole, cut));
            Run r = run("--port", "33061", f.toString());
            assertEquals(0, r.rc(), r.err());
            Report rep = ReportJson.read(r.out());
            assertEquals(cut == 24 ? 0 : 1, rep.capture().otherSkipped(), "cut at " + cut);
        }
    }

    @Test
    void usageErrorsAndNonCaptureFilesExitTwoWithOneLine() throws Exception {
        Path text = Files.writeString(dir.resolve("x.txt"), "hello");
        Run notPcap = run(text.toString());
        assertEquals(2, notPcap.rc());
        assertEquals("analyze: " + text + ": not a pcap or pcapng file\n", notPcap.err());
        Run missing = run(dir.resolve("nope.pcap").toString());
        assertEquals(2, missing.rc());
        assertEquals("analyze: " + dir.resolve("nope.pcap") + ": no such file\n", missing.err());
        Run badPort = run("--port", "http", text.toString());
        assertEquals(2, badPort.rc());
        assertTrue(badPort.err().startsWith("analyze: --port: \"http\" is not an integer from 1 to 65535\n"));
        assertEquals(2, run().rc());
    }
}
