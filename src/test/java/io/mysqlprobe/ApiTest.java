package io.mysqlprobe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.mysqlprobe.pipeline.ProbeSettings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP interface of a running node with an admin token configured. */
@QuarkusTest
@TestProfile(ApiTest.WithToken.class)
class ApiTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(ProbeSettings.CONFIG_PROPERTY, "src/test/resources/api/token.yaml");
        }
    }

    @Test
    void mutationsNeedTheToken() {
        given().when()
                .get("/config/update?slowthresholdms=50")
                .then()
                .statusCode(401)
                .body("error", containsString("admin token"));
        given().header("Authorization", "Bearer wrong")
                .when()
                .get("/config/update?slowthresholdms=50")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer t0ken")
                .when()
                .get("/config/update?slowthresholdms=50")
                .then()
                .statusCode(200)
                .body("slowthresholdms", equalTo(50));
        given().header("X-Probe-Token", "t0ken")
                .when()
                .post("/config/update?report_period_ms=3000")
                .then()
                .statusCode(200)
                .body("report_period_ms", equalTo(3000));
        given().header("X-Probe-Token", "t0ken")
                .when()
                .get("/cluster/join?addr=10.0.0.1:8667")
                .then()
                .statusCode(409)
                .body("error", containsString("standalone"));
        given().when().get("/cluster/leave").then().statusCode(401);
    }

    @Test
    void everyReadOfQueryOrTopologyDataNeedsTheTokenButHealthAndMetricsDoNot() {
        for (String path : new String[] {"/cluster/listnodes", "/monitor/servers", "/monitor/ping_log", "/collector"}) {
            given().when()
                    .get(path)
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("error", containsString("missing admin token"));
            given().header("Authorization", "Bearer t0ken!")
                    .when()
                    .get(path)
                    .then()
                    .statusCode(401)
                    .body("error", containsString("wrong admin token"));
        }
        given().header("Authorization", "Bearer t0ken")
                .when()
                .get("/monitor/servers")
                .then()
                .statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/").then().statusCode(200);
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.junit.jupiter.api.Assertions.assertTrue(
                metrics.contains("mysqlprobe_auth_failures_total{reason=\"missing\"}")
                        && metrics.contains("mysqlprobe_auth_failures_total{reason=\"wrong\"}"),
                "auth failures counted");
        org.junit.jupiter.api.Assertions.assertFalse(metrics.contains("t0ken"), "the token appears nowhere");
    }

    @Test
    void badParametersAre400WithAMessage() {
        given().header("X-Probe-Token", "t0ken")
                .when()
                .get("/config/update?report_period_ms=1500")
                .then()
                .statusCode(400)
                .body("error", containsString("whole seconds"));
        given().header("X-Probe-Token", "t0ken")
                .when()
                .get("/config/update?report_period_ms=99999999999")
                .then()
                .statusCode(400)
                .body(
                        "error",
                        equalTo(
                                "report_period_ms: \"99999999999\" is not allowed; expected an integer from 1000 to 3600000"));
        given().header("X-Probe-Token", "t0ken")
                .when()
                .get("/config/update?slowthresholdms=-1")
                .then()
                .statusCode(400);
        given().header("X-Probe-Token", "t0ken")
                .when()
                .get("/config/update")
                .then()
                .statusCode(400)
                .body("error", containsString("nothing to update"));
    }

    @Test
    void prometheusMetricsHaveBoundedLabels() {
        String body = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String m : new String[] {
            "mysqlprobe_packets_total",
            "mysqlprobe_statements_total",
            "mysqlprobe_dropped_total{cause=\"queue\"",
            "mysqlprobe_dropped_total{cause=\"kernel\"",
            "mysqlprobe_decode_errors_total",
            "mysqlprobe_connections ",
            "mysqlprobe_websocket_subscribers",
            "mysqlprobe_window_publish_delay_seconds_count",
            "mysqlprobe_monitor_checks_total{check=\"ping\",result=\"error\"",
            "mysqlprobe_monitor_servers{status=\"SHUNNED_REPLICATION_LAG\""
        }) {
            org.junit.jupiter.api.Assertions.assertTrue(body.contains(m), m + " missing from /q/metrics");
        }
    }

    @Test
    void jvmSeriesAreReadOnScrapeWithoutGcNotifications() {
        String body = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String m : new String[] {
            "jvm_memory_used_bytes{",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "jvm_gc_collections_total{"
        }) {
            org.junit.jupiter.api.Assertions.assertTrue(body.contains(m), m + " missing from /q/metrics");
        }
        // Quarkus' JVM binder (off): its pause timer and heap-pressure gauges listen to a JMX notification per GC
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("jvm_gc_pause_seconds"), "jvm_gc_pause_seconds");
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("jvm_gc_overhead"), "jvm_gc_overhead");
    }

    @Test
    void listNodesAndHealthAnswer() {
        given().header("X-Probe-Token", "t0ken")
                .when()
                .get("/cluster/listnodes")
                .then()
                .statusCode(200)
                .body("mode", equalTo("standalone"))
                .body("nodes[0].role", equalTo("slave"))
                .body("nodes[0].capture_port", equalTo(1))
                .body("self.security.token", equalTo(true))
                .body("self.security.tls", equalTo(false));
        given().when().get("/q/health/started").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
