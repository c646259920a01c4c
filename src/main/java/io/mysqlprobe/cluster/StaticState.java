package io.mysqlprobe.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mysqlprobe.report.ReportJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A static-mode master's slave list as changed by {@code /cluster/join|remove|leave}, persisted as JSON
 * ({@code {"slaves": ["host:port", ...]}}) so a restarted master resumes. When the file exists it wins over
 * {@code cluster.slaves}; it is written atomically (temp file + rename) after every change.
 */
public final class StaticState {

    private static final Logger LOG = Logger.getLogger(StaticState.class.getName());

    private final Path file;
    private final LinkedHashSet<String> slaves = new LinkedHashSet<>();

    private StaticState(Path file) {
        this.file = file;
    }

    /** The state file: {@code cluster.state_file}, else {@code <config name>.cluster-state.json} beside it. */
    public static Path locate(String configured, Path configFile) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (configFile == null) {
            return Path.of("mysql-probe.cluster-state.json");
        }
        String name = configFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return configFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".cluster-state.json");
    }

    /** Loads the file if it exists, else starts from {@code configured}. A corrupt file is logged and ignored. */
    public static StaticState load(Path file, List<String> configured) {
        StaticState s = new StaticState(file);
        if (file != null && Files.isRegularFile(file)) {
            try {
                Map<String, List<String>> m = ReportJson.mapper()
                        .readValue(Files.readString(file), new TypeReference<Map<String, List<String>>>() {});
                List<String> saved = m.get("slaves");
                if (saved != null) {
                    s.slaves.addAll(saved);
                    return s;
                }
                LOG.warning(file + ": no \"slaves\" list; using cluster.slaves from the config");
            } catch (IOException | RuntimeException e) {
                LOG.warning(file + ": unreadable (" + e.getMessage() + "); using cluster.slaves from the config");
            }
        }
        s.slaves.addAll(configured);
        return s;
    }

    public synchronized List<String> slaves() {
        return new ArrayList<>(slaves);
    }

    public synchronized boolean add(String address) {
        boolean added = slaves.add(address);
        if (added) {
            save();
        }
        return added;
    }

    public synchronized boolean remove(String address) {
        boolean removed = slaves.remove(address);
        if (removed) {
            save();
        }
        return removed;
    }

    public synchronized List<String> clear() {
        List<String> was = new ArrayList<>(slaves);
        slaves.clear();
        save();
        return was;
    }

    public Path file() {
        return file;
    }

    private void save() {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".cluster-state", ".tmp");
            Files.writeString(tmp, ReportJson.write(Map.of("slaves", new ArrayList<>(slaves))));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the cluster state file " + file + ": " + e.getMessage(), e);
        }
    }
}
