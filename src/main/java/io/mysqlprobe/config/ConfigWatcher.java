package io.mysqlprobe.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Watches the configuration file by polling its content (robust to Kubernetes' ConfigMap update, which swaps
 * the {@code ..data} symlink rather than writing the file, and to editors that replace files). A changed file
 * that parses is handed to the listener with the config it replaces; one that does not is rejected with one
 * log line and the running configuration stays.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());

    private final Path file;
    private final long pollMs;
    private final Map<String, String> env;
    private final BiConsumer<ProbeConfig, ProbeConfig> listener;
    private final java.util.function.Consumer<ProbeConfig> validator;
    private volatile ProbeConfig current;
    private byte[] lastContent;
    private volatile boolean running = true;
    private Thread thread;
    private volatile long rejected;

    /**
     * @param validator checks sections other stages parse (e.g. {@code monitor:}); throws ConfigException to reject
     */
    public ConfigWatcher(
            Path file,
            ProbeConfig current,
            long pollMs,
            Map<String, String> env,
            java.util.function.Consumer<ProbeConfig> validator,
            BiConsumer<ProbeConfig, ProbeConfig> listener) {
        this.validator = validator;
        this.file = file;
        this.current = current;
        this.pollMs = pollMs;
        this.env = env;
        this.listener = listener;
        this.lastContent = read();
    }

    public void start() {
        thread = new Thread(
                () -> {
                    while (running) {
                        try {
                            Thread.sleep(pollMs);
                        } catch (InterruptedException e) {
                            return;
                        }
                        poll();
                    }
                },
                "config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** One check; returns true when a new configuration was applied. */
    public synchronized boolean poll() {
        byte[] content = read();
        if (content == null || Arrays.equals(content, lastContent)) {
            return false;
        }
        lastContent = content;
        ProbeConfig next;
        try {
            next = ConfigLoader.withEnvironment(
                    ConfigLoader.parseYaml(new String(content, java.nio.charset.StandardCharsets.UTF_8)), env);
            validator.accept(next);
        } catch (ConfigException e) {
            rejected++;
            LOG.warning("config file " + file + " changed but was rejected, keeping the running configuration: "
                    + e.getMessage());
            return false;
        }
        ProbeConfig before = current;
        current = next;
        listener.accept(before, next);
        return true;
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file); // follows symlinks, so a ..data swap reads the new file
        } catch (IOException e) {
            return null; // mid-swap or removed: try again at the next poll
        }
    }

    public long rejected() {
        return rejected;
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
