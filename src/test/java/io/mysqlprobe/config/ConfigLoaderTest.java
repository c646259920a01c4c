package io.mysqlprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** The seed's example, as written there (including "passward"). */
    static final String SEED = """
            slave: true           # true if run as slave
            serverport: 8667      # websocket address the node listen
            interval: 10          # report interval
            slowthresholdms: 100  # threshold to record slow query
            cluster:
              gossip: true   # true if run as gossip mode
              group: test    # cluster name
              port: 0        # gossip bind port
            probe:
              device: lo0,en0  # devices to probe
              port: 3306       # port to probe, slave only
              snappylength: 0  # snappy buffer length of the probe, slave only
              workers: 2       # number of workers to process probe data, slave only
            watcher:
              uname: test    # user name for login mysql
              passward: test # passward to login mysql
              address: test  # mysql address
              dbname: test   # dbname to login mysql
            """;

    @Test
    void theSeedExampleLoadsAsWritten() {
        ProbeConfig c = ConfigLoader.parseYaml(SEED);
        assertTrue(c.slave());
        assertEquals(8667, c.serverPort());
        assertEquals(10_000, c.intervalMs());
        assertEquals(100, c.slowThresholdMs());
        assertTrue(c.cluster().gossip());
        assertEquals("test", c.cluster().group());
        assertEquals(List.of("lo0", "en0"), c.probe().devices());
        assertEquals(262144, c.probe().snapLength(), "snappylength 0 means the maximum");
        assertEquals(2, c.probe().workers());
        assertEquals("test", c.watcher().password(), "the seed's spelling 'passward' is accepted");
        assertTrue(c.watcher().enabled());
    }

    @Test
    void defaultsAreAStandaloneSlaveOnAnyPort3306() {
        ProbeConfig c = ConfigLoader.defaults();
        assertTrue(c.slave());
        assertFalse(c.cluster().gossip());
        assertEquals(List.of("any"), c.probe().devices());
        assertEquals(3306, c.probe().port());
        assertEquals(8667, c.serverPort());
        assertEquals(10, c.intervalSeconds());
        assertFalse(c.report().rawSql());
        assertNull(c.auth().token());
        assertEquals(c, ConfigLoader.parseYaml(""));
    }

    @Test
    void passwordWinsOverPassward() {
        ProbeConfig c = ConfigLoader.parseYaml("watcher: {uname: u, password: right, passward: old, address: h:3306}");
        assertEquals("right", c.watcher().password());
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
        assertMessage(
                "probe.workers: \"zero\" is not allowed; expected an integer from 1 to 64", "probe: {workers: zero}");
        assertMessage("serverport: 70000 is not allowed; expected an integer from 1 to 65535", "serverport: 70000");
        assertMessage("slave: \"maybe\" is not allowed; expected true or false", "slave: maybe");
        assertMessage("interval: 0 is not allowed; expected an integer from 1 to 3600", "interval: 0");
        assertMessage(
                "report.raw_sql: \"yes please\" is not allowed; expected true or false",
                "report: {raw_sql: yes please}");
        assertMessage("probe: [1, 2] is not allowed; expected a mapping of keys", "probe: [1, 2]");
        assertMessage(
                "probe.capture_reader: \"pcap\" is not allowed; expected one of ring, libpcap",
                "probe: {capture_reader: pcap}");
    }

    @Test
    void decodeWorkersDefaultToTheCoresBesideTheCaptureThreadAtMostTwo() {
        int cores = Runtime.getRuntime().availableProcessors();
        int unset = ConfigLoader.parseYaml("probe: {port: 3306}").probe().workers();
        assertEquals(cores <= 2 ? 1 : 2, unset, cores + " cores");
        assertEquals(5, ConfigLoader.parseYaml("probe: {workers: 5}").probe().workers(), "set: as written");
    }

    @Test
    void theRingReaderIsTheDefaultAndLibpcapCanBeForced() {
        assertTrue(ConfigLoader.defaults().probe().ringReader());
        assertTrue(
                ConfigLoader.parseYaml("probe: {capture_reader: ring}").probe().ringReader());
        assertFalse(ConfigLoader.parseYaml("probe: {capture_reader: libpcap}")
                .probe()
                .ringReader());
    }

    @Test
    void unknownKeysAreRejectedSoTyposAreNotSilentlyIgnored() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parseYaml("probe: {wokers: 2}"));
        assertEquals("probe.wokers", e.key());
        assertTrue(e.getMessage().startsWith("probe.wokers: \"(unknown key)\" is not allowed; expected one of ["));
    }

    @Test
    void brokenYamlIsOneLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parseYaml("probe: {workers: 2"));
        assertTrue(e.getMessage().startsWith("config: not valid YAML: "));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void locateHonoursCliThenEnvAndRequiresNamedFilesToExist(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), "interval: 5");
        Path b = Files.writeString(dir.resolve("b.yaml"), "interval: 6");
        assertEquals(a, ConfigLoader.locate(a.toString(), Map.of(ConfigLoader.ENV, b.toString())));
        assertEquals(b, ConfigLoader.locate(null, Map.of(ConfigLoader.ENV, b.toString())));
        assertEquals(6, ConfigLoader.load(b).intervalSeconds());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.locate(dir.resolve("missing.yaml").toString(), Map.of()));
        assertEquals("--config: \"" + dir.resolve("missing.yaml") + "\" is not a readable file", e.getMessage());
    }

    @Test
    void secretsFromTheEnvironmentOverrideTheFile() {
        ProbeConfig c = ConfigLoader.withEnvironment(
                ConfigLoader.parseYaml("auth: {token: fromfile}"),
                Map.of(
                        ConfigLoader.ENV_ADMIN_TOKEN,
                        "fromsecret",
                        ConfigLoader.ENV_WATCHER_PASSWORD,
                        "w",
                        ConfigLoader.ENV_MONITOR_PASSWORD,
                        "m"));
        assertEquals("fromsecret", c.auth().token());
        assertEquals("w", c.watcher().password());
        assertEquals("m", c.monitor().get("password"));
        assertEquals(
                "fromfile",
                ConfigLoader.withEnvironment(ConfigLoader.parseYaml("auth: {token: fromfile}"), Map.of())
                        .auth()
                        .token());
    }

    @Test
    void tlsAndAuthMetricsKeys() {
        ProbeConfig c = ConfigLoader.parseYaml("""
                auth: {token: t, metrics: true}
                tls: {cert_file: /c.pem, key_file: /k.pem, ca_file: /ca.pem, reload_seconds: 5}
                """);
        assertEquals(new ProbeConfig.Tls("/c.pem", "/k.pem", "/ca.pem", 5, true), c.tls());
        assertTrue(
                !ConfigLoader.parseYaml("tls: {verify_hostname: false}").tls().verifyHostname());
        assertTrue(c.tls().serving() && c.tls().peers() && c.auth().metrics());
        ProbeConfig d = ConfigLoader.defaults();
        assertEquals(ProbeConfig.Tls.NONE, d.tls());
        assertTrue(!d.tls().serving() && !d.tls().peers() && !d.auth().metrics());
        assertTrue(ConfigLoader.parseYaml("tls: {ca_file: /ca.pem}").tls().peers(), "a master with only a CA");
        assertEquals(
                true,
                ConfigLoader.withEnvironment(c, Map.of(ConfigLoader.ENV_ADMIN_TOKEN, "s"))
                        .auth()
                        .metrics(),
                "the token from the Secret keeps auth.metrics");
        assertMessage("tls.key_file: missing; tls.cert_file and tls.key_file go together", "tls: {cert_file: /c.pem}");
        assertMessage("tls.cert_file: missing; tls.cert_file and tls.key_file go together", "tls: {key_file: /k.pem}");
        assertMessage(
                "tls.reload_seconds: 0 is not allowed; expected an integer from 1 to 86400",
                "tls: {reload_seconds: 0}");
        assertEquals(
                List.of("tls"),
                ConfigDiff.between(d, c).restartRequired().stream()
                        .filter("tls"::equals)
                        .toList(),
                "other files need a restart; rotated contents do not");
    }

    private static void assertMessage(String expected, String yaml) {
        assertEquals(
                expected,
                assertThrows(ConfigException.class, () -> ConfigLoader.parseYaml(yaml))
                        .getMessage());
    }
}
