package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.Tcp;
import java.time.Duration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

class DrainServerTest extends DashboardScenario {

    /** Opens connections through the frontend until one is served by b; closes the others. */
    private Socket connectionTo(String server) throws Exception {
        for (int i = 0; i < 4; i++) {
            Socket socket = new Socket(appliance.frontend("web").getAddress(), appliance.frontend("web").getPort());
            socket.setSoTimeout(5000);
            String name = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (server.equals(name)) {
                return socket;
            }
            socket.close();
        }
        throw new AssertionError("no connection reached " + server);
    }

    @Test
    void drainingAServerStopsNewConnectionsAndItsActiveCountFallsToZeroWhenTheOldOnesEnd() throws Exception {
        open("pools");
        browser.awaitText("tr[data-server='b'] .health", "UP");
        try (Socket held = connectionTo("b")) {
            browser.awaitExactText("tr[data-server='b'] .active", "1");
            browser.awaitExactText("tr[data-server='a'] .active", "0");

            new Select(browser.find("tr[data-server='b'] select.state")).selectByValue("drain");
            browser.awaitText("tr[data-server='b'] .predicted", "0%");
            browser.awaitText("tr[data-server='a'] .predicted", "100%");
            browser.find(".pending button.primary").click();
            browser.awaitText("tr[data-server='b'] .expected", "0%");
            // the file is written back just after the change is applied (and shown)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).contains("state = \"drain\""));

            assertThat(Tcp.split(appliance.frontend("web"), 6)).isEqualTo(Map.of("a", 6));
            // b still serves the connection it had: draining never cuts one
            browser.awaitExactText("tr[data-server='b'] .active", "1");
            assertThat(browser.find("tr[data-server='b'] select.state").getAttribute("class")).contains("state-drain");
            browser.screenshot("pools-drain");
        }
        browser.awaitExactText("tr[data-server='b'] .active", "0");
    }
}
