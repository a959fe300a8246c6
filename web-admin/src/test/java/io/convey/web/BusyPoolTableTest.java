package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.Tcp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A pool of 200 servers, half of them DOWN with their error, as HAProxy's stats page shows a busy backend: every value
 * stays inside its cell and the table inside its card, with peak, errors and retries, time in state and downtime, and
 * the CSV export of every server.
 */
class BusyPoolTableTest extends DashboardScenario {
    private static final int SERVERS = 200;

    @Override
    String moreSections() {
        StringBuilder toml = new StringBuilder("""

                [backends.busy]
                health_check_interval = 5
                rise = 1
                fall = 1
                """);
        String closed;
        try {
            closed = "127.0.0.1:" + Tcp.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 1; i <= SERVERS; i++) {
            toml.append("""

                    [backends.busy.servers.backend-%03d]
                    addr = "%s"
                    weight = %d
                    """.formatted(i, i % 2 == 0 ? closed : a.addr(), i == 7 ? 65535 : i));
        }
        return toml.toString();
    }

    @Test
    void twoHundredServersFitTheirCellsAndExportAsCsv() throws Exception {
        open("pools");
        browser.awaitText("section.pool[data-pool='busy'] tr[data-server='backend-200'] .health", "DOWN");
        browser.awaitText("section.pool[data-pool='busy'] tr[data-server='backend-199'] .health", "UP");
        browser.await(() -> "downtime counted", d -> !browser.find("section.pool[data-pool='busy'] tr[data-server='backend-200'] .downtime")
                .getText().equals("0 s"));
        assertThat(browser.all("section.pool[data-pool='busy'] tbody tr")).hasSize(SERVERS);
        assertThat(browser.find("section.pool[data-pool='busy'] table.servers").getAttribute("class")).contains("dense");
        assertThat(browser.find("section.pool[data-pool='busy'] thead").getText())
                .contains("Peak").contains("Errors / retries").contains("In state").contains("Downtime");
        browser.screenshot("pools-200-servers");

        @SuppressWarnings("unchecked")
        List<String> overflowing = (List<String>) browser.script("""
                const card = document.querySelector("section.pool[data-pool='busy']");
                const out = [];
                const table = card.querySelector('table.servers');
                if (table.getBoundingClientRect().right > card.getBoundingClientRect().right + 0.5) out.push('table wider than its card');
                for (const td of card.querySelectorAll('table.servers tbody td')) {
                  const box = td.getBoundingClientRect();
                  const where = `${td.closest('tr').dataset.server} column ${td.cellIndex}`;
                  if (td.scrollWidth > td.clientWidth + 1) out.push(`${where}: scrolls (${td.scrollWidth} > ${td.clientWidth})`);
                  for (const el of td.querySelectorAll('*')) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 && r.height === 0) continue;
                    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
                      out.push(`${where}: ${el.tagName}.${el.className} outside its cell`);
                    }
                    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis'
                        && el.tagName !== 'SELECT' && el.tagName !== 'INPUT') {
                      out.push(`${where}: ${el.tagName}.${el.className} cut (${el.scrollWidth} > ${el.clientWidth})`);
                    }
                  }
                }
                return out.slice(0, 20);
                """);
        assertThat(overflowing).isEmpty();
        // an error cut short in a dense row has its whole text as a tooltip
        // read inside a wait: the row re-renders every second and an element read while it is replaced is read again
        String error = browser.await(() -> "backend-200's last error", d -> d.findElement(
                By.cssSelector("section.pool[data-pool='busy'] tr[data-server='backend-200'] .last-error")).getDomAttribute("title"));
        assertThat(error).isNotBlank();

        String csv = (String) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(document.querySelector('#export-csv').href).then((r) => r.text()).then(done, (e) => done(String(e)));
                """);
        List<String> lines = csv.lines().toList();
        assertThat(lines.getFirst()).startsWith("pool,server,addr,weight,state");
        assertThat(lines).hasSize(1 + 2 + SERVERS);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("busy,backend-200,").contains(",down,"));
    }
}
