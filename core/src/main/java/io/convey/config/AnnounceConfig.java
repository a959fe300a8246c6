package io.convey.config;

import java.util.Optional;

/** How the VIPs are made highly available: BGP announcements ({@code [bgp]}), a VRRP pair ({@code [vrrp]}), or neither. */
public record AnnounceConfig(Optional<BgpConfig> bgp, Optional<VrrpConfig> vrrp) {
    public static final AnnounceConfig NONE = new AnnounceConfig(Optional.empty(), Optional.empty());
}
