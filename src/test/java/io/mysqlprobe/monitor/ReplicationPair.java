package io.mysqlprobe.monitor;

import io.mysqlprobe.testsupport.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A throw-away MariaDB primary and replica on loopback (STACK.md recipe): binlog on the primary, users
 * created on the primary only (they replicate), {@code CHANGE MASTER TO … ; START SLAVE} on the replica.
 * The monitor user gets USAGE + SLAVE MONITOR, what ProxySQL documents for the lag check.
 */
final class ReplicationPair implements AutoCloseable {

    static final String MONITOR_USER = "monitor";
    static final String MONITOR_PASSWORD = "monitor-pw";

    final MariaDbServer primary;
    final MariaDbServer replica;

    private ReplicationPair(MariaDbServer primary, MariaDbServer replica) {
        this.primary = primary;
        this.replica = replica;
    }

    static ReplicationPair start() throws Exception {
        MariaDbServer primary = MariaDbServer.start("--log-bin=primary-bin", "--server-id=1", "--max-connections=200");
        MariaDbServer replica;
        try {
            replica = MariaDbServer.start("--server-id=2", "--max-connections=200");
        } catch (Exception e) {
            primary.close();
            throw e;
        }
        ReplicationPair pair = new ReplicationPair(primary, replica);
        try {
            createMonitorUser(primary);
            try (Connection c = primary.connect();
                    Statement st = c.createStatement()) {
                st.execute("CREATE USER 'repl'@'%' IDENTIFIED BY 'repl'");
                st.execute("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'");
                st.execute("CREATE DATABASE probe");
                st.execute("CREATE TABLE probe.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB");
            }
            try (Connection c = replica.connect();
                    Statement st = c.createStatement()) {
                st.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
                        + ", MASTER_USER='repl', MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos,"
                        + " MASTER_CONNECT_RETRY=1");
                st.execute("START SLAVE");
                st.execute("SET GLOBAL read_only=1");
            }
            pair.awaitReplicated();
            return pair;
        } catch (Exception e) {
            pair.close();
            throw e;
        }
    }

    static void createMonitorUser(MariaDbServer server) throws SQLException {
        try (Connection c = server.connect();
                Statement st = c.createStatement()) {
            for (String host : new String[] {"%", "localhost"}) {
                st.execute(
                        "CREATE USER '" + MONITOR_USER + "'@'" + host + "' IDENTIFIED BY '" + MONITOR_PASSWORD + "'");
                st.execute("GRANT USAGE, SLAVE MONITOR ON *.* TO '" + MONITOR_USER + "'@'" + host + "'");
            }
        }
    }

    /** Waits (deadline 20 s) until the replica has applied everything the primary wrote so far. */
    void awaitReplicated() throws Exception {
        String gtid;
        try (Connection c = primary.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            gtid = rs.getString(1);
        }
        try (Connection c = replica.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MASTER_GTID_WAIT('" + gtid + "', 20)")) {
            rs.next();
            if (rs.getInt(1) != 0) {
                throw new IllegalStateException("replica did not reach " + gtid);
            }
        }
    }

    void onPrimary(String sql) throws SQLException {
        try (Connection c = primary.connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    void onReplica(String sql) throws SQLException {
        try (Connection c = replica.connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            replica.close();
        } finally {
            primary.close();
        }
    }
}
