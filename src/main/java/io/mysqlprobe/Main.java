package io.mysqlprobe;

import io.mysqlprobe.cli.AnalyzeCommand;
import io.mysqlprobe.cli.ServeCommand;
import io.mysqlprobe.cli.TailCommand;
import io.mysqlprobe.cli.TlsProperties;
import io.mysqlprobe.config.ConfigException;
import io.mysqlprobe.config.ConfigLoader;
import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.pipeline.ProbeSettings;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

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
            System.exit(AnalyzeCommand.run(rest, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("tail")) {
            String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            System.exit(TailCommand.run(rest, System.out, System.err));
        }
        ServeCommand.Parsed parsed;
        try {
            parsed = ServeCommand.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mysql-probe: " + e.getMessage() + "; see --help");
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(ServeCommand.HELP);
            return;
        }
        String configPath = parsed.configPath();
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
        Quarkus.run(parsed.passOn().toArray(new String[0]));
    }
}
