package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.Udp;
import io.convey.testing.UdpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The dashboard shows a UDP frontend's protocol and session counters, and adds a UDP frontend that serves. */
class UdpFrontendOnTheDashboardTest extends DashboardScenario {
    private UdpServer dnsServer;
    private int dnsPort;

    @Override
    String moreSections() {
        try {
            dnsServer = new UdpServer("d");
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
                [backends.resolvers.servers.d]
                addr = "%s"
                """.formatted(dnsPort, dnsServer.addr());
    }

    @AfterEach
    void stopUdpServer() throws InterruptedException {
        dnsServer.close();
    }

    @Test
    void aUdpFrontendShowsItsProtocolAndSessionsAndOneAddedOnThePageServes() throws Exception {
        try (Udp client = new Udp()) {
            assertThat(client.ask(new InetSocketAddress("127.0.0.1", dnsPort), "q")).isEqualTo("d:q");
        }
        open("frontends");
        WebElement row = browser.awaitText("tr[data-frontend='dns']", "1 total");
        assertThat(new Select(row.findElement(By.cssSelector("select[data-field='protocol']"))).getFirstSelectedOption()
                .getText()).isEqualTo("UDP");
        assertThat(row.getText()).contains("0 sessions now, 1 total; datagrams tx 1 / rx 1");
        assertThat(new Select(browser.find("tr[data-frontend='web'] select[data-field='protocol']"))
                .getFirstSelectedOption().getText()).isEqualTo("TCP");

        open("pools");
        browser.awaitText("section.pool[data-pool='resolvers'] .udp-pool", "no probes");
        assertThat(browser.all("section.pool[data-pool='app'] .udp-pool")).as("a TCP pool has no UDP line").isEmpty();

        open("frontends");
        int port = Udp.freeLoopbackPort();
        WebElement form = browser.find("form.add-frontend");
        form.findElement(By.name("name")).sendKeys("dns2");
        new Select(form.findElement(By.name("protocol"))).selectByValue("udp");
        form.findElement(By.name("listen_addr")).sendKeys("127.0.0.1:" + port);
        browser.await(d -> new Select(form.findElement(By.name("backend"))).getOptions().size() == 2);
        new Select(form.findElement(By.name("backend"))).selectByValue("resolvers");
        form.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("tr[data-frontend='dns2']", "127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(appliance.configText()).contains("[frontends.dns2]", "protocol = \"udp\""));
        try (Udp client = new Udp()) {
            assertThat(client.ask(new InetSocketAddress("127.0.0.1", port), "new")).isEqualTo("d:new");
        }
        browser.screenshot("udp-frontends");
    }
}
