package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No GraalVM exists on our machines, so the native configuration can't be proven by a build here; this test
 * proves what can be: every class it names exists on the classpath, every resource pattern matches a resource
 * in a dependency, and the report records are registered for reflection.
 */
class NativeConfigTest {

    static final Path DIR = Path.of("src/main/resources/META-INF/native-image/io.mysqlprobe/mysql-probe");

    @Test
    void everyClassNamedInReflectionAndJniConfigExists() throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String f : new String[] {"reflect-config.json", "jni-config.json"}) {
            for (JsonNode entry : m.readTree(DIR.resolve(f).toFile())) {
                String name = entry.get("name").asText();
                checked++;
                try {
                    Class.forName(name, false, getClass().getClassLoader());
                } catch (ClassNotFoundException e) {
                    missing.add(f + ": " + name);
                }
            }
        }
        assertTrue(checked > 40, "config seems empty: " + checked);
        assertTrue(missing.isEmpty(), "named but not on the classpath: " + missing);
    }

    @Test
    void everyResourcePatternMatchesAResourceOfTheClasspath() throws Exception {
        JsonNode includes = new ObjectMapper()
                .readTree(DIR.resolve("resource-config.json").toFile())
                .get("resources")
                .get("includes");
        String cp = System.getProperty("java.class.path");
        for (JsonNode inc : includes) {
            Pattern p = Pattern.compile(inc.get("pattern").asText());
            boolean found = false;
            for (String entry : cp.split(java.io.File.pathSeparator)) {
                if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
                    try (JarFile jar = new JarFile(entry)) {
                        found = jar.stream()
                                .anyMatch(e -> p.matcher(e.getName()).matches());
                    }
                }
                if (found) {
                    break;
                }
            }
            assertTrue(found, "no resource matches " + p);
        }
    }

    @Test
    void reportRecordsAreRegisteredForReflection() {
        RegisterForReflection r = NativeRegistrations.class.getAnnotation(RegisterForReflection.class);
        assertNotNull(r);
        for (Class<?> c : io.mysqlprobe.report.Report.class.getDeclaredClasses()) {
            assertTrue(List.of(r.targets()).contains(c), c + " is serialised but not registered");
        }
    }
}
