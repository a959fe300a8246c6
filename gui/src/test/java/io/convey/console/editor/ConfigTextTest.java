package io.convey.console.editor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTextTest {
    private static final String FILE = """
            # pools of the lab
            [backends.web_pool]
            algorithm = "round_robin"          # smooth weighted

              [backends.web_pool.servers.web1]   # the big one
              addr = "127.0.0.1:9001"
              weight = 3                         # 0..65535

              [backends.web_pool.servers.web2]
              addr = "127.0.0.1:9002"

            [backends.api_pool]
            servers.api1 = { addr = "[::1]:9101", weight = 2 }

            [frontends.web]
            listen_addr = "127.0.0.1:8080"     # public
            backend = "web_pool"
            """;

    @Test
    void readsPoolsServersAndFrontendsWithDefaults() {
        ConfigText text = ConfigText.parse(FILE);
        assertThat(text.errors()).isEmpty();
        assertThat(text.pools()).containsExactly("web_pool", "api_pool");
        assertThat(text.servers("web_pool")).containsExactly(
                new ConfigText.ServerRow("web_pool", "web1", "127.0.0.1:9001", "3", "enabled"),
                new ConfigText.ServerRow("web_pool", "web2", "127.0.0.1:9002", "1", "enabled"));
        assertThat(text.frontends()).containsExactly(new ConfigText.FrontendRow("web", "127.0.0.1:8080", "web_pool"));
    }

    @Test
    void aValueIsReplacedOnItsLineKeepingItsComment() {
        String edited = ConfigText.parse(FILE).set(ConfigText.serverPath("web_pool", "web1", "weight"), 5L);
        assertThat(edited).isEqualTo(FILE.replace("  weight = 3                         # 0..65535",
                "  weight = 5                         # 0..65535"));
        String moved = ConfigText.parse(FILE).set(ConfigText.frontendPath("web", "listen_addr"), "[::1]:80");
        assertThat(moved).isEqualTo(FILE.replace("\"127.0.0.1:8080\"     # public", "\"[::1]:80\"     # public"));
    }

    @Test
    void aMissingKeyIsAddedAfterTheLastKeyOfItsTableWithItsIndentation() {
        String edited = ConfigText.parse(FILE).set(ConfigText.serverPath("web_pool", "web2", "state"), "drain");
        assertThat(edited).isEqualTo(FILE.replace("  addr = \"127.0.0.1:9002\"\n",
                "  addr = \"127.0.0.1:9002\"\n  state = \"drain\"\n"));
    }

    @Test
    void aValueInsideAnInlineTableIsReplacedButNoKeyIsAddedToIt() {
        String edited = ConfigText.parse(FILE).set(ConfigText.serverPath("api_pool", "api1", "weight"), 7L);
        assertThat(edited).contains("servers.api1 = { addr = \"[::1]:9101\", weight = 7 }");
        assertThatThrownBy(() -> ConfigText.parse(FILE).set(ConfigText.serverPath("api_pool", "api1", "state"), "drain"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backends.api_pool.servers.api1: not a [table] of its own (expected: a table the form can "
                        + "add a key to; edit it as text)");
    }

    @Test
    void anAddedServerFollowsThePoolsLastServerAndRemovingItRestoresTheText() {
        String added = ConfigText.parse(FILE).addServer("web_pool", "web3", "127.0.0.1:9003", 2);
        assertThat(added).isEqualTo(FILE.replace("  addr = \"127.0.0.1:9002\"\n", """
                  addr = "127.0.0.1:9002"

                  [backends.web_pool.servers.web3]
                  addr = "127.0.0.1:9003"
                  weight = 2
                """));
        assertThat(ConfigText.parse(added).servers("web_pool")).extracting(ConfigText.ServerRow::name)
                .containsExactly("web1", "web2", "web3");
        assertThat(ConfigText.parse(added).removeServer("web_pool", "web3")).isEqualTo(FILE);
        assertThatThrownBy(() -> ConfigText.parse(FILE).addServer("web_pool", "web1", "127.0.0.1:1", 1))
                .hasMessage("backends.web_pool.servers.web1: already exists (expected: a new name)");
    }

    @Test
    void aRemovedServerTakesItsLinesAndOnlyThem() {
        String removed = ConfigText.parse(FILE).removeServer("web_pool", "web1");
        assertThat(removed).isEqualTo(FILE.replace("""

                  [backends.web_pool.servers.web1]   # the big one
                  addr = "127.0.0.1:9001"
                  weight = 3                         # 0..65535
                """, ""));
        assertThat(ConfigText.parse(removed).servers("web_pool")).extracting(ConfigText.ServerRow::name)
                .containsExactly("web2");
    }

    @Test
    void aBrokenTextIsReportedWithItsLine() {
        assertThat(ConfigText.parse("[backends.web\naddr = 1").errors()).singleElement().asString().startsWith("line 1: ");
        assertThat(ConfigText.parse("").pools()).isEqualTo(List.of());
    }
}
