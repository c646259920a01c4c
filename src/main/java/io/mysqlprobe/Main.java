package io.mysqlprobe;

import io.mysqlprobe.pipeline.ProbeSettings;
import io.mysqlprobe.pipeline.OfflineAnalyzer;
import io.mysqlprobe.cli.TlsProperties;
import io.mysqlprobe.cli.TailCommand;
import io.mysqlprobe.config.ConfigException;
import io.mysqlprobe.config.ConfigLoader;
import io.mysqlprobe.config.ProbeConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point. {@code analyze ...} runs the offline pipeline and {@code tail [URL]} prints a node's reports,
 * both without starting Quarkus; anything
 * else starts the service: {@code [--config PATH]}. A bad configuration stops start-up with one line
 * naming the key (exit 2).
 */
@QuarkusMain
public final class Main {

    private Main() {}

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("analyze")) {
            String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            System.exit(OfflineAnalyzer.run(rest, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("tail")) {
            String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            System.exit(TailCommand.run(rest, System.out, System.err));
        }
        String configPath = null;
        List<String> passOn = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configPath = args[++i];
            } else if (args[i].startsWith("--config=")) {
                configPath = args[i].substring("--config=".length());
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: mysql-probe [--config PATH]   (live capture; see README)\n"
                        + "       mysql-probe " + OfflineAnalyzer.USAGE + "\n"
                        + "       mysql-probe " + TailCommand.USAGE + "   (print reports as they come)");
                return;
            } else {
                passOn.add(args[i]);
            }
        }
        try {
            Path file = ConfigLoader.locate(configPath, System.getenv());
            ProbeConfig config = ConfigLoader.withEnvironment(ConfigLoader.load(file), System.getenv());
            io.mysqlprobe.monitor.MonitorConfig.parse(config.monitor()); // fail now, with the key, not later
            if (file != null) {
                System.setProperty(ProbeSettings.CONFIG_PROPERTY, file.toString());
            }
            if (System.getProperty("quarkus.http.port") == null) {
                System.setProperty("quarkus.http.port", Integer.toString(config.serverPort()));
            }
            io.mysqlprobe.config.TlsFiles.check(config.tls());
            TlsProperties.of(config).forEach((k, v) -> {
                if (System.getProperty(k) == null) {
                    System.setProperty(k, v);
                }
            });
        } catch (ConfigException e) {
            System.err.println("mysql-probe: bad configuration: " + e.getMessage());
            System.exit(2);
        }
        Quarkus.run(passOn.toArray(new String[0]));
    }
}
