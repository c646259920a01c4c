package io.mysqlprobe.config;

/** CDI event: the config file changed and its live settings were applied ({@code after} is what runs now). */
public record ProbeConfigChanged(ProbeConfig before, ProbeConfig after) {}
