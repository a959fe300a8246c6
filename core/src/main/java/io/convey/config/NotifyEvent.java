package io.convey.config;

/** What a notification hook can be told about; {@code events} in {@code [notify.hooks.<name>]} lists these words. */
public enum NotifyEvent implements ConfigWord {
    SERVER_DOWN, SERVER_UP, POOL_UNAVAILABLE, POOL_AVAILABLE, CONFIG_APPLIED, CONFIG_REJECTED, PACKETS_DROPPED
}
