package io.mysqlprobe.pipeline;

import io.mysqlprobe.config.ConfigLoader;
import io.mysqlprobe.config.ProbeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configuration in force. The file comes from {@code mysqlprobe.config} (set by {@code --config}, or as
 * any MicroProfile config source), then env {@code MYSQL_PROBE_CONFIG}, then the ConfigMap mount path.
 * Live changes (HTTP {@code /config/update}, file watch) replace the record.
 */
@ApplicationScoped
public class ProbeSettings {

    public static final String CONFIG_PROPERTY = "mysqlprobe.config";

    private final AtomicReference<ProbeConfig> current = new AtomicReference<>();
    private final Path file;

    public ProbeSettings(@ConfigProperty(name = CONFIG_PROPERTY) Optional<String> configPath) {
        this.file = ConfigLoader.locate(configPath.orElse(null), System.getenv());
        this.current.set(ConfigLoader.withEnvironment(ConfigLoader.load(file), System.getenv()));
    }

    public ProbeConfig get() {
        return current.get();
    }

    /** The file the configuration came from, or null for defaults. */
    public Path file() {
        return file;
    }

    public void set(ProbeConfig config) {
        current.set(config);
    }
}
