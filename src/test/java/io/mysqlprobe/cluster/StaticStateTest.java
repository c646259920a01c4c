package io.mysqlprobe.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticStateTest {

    @TempDir
    Path dir;

    @Test
    void theFileSitsBesideTheConfig() {
        assertEquals(dir.resolve("probe.cluster-state.json"), StaticState.locate(null, dir.resolve("probe.yaml")));
        assertEquals(Path.of("/x/s.json"), StaticState.locate("/x/s.json", dir.resolve("probe.yaml")));
    }

    @Test
    void joinsAndRemovesSurviveARestart() throws Exception {
        Path f = dir.resolve("c.cluster-state.json");
        StaticState s = StaticState.load(f, List.of("a:1", "b:2"));
        assertEquals(List.of("a:1", "b:2"), s.slaves(), "no file yet: the config's list");
        assertTrue(s.add("c:3"));
        assertFalse(s.add("c:3"));
        assertTrue(s.remove("a:1"));
        assertFalse(s.remove("zz:9"));
        assertEquals(
                List.of("b:2", "c:3"),
                StaticState.load(f, List.of("a:1", "b:2")).slaves(),
                "the file wins over the config");
        s.clear();
        assertEquals(List.of(), StaticState.load(f, List.of("a:1")).slaves(), "leave is remembered too");
    }

    @Test
    void aCorruptFileFallsBackToTheConfig() throws Exception {
        Path f = dir.resolve("c.cluster-state.json");
        Files.writeString(f, "{not json");
        assertEquals(List.of("a:1"), StaticState.load(f, List.of("a:1")).slaves());
    }

    @Test
    void badAddressesAreRefused() {
        assertEquals("h:1", ClusterService.checkAddress(" h:1 "));
        for (String bad : new String[] {null, "", "h", "h:0", "h:x", ":80", "h:70000"}) {
            ClusterService.ClusterException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ClusterService.ClusterException.class, () -> ClusterService.checkAddress(bad));
            assertEquals(400, e.status());
        }
    }
}
