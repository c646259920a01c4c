package io.mysqlprobe.protocol;

/** Who is logged in on a connection and in which schema; either may be null when unknown. */
public record SessionInfo(String user, String db) {}
