package io.mysqlprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File changes made the way the kubelet updates a mounted ConfigMap: a new directory and a ..data symlink swap. */
class ConfigWatcherTest {

    @TempDir
    Path mount;

    private int generation;

    /** kubelet's AtomicWriter: write ..TIMESTAMP/config.yaml, point ..data_tmp at it, rename over ..data. */
    private void kubeletWrite(String yaml) throws Exception {
        Path gen = mount.resolve("..2026_11_21_00_00_0" + (generation++));
        Files.createDirectories(gen);
        Files.writeString(gen.resolve("config.yaml"), yaml);
        Path tmp = mount.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, gen.getFileName());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path link = mount.resolve("config.yaml");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, Path.of("..data/config.yaml"));
        }
    }

    @Test
    void aConfigMapSwapIsSeenAndABadFileIsRejectedKeepingTheRunningConfig() throws Exception {
        kubeletWrite("interval: 10\nslowthresholdms: 100\n");
        Path file = mount.resolve("config.yaml");
        ProbeConfig initial = ConfigLoader.load(file);
        List<ProbeConfig[]> changes = new ArrayList<>();
        ConfigWatcher w = new ConfigWatcher(
                file, initial, 10, Map.of(), c -> {}, (a, b) -> changes.add(new ProbeConfig[] {a, b}));
        assertFalse(w.poll(), "nothing changed yet");

        kubeletWrite("interval: 5\nslowthresholdms: 20\n");
        assertTrue(w.poll());
        assertEquals(1, changes.size());
        assertEquals(10, changes.get(0)[0].intervalSeconds());
        assertEquals(5, changes.get(0)[1].intervalSeconds());
        assertEquals(20, changes.get(0)[1].slowThresholdMs());

        kubeletWrite("interval: banana\n");
        assertFalse(w.poll());
        assertEquals(1, w.rejected());
        assertEquals(1, changes.size(), "a bad file is not applied");

        kubeletWrite("interval: 7\n");
        assertTrue(w.poll());
        assertEquals(5, changes.get(1)[0].intervalSeconds(), "the previous good config is what gets replaced");
        assertEquals(7, changes.get(1)[1].intervalSeconds());
    }

    @Test
    void diffSplitsLiveKeysFromRestartRequiredOnes() {
        ProbeConfig a =
                ConfigLoader.parseYaml("interval: 10\nprobe: {port: 3306}\nreport: {raw_sql: false, backlog: 6}");
        ProbeConfig b = ConfigLoader.parseYaml("interval: 5\nprobe: {port: 3307}\nreport: {raw_sql: true, backlog: 9}");
        ConfigDiff d = ConfigDiff.between(a, b);
        assertEquals(List.of("interval", "report.raw_sql"), d.live());
        assertEquals(List.of("probe", "report.backlog"), d.restartRequired());
        ProbeConfig effective = ConfigDiff.applyLive(a, b);
        assertEquals(5, effective.intervalSeconds());
        assertTrue(effective.report().rawSql());
        assertEquals(3306, effective.probe().port(), "restart-only settings keep their running value");
        assertEquals(6, effective.report().backlog());
    }
}
