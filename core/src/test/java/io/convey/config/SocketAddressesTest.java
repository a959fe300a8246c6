package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocketAddressesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        [::1]:80                          | [::1]:80
        [0:0:0:0:0:0:0:1]:80              | [::1]:80
        [::]:0                            | [::]:0
        [fd00:5:0:0:0:0:0:10]:8080        | [fd00:5::10]:8080
        [2001:DB8:0:0:1:0:0:1]:443        | [2001:db8::1:0:0:1]:443
        [2001:db8:0:1:1:1:1:1]:443        | [2001:db8:0:1:1:1:1:1]:443
        [1:0:0:2:0:0:0:3]:1               | [1:0:0:2::3]:1
        [1:0:2:0:3:0:4:0]:1               | [1:0:2:0:3:0:4:0]:1
        [::ffff:0:a00:1]:1                | [::ffff:0:a00:1]:1
        10.0.0.1:80                       | 10.0.0.1:80
        """)
    void formatsAddressesAsRfc5952WritesThem(String text, String expected) throws Exception {
        InetSocketAddress address = SocketAddresses.parse(text);
        assertThat(SocketAddresses.format(address)).isEqualTo(expected);
        assertThat(SocketAddresses.parse(SocketAddresses.format(address))).isEqualTo(address);
    }
}
