package io.convey.config;

/** Where the stats and admin HTTP server listens ({@code [stats] port}; 0 picks a free port). */
public record StatsConfig(int port) {}
