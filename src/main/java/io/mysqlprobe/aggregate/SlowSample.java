package io.mysqlprobe.aggregate;

/** One statement slower than {@code slowthresholdms}; {@code sql} is redacted unless raw SQL is on. */
public record SlowSample(
        long requestTsUs, long responseTsUs, long latencyUs, String client, String sql, int errno, long rows) {}
