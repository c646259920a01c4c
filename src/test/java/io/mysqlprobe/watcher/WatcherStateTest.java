package io.mysqlprobe.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The watcher's state writes the JSON the map before it wrote in {@code /cluster/listnodes}: the same names in the
 * same order, nulls written (WatcherIT matches {@code "refreshes":[1-9]} on that body).
 */
class WatcherStateTest {

    @Test
    void sameNamesOrderAndNullsAsTheMapBefore() throws Exception {
        String json = new ObjectMapper().writeValueAsString(new WatcherState(3, 1, null, "on", 7, 2, 5, "denied"));
        assertEquals(
                "{\"refreshes\":3,\"failures\":1,\"last_error\":null,\"performance_schema\":\"on\","
                        + "\"prepared_lookups\":7,\"prepared_lookup_failures\":2,\"prepared_statements_known\":5,"
                        + "\"prepared_last_error\":\"denied\"}",
                json);
    }
}
