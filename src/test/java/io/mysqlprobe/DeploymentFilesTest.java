package io.mysqlprobe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.config.ConfigLoader;
import io.mysqlprobe.config.ProbeConfig;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * No Kubernetes and no Docker engine exist here, so the deployment files are checked for what can be
 * checked: the kustomization renders (every resource exists and parses), probes hit paths this application
 * really serves, ports match the ConfigMap's config, which the application's own loader accepts, Secret keys
 * are the ones the workloads reference and the environment variables are the ones the loader reads, and the
 * Dockerfiles pin their bases and start the real CLI.
 */
@QuarkusTest
class DeploymentFilesTest {

    static final Path K8S = Path.of("deploy/k8s");

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> docs(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            if (d != null) {
                out.add((Map<String, Object>) d);
            }
        }
        return out;
    }

    /** Every document of the kustomization's resources plus the examples. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rendered() throws IOException {
        Map<String, Object> k = docs(K8S.resolve("kustomization.yaml")).get(0);
        List<Map<String, Object>> all = new ArrayList<>();
        for (String r : (List<String>) k.get("resources")) {
            assertTrue(Files.isRegularFile(K8S.resolve(r)), "kustomization names a missing file " + r);
            all.addAll(docs(K8S.resolve(r)));
        }
        try (Stream<Path> ex = Files.list(K8S.resolve("examples"))) {
            for (Path p : ex.toList()) {
                all.addAll(docs(p));
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            n = n instanceof Map ? ((Map<String, Object>) n).get(p) : null;
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        Object c = at(workload, "spec", "template", "spec", "containers");
        return c == null ? List.of() : (List<Map<String, Object>>) c;
    }

    static Map<String, Object> byKind(List<Map<String, Object>> all, String kind, String name) {
        return all.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    @SuppressWarnings("unchecked")
    void probesHitRealPathsAndPortsMatchTheConfig() throws Exception {
        List<Map<String, Object>> all = rendered();
        Map<String, Object> cm = byKind(all, "ConfigMap", "mysql-probe-config");
        ProbeConfig config = ConfigLoader.parseYaml((String) at(cm, "data", "config.yaml"));
        io.mysqlprobe.monitor.MonitorConfig.parse(config.monitor());
        ProbeConfig master = ConfigLoader.parseYaml(
                (String) at(byKind(all, "ConfigMap", "mysql-probe-master-config"), "data", "config.yaml"));
        assertFalse(master.slave());
        assertEquals(config.cluster().group(), master.cluster().group(), "one gossip group");
        assertEquals(config.serverPort(), master.serverPort());
        Map<String, Object> gossip = byKind(all, "Service", "mysql-probe-gossip");
        assertEquals("None", at(gossip, "spec", "clusterIP"), "headless, for DNS_PING");
        assertTrue(
                config.cluster().dnsQuery().startsWith(at(gossip, "metadata", "name") + "."),
                "cluster.dns_query names the headless Service");
        int probeContainers = 0;
        for (Map<String, Object> w : all) {
            for (Map<String, Object> c : containers(w)) {
                if (!String.valueOf(c.get("image")).startsWith("mysql-probe")) {
                    continue;
                }
                probeContainers++;
                List<Map<String, Object>> ports = (List<Map<String, Object>>) c.get("ports");
                assertEquals(config.serverPort(), ports.get(0).get("containerPort"), "container port = serverport");
                assertEquals(List.of("--config", "/etc/mysql-probe/config.yaml"), c.get("args"));
                for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
                    String path = (String) at(c, probe, "httpGet", "path");
                    assertNotNull(path, probe + " of " + at(w, "metadata", "name"));
                    int status = given().when().get(path).then().extract().statusCode();
                    assertTrue(status == 200 || status == 503, probe + " " + path + " answered " + status);
                }
                List<String> caps = (List<String>) at(c, "securityContext", "capabilities", "add");
                assertEquals(Set.of("NET_RAW", "NET_ADMIN"), Set.copyOf(caps), "only the capture capabilities");
            }
        }
        assertTrue(probeContainers >= 3, "the DaemonSet, the masters and the sidecar example");
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretKeysAndEnvironmentNamesAreTheOnesTheApplicationReads() throws Exception {
        List<Map<String, Object>> all = rendered();
        Map<String, Object> secret = byKind(all, "Secret", "mysql-probe-secret");
        Set<String> keys = ((Map<String, Object>) secret.get("stringData")).keySet();
        Set<String> readByLoader = Set.of(
                ConfigLoader.ENV_ADMIN_TOKEN, ConfigLoader.ENV_WATCHER_PASSWORD, ConfigLoader.ENV_MONITOR_PASSWORD);
        int refs = 0;
        for (Map<String, Object> w : all) {
            for (Map<String, Object> c : containers(w)) {
                for (Map<String, Object> env : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
                    Object ref = at(env, "valueFrom", "secretKeyRef");
                    if (ref == null) {
                        continue;
                    }
                    refs++;
                    assertTrue(readByLoader.contains(env.get("name")), env.get("name") + " is not read by the app");
                    assertTrue(keys.contains(at(ref, "key")), "secret has no key " + at(ref, "key"));
                }
            }
        }
        assertTrue(refs > 0);
    }

    /**
     * Every probe serves TLS from files of a mounted Secret that the Certificate of certificate.yaml fills, with
     * the token on, and the kubelet's probes speak HTTPS.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyProbeServesTlsFromTheMountedCertificateWithTheTokenOn() throws Exception {
        List<Map<String, Object>> all = rendered();
        Set<String> issued = new java.util.HashSet<>();
        for (Map<String, Object> d : all) {
            if ("Certificate".equals(d.get("kind")) && !Boolean.TRUE.equals(at(d, "spec", "isCA"))) {
                issued.add((String) at(d, "spec", "secretName"));
                assertNotNull(at(d, "spec", "issuerRef", "name"), "issued by an Issuer");
            }
        }
        int probeContainers = 0;
        for (Map<String, Object> w : all) {
            List<Map<String, Object>> volumes =
                    (List<Map<String, Object>>) at(w, "spec", "template", "spec", "volumes");
            for (Map<String, Object> c : containers(w)) {
                if (!String.valueOf(c.get("image")).startsWith("mysql-probe")) {
                    continue;
                }
                probeContainers++;
                String name = at(w, "metadata", "name") + "/" + c.get("name");
                Map<String, String> mounts = new java.util.HashMap<>(); // mount path -> volume name
                for (Map<String, Object> m : (List<Map<String, Object>>) c.get("volumeMounts")) {
                    mounts.put((String) m.get("mountPath"), (String) m.get("name"));
                }
                Map<String, Object> configVolume = volume(volumes, mounts.get("/etc/mysql-probe"));
                String configMap = (String) at(configVolume, "configMap", "name");
                ProbeConfig config =
                        ConfigLoader.parseYaml((String) at(byKind(all, "ConfigMap", configMap), "data", "config.yaml"));
                assertTrue(config.tls().serving(), name + ": tls.cert_file and tls.key_file set");
                for (String file : new String[] {
                    config.tls().certFile(),
                    config.tls().keyFile(),
                    config.tls().caFile()
                }) {
                    String dir = Path.of(file).getParent().toString();
                    Map<String, Object> v = volume(volumes, mounts.get(dir));
                    assertNotNull(v, name + ": " + file + " lies in no mounted volume");
                    String secretName = (String) at(v, "secret", "secretName");
                    assertTrue(
                            issued.contains(secretName),
                            name + ": " + file + " comes from Secret " + secretName + ", which no Certificate fills ("
                                    + issued + ")");
                    String key = Path.of(file).getFileName().toString();
                    assertTrue(
                            Set.of("tls.crt", "tls.key", "ca.crt").contains(key),
                            name + ": " + key + " is not a key cert-manager writes");
                }
                boolean token = ((List<Map<String, Object>>) c.getOrDefault("env", List.of()))
                        .stream()
                                .anyMatch(e -> ConfigLoader.ENV_ADMIN_TOKEN.equals(e.get("name"))
                                        && at(e, "valueFrom", "secretKeyRef") != null);
                assertTrue(token || config.auth().token() != null, name + ": the token is on");
                for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
                    assertEquals("HTTPS", at(c, probe, "httpGet", "scheme"), name + " " + probe + " over HTTPS");
                }
            }
        }
        assertTrue(probeContainers >= 3, "the DaemonSet, the masters and the sidecar example");
    }

    static Map<String, Object> volume(List<Map<String, Object>> volumes, String name) {
        return volumes == null || name == null
                ? null
                : volumes.stream()
                        .filter(v -> name.equals(v.get("name")))
                        .findFirst()
                        .orElse(null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryProbeAtItsMetricsPath() throws Exception {
        List<Map<String, Object>> all = rendered();
        ProbeConfig config = ConfigLoader.parseYaml(
                (String) at(byKind(all, "ConfigMap", "mysql-probe-config"), "data", "config.yaml"));
        int annotated = 0;
        for (Map<String, Object> w : all) {
            if (containers(w).stream()
                    .noneMatch(c -> String.valueOf(c.get("image")).startsWith("mysql-probe"))) {
                continue;
            }
            Map<String, Object> a = (Map<String, Object>) at(w, "spec", "template", "metadata", "annotations");
            assertNotNull(a, "prometheus.io annotations on the pods of " + at(w, "metadata", "name"));
            assertEquals("true", a.get("prometheus.io/scrape"));
            assertEquals(String.valueOf(config.serverPort()), a.get("prometheus.io/port"), "quoted serverport");
            assertEquals("/q/metrics", a.get("prometheus.io/path"));
            annotated++;
        }
        assertTrue(annotated >= 3, "the DaemonSet, the masters and the sidecar example");
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metrics.contains("mysqlprobe_metrics_templates"), "the per-template exporter is bound");

        Map<String, Object> sm = byKind(all, "ServiceMonitor", "mysql-probe-master");
        Map<String, Object> selector = (Map<String, Object>) at(sm, "spec", "selector", "matchLabels");
        Map<String, Object> service = all.stream()
                .filter(d -> "Service".equals(d.get("kind"))
                        && at(d, "metadata", "labels") instanceof Map<?, ?> l
                        && l.entrySet().containsAll(selector.entrySet()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the ServiceMonitor selects no Service: " + selector));
        Map<String, Object> endpoint = ((List<Map<String, Object>>) at(sm, "spec", "endpoints")).get(0);
        assertEquals("/q/metrics", endpoint.get("path"));
        assertTrue(
                ((List<Map<String, Object>>) at(service, "spec", "ports"))
                        .stream()
                                .anyMatch(p -> endpoint.get("port").equals(p.get("name"))
                                        && Integer.valueOf(config.serverPort()).equals(p.get("targetPort"))),
                "port " + endpoint);

        Map<String, Object> pm = byKind(all, "PodMonitor", "mysql-probe-slaves");
        Map<String, Object> daemonSet = byKind(all, "DaemonSet", "mysql-probe");
        assertTrue(((Map<String, Object>) at(daemonSet, "spec", "template", "metadata", "labels"))
                .entrySet()
                .containsAll(((Map<String, Object>) at(pm, "spec", "selector", "matchLabels")).entrySet()));
        Map<String, Object> podEndpoint = ((List<Map<String, Object>>) at(pm, "spec", "podMetricsEndpoints")).get(0);
        assertEquals("/q/metrics", podEndpoint.get("path"));
        assertTrue(((List<Map<String, Object>>) containers(daemonSet).get(0).get("ports"))
                .stream()
                        .anyMatch(p -> podEndpoint.get("port").equals(p.get("name"))
                                && Integer.valueOf(config.serverPort()).equals(p.get("containerPort"))));
    }

    @Test
    void dockerfilesPinTheirBasesAndStartTheRealCli() throws Exception {
        Pattern from = Pattern.compile("^FROM\\s+(\\S+)", Pattern.MULTILINE);
        for (String f : new String[] {"Dockerfile.jvm", "Dockerfile.native"}) {
            String text = Files.readString(Path.of("src/main/docker", f));
            Matcher m = from.matcher(text);
            int images = 0;
            while (m.find()) {
                images++;
                String image = m.group(1);
                assertTrue(image.contains(":") && !image.endsWith(":latest"), f + ": unpinned base " + image);
            }
            assertTrue(images > 0);
            assertTrue(text.contains("EXPOSE 8667"), f + " exposes the default serverport");
            assertTrue(text.contains("libpcap0.8"), f + " installs libpcap");
            assertTrue(text.contains("CMD [\"--config\", \"/etc/mysql-probe/config.yaml\"]"), f);
            assertFalse(text.contains("USER root\nENTRYPOINT"), f + " must not run as root");
        }
        assertTrue(Files.readString(Path.of("src/main/docker/Dockerfile.jvm")).contains("quarkus-run.jar"));
    }
}
