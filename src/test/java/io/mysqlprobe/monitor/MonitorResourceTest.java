package io.mysqlprobe.monitor;

import static io.mysqlprobe.monitor.WorkerPoolTest.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.mysqlprobe.testsupport.MariaDbServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST endpoints, with the monitor checking a port nobody listens on (no database needed). */
@QuarkusTest
class MonitorResourceTest {

    @Inject
    MonitorService monitor;

    @AfterEach
    void stop() {
        monitor.stop();
    }

    @Test
    void serversAndLogsUseProxySqlColumnNamesAndFilters() throws Exception {
        int port = MariaDbServer.freePort();
        monitor.apply(MonitorConfig.parse(Map.of(
                "enabled",
                true,
                "ping_interval",
                100,
                "connect_interval",
                100,
                "servers",
                List.of(Map.of("hostgroup", 1, "host", "127.0.0.1", "port", port)))));
        await(
                () -> monitor.engine().pingLog().size() >= 3
                        && monitor.engine().connectLog().size() >= 1,
                5000,
                "ping and connect rows");

        given().get("/monitor/servers")
                .then()
                .statusCode(200)
                .body("servers", hasSize(1))
                .body("servers[0].hostgroup_id", equalTo(1))
                .body("servers[0].hostname", equalTo("127.0.0.1"))
                .body("servers[0].port", equalTo(port))
                .body("servers[0].status", equalTo("SHUNNED"))
                .body("servers[0].max_replication_lag", equalTo(0))
                .body("monitor.running", equalTo(true))
                .body("monitor.pool.queue_length", notNullValue())
                .body("monitor.pool.workers", notNullValue());

        given().queryParam("hostname", "127.0.0.1")
                .queryParam("port", port)
                .queryParam("limit", 2)
                .get("/monitor/ping_log")
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("[0]", hasKey("time_start_us"))
                .body("[0]", hasKey("ping_success_time_us"))
                .body("ping_error", everyItem(containsString("onnect")))
                .body("ping_error", everyItem(not(containsString("factory"))));
        given().get("/monitor/connect_log")
                .then()
                .statusCode(200)
                .body("[0]", hasKey("connect_success_time_us"))
                .body("[0].connect_error", notNullValue());
        given().queryParam("port", port + 1)
                .get("/monitor/ping_log")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        given().queryParam("since", System.currentTimeMillis() + 60_000)
                .get("/monitor/connect_log")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        given().get("/monitor/read_only_log").then().statusCode(200).body("$", hasSize(0));
        given().get("/monitor/replication_lag_log").then().statusCode(200).body("$", hasSize(0));

        given().queryParam("limit", 10_001)
                .get("/monitor/ping_log")
                .then()
                .statusCode(400)
                .body("error", equalTo("limit: \"10001\" is not allowed; expected an integer from 1 to 10000"));
        given().queryParam("port", "x")
                .get("/monitor/ping_log")
                .then()
                .statusCode(400)
                .body("error", containsString("port"));
        given().queryParam("since", "-1").get("/monitor/ping_log").then().statusCode(400);
        given().get("/monitor/pong_log").then().statusCode(404);
    }
}
