package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The operator denies an address and turns the access log on from the Traffic view; the view then shows the refusal
 * count and the latest entries, filtered by client and by server.
 */
class TrafficViewTest extends DashboardScenario {

    private static String greetingFrom(String source, InetSocketAddress frontend) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(frontend, 2000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void aDenyListAndTheAccessLogSetOnThePageRefuseAndShowTheEntriesByClientAndServer() throws Exception {
        String log = dir.resolve("access.log").toString();
        open("traffic");
        WebElement form = browser.find("form.traffic[data-frontend='web']");
        Browser.replaceText(form, "deny", "127.0.0.2/32");
        Browser.replaceText(form, "access_log", log);
        form.findElement(By.cssSelector("button.primary")).click();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .contains("deny = [\"127.0.0.2/32\"]", "access_log = \"" + log + "\"", "# the test appliance"));

        InetSocketAddress web = appliance.frontend("web");
        await().atMost(Duration.ofSeconds(5)).until(() -> greetingFrom("127.0.0.2", web) == null);
        assertThat(greetingFrom("127.0.0.1", web)).isIn("a", "b");
        assertThat(greetingFrom("127.0.0.1", web)).isIn("a", "b");

        browser.awaitExactText("form.traffic[data-frontend='web'] .refused-acl", "1");
        browser.await(() -> "three entries", d -> d.findElements(By.cssSelector("table.access-log tbody tr[data-ending]")).size() == 3);

        Browser.replaceText(browser.find("form.access-log-filter"), "client", "127.0.0.2");
        browser.await(() -> "only the refused client", d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("table.access-log tbody tr[data-ending]"));
            return rows.size() == 1 && rows.getFirst().getDomAttribute("data-ending").equals("refused_by_acl");
        });
        assertThat(browser.find("table.access-log tbody tr .ending").getText()).isEqualTo("refused by acl");
        browser.screenshot("traffic-filter-client");

        browser.find("form.access-log-filter input[name='client']").clear();
        Browser.replaceText(browser.find("form.access-log-filter"), "server", a.addr());
        browser.await(() -> "only server a's entries", d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("table.access-log tbody tr[data-ending]"));
            return !rows.isEmpty() && rows.stream().allMatch(r -> r.findElement(By.cssSelector(".server")).getText().equals("a")
                    && r.getDomAttribute("data-ending").equals("client_closed"));
        });
        browser.screenshot("traffic-filter-server");
    }

    @Test
    void aBadPrefixIsShownBesideItsFieldAndNothingChanges() throws Exception {
        open("traffic");
        WebElement form = browser.find("form.traffic[data-frontend='web']");
        Browser.replaceText(form, "allow", "10.1.2.3/8");
        form.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("form.traffic[data-frontend='web'] .field-error", "expected: the network address, 10.0.0.0/8");
        assertThat(appliance.configText()).isEqualTo(originalConfig);
    }
}
