package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

class PoolsAndFrontendsTest extends DashboardScenario {

    @Test
    void aPoolAndAFrontendAddedOnThePageServeTrafficAndGoAwayWhenRemoved() throws Exception {
        int port = Tcp.freePort();
        InetSocketAddress alt = new InetSocketAddress("127.0.0.1", port);
        try (NamedServer c = new NamedServer("c")) {
            open("pools");
            browser.find("#add-pool").click();
            WebElement pool = browser.find("form.add-pool");
            Browser.replaceText(pool, "name", "extra");
            new Select(pool.findElement(By.name("algorithm"))).selectByValue("maglev");
            Browser.replaceText(pool, "server", "c");
            Browser.replaceText(pool, "addr", c.addr());
            pool.findElement(By.cssSelector("button.primary")).click();
            browser.awaitText("section.pool[data-pool='extra'] tr[data-server='c']", c.addr());
            // the file is written back just after the change is applied (and shown)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).contains("[backends.extra]").contains("algorithm = \"maglev\""));

            open("frontends");
            WebElement frontend = browser.find("form.add-frontend");
            Browser.replaceText(frontend, "name", "alt");
            Browser.replaceText(frontend, "listen_addr", "127.0.0.1:" + port);
            browser.await(d -> new Select(frontend.findElement(By.name("backend"))).getOptions().size() == 2);
            new Select(frontend.findElement(By.name("backend"))).selectByValue("extra");
            frontend.findElement(By.cssSelector("button.primary")).click();
            browser.awaitText("tr[data-frontend='alt']", "127.0.0.1:" + port);
            await().atMost(Duration.ofSeconds(5)).until(() -> Tcp.greeting(appliance.frontend("alt")).equals("c"));
            browser.screenshot("frontends");

            open("pools");
            browser.find("section.pool[data-pool='extra'] .pool-header button.danger").click();
            browser.find("dialog.confirm button.danger").click();
            browser.awaitText("section.pool[data-pool='extra'] .form-error", "alt");
            // the file is written back just after the change is applied (and shown)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).contains("[backends.extra]"));

            open("frontends");
            browser.find("tr[data-frontend='alt'] button.danger").click();
            browser.find("dialog.confirm button.danger").click();
            browser.await(d -> browser.all("tr[data-frontend='alt']").isEmpty());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(alt, 1000);
                }
            }).isInstanceOf(ConnectException.class));

            open("pools");
            browser.find("section.pool[data-pool='extra'] .pool-header button.danger").click();
            browser.find("dialog.confirm button.danger").click();
            browser.await(d -> browser.all("section.pool[data-pool='extra']").isEmpty());
            // the file is written back just after the change is applied (and shown)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).doesNotContain("extra"));
        }
    }
}
