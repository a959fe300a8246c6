package io.convey.config;

/** What a notification hook can be told about; {@code events} in {@code [notify.hooks.<name>]} lists these words. */
public enum NotifyEvent implements ConfigWord {
    SERVER_DOWN, SERVER_UP, POOL_UNAVAILABLE, POOL_AVAILABLE, CONFIG_APPLIED, CONFIG_REJECTED, PACKETS_DROPPED,
    /** A VIP is announced (BGP) or would be held (VRRP): a frontend on it has an eligible server again. */
    VIP_ANNOUNCED,
    /** A VIP is withdrawn or draining, with the reason (no eligible server, maintenance, stopping). */
    VIP_WITHDRAWN,
    /** keepalived reported a VRRP state change (MASTER, BACKUP, FAULT, STOP). */
    VRRP_STATE,
    /** The appliance went into maintenance or came out of it. */
    MAINTENANCE
}
