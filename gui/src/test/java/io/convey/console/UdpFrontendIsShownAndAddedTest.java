package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import io.convey.testing.Udp;
import io.convey.testing.UdpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/** The console shows a UDP frontend's protocol and sessions, and adds a UDP frontend that serves clients. */
class UdpFrontendIsShownAndAddedTest extends ConsoleTestBase {
    private UdpServer resolver;
    private int dnsPort;

    @Override
    String moreSections() {
        try {
            resolver = new UdpServer("r");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dnsPort = Udp.freeLoopbackPort();
        return """

                [frontends.dns]
                listen_addr = "127.0.0.1:%d"
                backend = "resolvers"
                protocol = "udp"
                udp_responses = 1

                [backends.resolvers]
                health_check = "none"
                [backends.resolvers.servers.r]
                addr = "%s"
                """.formatted(dnsPort, resolver.addr());
    }

    @AfterEach
    void stopResolver() throws InterruptedException {
        resolver.close();
    }

    @Test
    void aUdpFrontendShowsItsProtocolAndSessionsAndANewOneServes(FxRobot robot) throws Exception {
        try (Udp client = new Udp()) {
            assertThat(client.ask(new InetSocketAddress("127.0.0.1", dnsPort), "q")).isEqualTo("r:q");
        }
        addAppliance(robot, "lab", appliance, "admin", appliance.adminPassword());
        fx(() -> {
            window.current().orElseThrow().select("Frontends");
            return null;
        });
        eventually().until(() -> frontend(robot, "dns") != null && frontend(robot, "dns").udp() != null
                && frontend(robot, "dns").udp().sessionsTotal() == 1);
        // A cell being refreshed is empty for a moment: each is read until it shows its text.
        eventually().until(() -> text(cellIn(robot, "#frontendTable", "dns", "Protocol")).equals("UDP"));
        eventually().until(() -> text(cellIn(robot, "#frontendTable", "dns", "UDP"))
                .startsWith("0 sessions now, 1 total; datagrams tx 1 / rx 1"));
        eventually().until(() -> text(cellIn(robot, "#frontendTable", "web", "Protocol")).equals("TCP"));

        int port = Udp.freeLoopbackPort();
        robot.clickOn("#newFrontendName").write("dns2");
        robot.clickOn("#newFrontendListen").write("127.0.0.1:" + port);
        choose(robot, "#newFrontendPool", "resolvers");
        choose(robot, "#newFrontendProtocol", "udp");
        robot.clickOn("#addFrontend");
        eventually().until(() -> frontend(robot, "dns2") != null && "udp".equals(frontend(robot, "dns2").protocol()));
        assertThat(appliance.configText()).contains("[frontends.dns2]", "protocol = \"udp\"");
        try (Udp client = new Udp()) {
            assertThat(client.ask(new InetSocketAddress("127.0.0.1", port), "new")).isEqualTo("r:new");
        }
        Screenshots.save(robot.lookup("#main").query(), "udp-frontends");
    }

    @SuppressWarnings("unchecked")
    private static Api.Frontend frontend(FxRobot robot, String name) {
        List<Api.Frontend> all = fx(() -> List.copyOf(robot.lookup("#frontendTable").queryAs(TableView.class).getItems()));
        return all.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }
}
