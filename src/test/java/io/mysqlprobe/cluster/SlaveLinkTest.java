package io.mysqlprobe.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlaveLinkTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Report> merged = new ArrayList<>();
    private final WindowMerger windows = new WindowMerger();
    private final SlaveLink link = new SlaveLink("127.0.0.1:1", null, 0, HttpClient.newHttpClient(), timer, (a, r) -> {
        merged.add(r);
        return windows.offer(a, r);
    });

    @AfterEach
    void stop() {
        link.close();
        timer.shutdownNow();
    }

    @Test
    void garbageIsRejectedCountedAndNeverMerged() {
        link.receive("not json");
        link.receive("{\"node\":\"x\"}");
        link.receive("{\"node\":\"x\",\"window\":{\"start_ms\":1000,\"end_ms\":2000},\"templates\":[{\"id\":\"a\","
                + "\"count\":1,\"latency_us\":{\"histogram\":\"bogus\"}}]}");
        assertTrue(merged.isEmpty());
        Map<?, ?> st = ReportJson.mapper().convertValue(link.state(), Map.class); // the JSON of /cluster/listnodes
        assertEquals(3L, st.get("rejected"));
        assertTrue(String.valueOf(st.get("last_error")).contains("not a valid report"), st.toString());
    }

    @Test
    void reportsAdvanceTheResumePointAndReplaysAreDuplicates() {
        String json = ReportJson.write(Reports.report("s", 5000, Reports.template("aa", "db", "d", "c", 1)));
        link.receive(json);
        link.receive(json);
        assertEquals(5000, link.lastWindowStart(), "the next connect asks ?since=5000");
        Map<?, ?> st = ReportJson.mapper().convertValue(link.state(), Map.class); // the JSON of /cluster/listnodes
        assertEquals(2L, st.get("reports"));
        assertEquals(1L, st.get("duplicates"));
        assertEquals(0L, st.get("rejected"));
    }
}
