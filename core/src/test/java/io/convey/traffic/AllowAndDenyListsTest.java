package io.convey.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convey.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Allow and deny lists: deny wins, an empty allow list allows the rest, lookups agree with a linear scan. */
class AllowAndDenyListsTest {

    private static boolean permits(AccessList acl, String address) throws Exception {
        FrontendGuard guard = new FrontendGuard(acl, null, new java.util.concurrent.atomic.LongAdder(),
                new java.util.concurrent.atomic.LongAdder());
        return guard.admit(InetAddress.getByName(address), 0) == Admission.ADMITTED;
    }

    @Test
    void denyWinsOverAllowAndAnEmptyAllowListAllowsTheRest() throws Exception {
        AccessList acl = AccessList.of(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")),
                List.of(Cidr.parse("10.6.6.0/24"), Cidr.parse("2001:db8:bad::/48")));
        assertThat(permits(acl, "10.1.2.3")).isTrue();
        assertThat(permits(acl, "10.6.6.7")).isFalse();
        assertThat(permits(acl, "192.168.1.1")).isFalse();
        assertThat(permits(acl, "2001:db8::1")).isTrue();
        assertThat(permits(acl, "2001:db8:bad::1")).isFalse();
        assertThat(permits(acl, "2001:db9::1")).isFalse();

        AccessList denyOnly = AccessList.of(List.of(), List.of(Cidr.parse("192.0.2.7")));
        assertThat(permits(denyOnly, "192.0.2.7")).isFalse();
        assertThat(permits(denyOnly, "192.0.2.8")).isTrue();
        assertThat(permits(denyOnly, "::1")).isTrue();
    }

    @Test
    void prefixesParseStrictlyAndPrintCanonically() {
        assertThat(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("2001:DB8:0:0::/32")).hasToString("2001:db8::/32");
        assertThat(Cidr.parse("192.0.2.1")).hasToString("192.0.2.1/32");
        assertThat(Cidr.parse("0.0.0.0/0")).hasToString("0.0.0.0/0");
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8"))
                .hasMessage("\"10.1.2.3/8\" (expected: the network address, 10.0.0.0/8)");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessage("\"10.0.0.0/33\" (expected: a prefix length 0-32)");
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).hasMessageContaining("expected: an address prefix");
        assertThatThrownBy(() -> Cidr.parse("300.0.0.0/8")).hasMessageContaining("expected: an address prefix");
    }

    @Test
    void aThousandRandomPrefixesAgreeWithALinearScanForEveryAddress() {
        Random random = new Random(42);
        List<Cidr> v4 = new ArrayList<>();
        List<Cidr> v6 = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int bits = 8 + random.nextInt(25);
            v4.add(new Cidr(false, 0, random.nextInt() & 0xFFFFFFFFL & Cidr.mask32(bits), bits));
            int bits6 = 16 + random.nextInt(113);
            long high = random.nextLong();
            long low = random.nextLong();
            v6.add(new Cidr(true, high & Cidr.maskHigh(bits6), low & Cidr.maskLow(bits6), bits6));
        }
        PrefixSet set4 = PrefixSet.of(v4);
        PrefixSet set6 = PrefixSet.of(v6);
        for (int i = 0; i < 200_000; i++) {
            // half the probes inside a random prefix, half anywhere
            Cidr near = v4.get(random.nextInt(v4.size()));
            int address = i % 2 == 0 ? (int) (near.low() | (random.nextInt() & ~Cidr.mask32(near.prefix()))) : random.nextInt();
            boolean scan = v4.stream().anyMatch(c -> ((address & 0xFFFFFFFFL) & Cidr.mask32(c.prefix())) == c.low());
            assertThat(set4.containsV4(address)).as("%08x", address).isEqualTo(scan);

            Cidr near6 = v6.get(random.nextInt(v6.size()));
            long high = i % 2 == 0 ? near6.high() | (random.nextLong() & ~Cidr.maskHigh(near6.prefix())) : random.nextLong();
            long low = i % 2 == 0 ? near6.low() | (random.nextLong() & ~Cidr.maskLow(near6.prefix())) : random.nextLong();
            boolean scan6 = v6.stream().anyMatch(c -> (high & Cidr.maskHigh(c.prefix())) == c.high()
                    && (low & Cidr.maskLow(c.prefix())) == c.low());
            assertThat(set6.containsV6(high, low)).isEqualTo(scan6);
        }
    }
}
