package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import io.convey.config.Mode;
import io.convey.config.Problem;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Where DSR l2/ipip health checks would leave from: the kernel's source towards each server. If that is the VIP
 * (the balancer has no address of its own beside it), the config is refused with what to do; DSR nat and
 * passthrough bind their checks to the VIP and are not affected.
 */
class PacketModeValidationTest {
    static final String VIP = "10.7.0.10";
    static final String OWN = "10.7.0.3";

    static ConveyConfig config(String dsrMethod) {
        return ConfigLoader.parse("""
                [frontends.web]
                listen_addr = "%s:80"
                backend = "pool"
                [backends.pool]
                dsr_method = "%s"
                [backends.pool.servers.s1]
                addr = "10.7.0.4:80"
                """.formatted(VIP, dsrMethod), "convey.toml").config().orElseThrow();
    }

    /** A host whose eth0 holds the VIP, and whose routing picks {@code source} towards every server. */
    static PacketModeValidation.Host host(String source) {
        return new PacketModeValidation.Host() {
            @Override
            public String interfaceOf(InetAddress address) {
                return address.getHostAddress().equals(VIP) ? "eth0" : null;
            }

            @Override
            public InetAddress sourceTowards(InetAddress destination) {
                try {
                    return InetAddress.getByName(source);
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    @Test
    void dsrL2AndIpipAreRefusedWhenChecksWouldLeaveFromTheVip() {
        for (String method : new String[] {"l2", "ipip"}) {
            var checked = PacketModeValidation.check(Mode.DSR, config(method), null, host(VIP));
            assertThat(checked.problems()).extracting(Problem::toString).containsExactly("config: "
                    + "frontends.web.listen_addr: \"10.7.0.10:80\" (expected: an address of the balancer's own on eth0"
                    + " beside the VIP: dsr_method \"" + method + "\" health checks leave from the address the kernel"
                    + " picks towards server s1, here VIP 10.7.0.10, which the servers hold on lo, so no check is ever"
                    + " answered; add one, e.g. ip addr add <balancer address>/<prefix> dev eth0, as the interface's"
                    + " primary address)");
        }
    }

    @Test
    void withAnAddressOfItsOwnTheChecksLeaveFromItNotFromTheVip() {
        var checked = PacketModeValidation.check(Mode.DSR, config("l2"), null, host(OWN));
        assertThat(checked.problems()).isEmpty();
        assertThat(checked.interfaceName()).isEqualTo("eth0");
        assertThat(checked.healthSources()).as("not bound to the VIP").isEmpty();
    }

    @Test
    void natAndPassthroughBindTheirChecksToTheVipWhateverTheSource() throws Exception {
        for (Mode mode : new Mode[] {Mode.DSR, Mode.PASSTHROUGH}) {
            var checked = PacketModeValidation.check(mode, config("nat"), null, host(VIP));
            assertThat(checked.problems()).isEmpty();
            assertThat(checked.healthSources()).containsExactly(InetAddress.getByName(VIP));
        }
    }

    @Test
    void theEnginePlacesTheRefusalAtTheKeysLineOnStartAndOnEveryLaterApply() {
        String text = """
                [frontends.web]
                listen_addr = "10.7.0.10:80"
                backend = "pool"
                [backends.pool]
                dsr_method = "l2"
                [backends.pool.servers.s1]
                addr = "10.7.0.4:80"
                """;
        Engine engine = Engine.packet(Mode.DSR, e -> new PacketModeDataPlane(e, io.convey.packet.FirewallSetup.local(),
                host(VIP)));
        try {
            engine.configFile("/etc/convey/convey.toml");
            ReloadStatus start = engine.start(ConfigLoader.parse(text, "x").config().orElseThrow(), text);
            assertThat(start.ok()).isFalse();
            assertThat(start.problems()).extracting(Problem::toString).singleElement().asString()
                    .startsWith("/etc/convey/convey.toml:2: frontends.web.listen_addr: \"10.7.0.10:80\" (expected: an"
                            + " address of the balancer's own on eth0 beside the VIP");
            ReloadStatus reload = engine.apply(ConfigLoader.parse(text, "x").config().orElseThrow(), "file",
                    "config file changed", text);
            assertThat(reload.ok()).isFalse();
            assertThat(reload.problems()).hasSize(1);
            assertThat(engine.lastReload().problems().getFirst().line()).isEqualTo(2);
        } finally {
            engine.close();
        }
    }
}
