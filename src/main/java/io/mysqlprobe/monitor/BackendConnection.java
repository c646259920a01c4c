package io.mysqlprobe.monitor;

import java.sql.Connection;
import java.sql.SQLException;

/** One monitor connection: the JDBC connection, the guard owning its socket, and its age. */
final class BackendConnection {

    final Endpoint endpoint;
    final Connection connection;
    final DeadlineSocketFactory.Guard guard;
    final boolean mariaDb;
    final long createdNanos;
    volatile long lastUsedNanos;

    BackendConnection(Endpoint endpoint, Connection connection, DeadlineSocketFactory.Guard guard, boolean mariaDb) {
        this.endpoint = endpoint;
        this.connection = connection;
        this.guard = guard;
        this.mariaDb = mariaDb;
        this.createdNanos = System.nanoTime();
        this.lastUsedNanos = createdNanos;
    }

    void close() {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // a connection we drop may well be broken already
        }
    }
}
