package io.convey.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.traffic.AccessEntry;
import io.convey.traffic.Ending;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The JSON line is appended piece by piece; whatever the addresses and names, it must parse to the entry. */
class JsonLineIsValidForEveryAddressAndNameTest {
    @Test
    void ipv6AndIpv4AddressesNullsAndQuotedNamesComeOutAsTheyWent() throws Exception {
        AccessEntry entry = new AccessEntry(1_700_000_000_005L,
                new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 50_000), "web \"edge\"", "pool\\a", null,
                null, 0, 255, 999, 1_000_000, 12_345_678, Ending.NO_SERVER);

        String text = LineFormat.json(entry);
        JsonNode line = new ObjectMapper().readTree(text);

        assertThat(line.get("time").asText()).isEqualTo("2023-11-14T22:13:20.005Z");
        assertThat(line.get("client").asText()).isEqualTo("[2001:db8::7]:50000");
        assertThat(line.get("frontend").asText()).isEqualTo("web \"edge\"");
        assertThat(line.get("pool").asText()).isEqualTo("pool\\a");
        assertThat(line.get("server").isNull()).isTrue();
        assertThat(line.get("server_addr").isNull()).isTrue();
        assertThat(line.get("bytes_from_server").asLong()).isEqualTo(255);
        assertThat(text).contains("\"duration_ms\":0.000,\"connect_ms\":1.000,\"queue_ms\":12.345,");
        assertThat(line.get("ending").asText()).isEqualTo("no_server");

        AccessEntry v4 = new AccessEntry(0, new InetSocketAddress(InetAddress.getByName("198.51.100.254"), 1), "f",
                "p", "s1", new InetSocketAddress(InetAddress.getByName("10.0.0.255"), 65_535), 1, 2, 3, 4, 5,
                Ending.CLIENT_CLOSED);
        JsonNode second = new ObjectMapper().readTree(LineFormat.json(v4));
        assertThat(second.get("time").asText()).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(second.get("client").asText()).isEqualTo("198.51.100.254:1");
        assertThat(second.get("server_addr").asText()).isEqualTo("10.0.0.255:65535");
    }
}
