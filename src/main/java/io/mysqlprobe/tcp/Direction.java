package io.mysqlprobe.tcp;

/** Which way bytes travel on a MySQL connection. */
public enum Direction {
    CLIENT_TO_SERVER,
    SERVER_TO_CLIENT
}
