package io.mailshot.delivery.service.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.delivery.config.EgressConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The egress policy on addresses as bytes: every class, the encodings that hide one, and the lists' precedence. */
class EgressPolicyTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal);
    }

    private static AddressClass classOf(String literal) throws UnknownHostException {
        return AddressClass.of(ip(literal));
    }

    /** 16 bytes exactly as written, so the JDK cannot turn an IPv4-mapped address into an IPv4 one first. */
    private static AddressClass classOfV6Bytes(String literal) throws UnknownHostException {
        byte[] bytes = new byte[16];
        byte[] parsed = ip(literal).getAddress();
        if (parsed.length == 4) {
            bytes[10] = (byte) 0xff;
            bytes[11] = (byte) 0xff;
            System.arraycopy(parsed, 0, bytes, 12, 4);
        } else {
            bytes = parsed;
        }
        return AddressClass.of(bytes);
    }

    @Test
    void classifiesEveryKindOfAddress() throws Exception {
        Map<String, AddressClass> expected = Map.ofEntries(
                Map.entry("127.0.0.1", AddressClass.LOOPBACK),
                Map.entry("127.255.1.2", AddressClass.LOOPBACK),
                Map.entry("::1", AddressClass.LOOPBACK),
                Map.entry("169.254.1.1", AddressClass.LINK_LOCAL),
                Map.entry("fe80::1", AddressClass.LINK_LOCAL),
                Map.entry("febf::1", AddressClass.LINK_LOCAL),
                Map.entry("169.254.169.254", AddressClass.METADATA),
                Map.entry("169.254.170.2", AddressClass.METADATA),
                Map.entry("fd00:ec2::254", AddressClass.METADATA),
                Map.entry("100.100.100.200", AddressClass.METADATA),
                Map.entry("0.0.0.0", AddressClass.UNSPECIFIED),
                Map.entry("0.1.2.3", AddressClass.UNSPECIFIED),
                Map.entry("::", AddressClass.UNSPECIFIED),
                Map.entry("224.0.0.1", AddressClass.MULTICAST),
                Map.entry("239.255.255.250", AddressClass.MULTICAST),
                Map.entry("ff02::1", AddressClass.MULTICAST),
                Map.entry("255.255.255.255", AddressClass.BROADCAST),
                Map.entry("240.0.0.1", AddressClass.RESERVED),
                Map.entry("10.1.2.3", AddressClass.PRIVATE),
                Map.entry("172.16.0.1", AddressClass.PRIVATE),
                Map.entry("172.31.255.255", AddressClass.PRIVATE),
                Map.entry("192.168.1.1", AddressClass.PRIVATE),
                Map.entry("100.64.0.1", AddressClass.PRIVATE),
                Map.entry("fd12:3456::1", AddressClass.PRIVATE),
                Map.entry("fc00::1", AddressClass.PRIVATE),
                Map.entry("172.32.0.1", AddressClass.PUBLIC),
                Map.entry("8.8.8.8", AddressClass.PUBLIC),
                Map.entry("100.128.0.1", AddressClass.PUBLIC),
                Map.entry("2001:db8::1", AddressClass.PUBLIC),
                Map.entry("fec0::1", AddressClass.PRIVATE));
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), classOf(e.getKey()), e.getKey());
        }
    }

    @Test
    void anIpv6AddressCarryingAnIpv4OneIsThatOnesClass() throws Exception {
        // IPv4-mapped, kept as 16 bytes (the JDK itself already answers such a literal as IPv4).
        assertEquals(AddressClass.LOOPBACK, classOfV6Bytes("127.0.0.1"));
        assertEquals(AddressClass.METADATA, classOfV6Bytes("169.254.169.254"));
        assertEquals(AddressClass.LOOPBACK, classOf("::ffff:127.0.0.1"));
        assertEquals(AddressClass.LOOPBACK, classOf("::ffff:7f00:1"));
        // IPv4-compatible, NAT64 and 6to4.
        assertEquals(AddressClass.LOOPBACK, classOf("::127.0.0.1"));
        assertEquals(AddressClass.METADATA, classOf("64:ff9b::169.254.169.254"));
        assertEquals(AddressClass.PRIVATE, classOf("64:ff9b::a00:1"));
        assertEquals(AddressClass.LOOPBACK, classOf("2002:7f00:1::1"));
        assertEquals(AddressClass.PUBLIC, classOf("64:ff9b::808:808"));
    }

    @Test
    void theJdkResolverReadsOtherEncodingsAsTheAddressTheyAre() throws Exception {
        // Whatever reaches the resolver, the bytes are checked: decimal, short and mapped forms of 127.0.0.1.
        EgressGuard guard = guard(List.of(), List.of(), List.of(), new JdkHostResolver());
        for (String host : List.of(
                "2130706433", "127.1", "::ffff:127.0.0.1", "[::ffff:7f00:1]", "0.0.0.0", "::", "[::1]", "localhost")) {
            EgressRefusedException refused = assertThrows(EgressRefusedException.class, () -> guard.check(host), host);
            assertFalse(refused.unresolvable(), host);
            assertTrue(List.of(AddressClass.LOOPBACK, AddressClass.UNSPECIFIED).contains(refused.addressClass()), host);
        }
        EgressRefusedException name = assertThrows(EgressRefusedException.class, () -> guard.check("localhost"));
        assertEquals(
                "localhost is refused: it resolves to a loopback address (this machine), which the egress policy"
                        + " refuses (mailshot.egress.refuse)",
                name.getMessage());
        assertFalse(name.getMessage().contains("127.0.0.1"), "a name's addresses are not repeated");
        assertTrue(assertThrows(EgressRefusedException.class, () -> guard.check("no-such-host.invalid"))
                .unresolvable());
        assertEquals(List.of(ip("192.168.4.5")), guard.check("192.168.4.5"), "private ranges are allowed by default");
    }

    @Test
    void everyAddressOfANameMustPass() throws Exception {
        HostResolver twoFaced = host -> List.of(ip("203.0.113.7"), ip("169.254.169.254"));
        EgressGuard guard = guard(List.of(), List.of(), List.of(), twoFaced);
        EgressRefusedException refused = assertThrows(EgressRefusedException.class, () -> guard.check("files.test"));
        assertEquals(AddressClass.METADATA, refused.addressClass());
        assertTrue(refused.getMessage().contains("cloud metadata"), refused.getMessage());
    }

    @Test
    void denyWinsAllowOpensAClassButMetadataOnlyOneByOne() throws Exception {
        EgressPolicy policy = new EgressPolicy(
                List.of("10.20.0.0/16", "*.blocked.example", "fd00:dead::/32"),
                List.of("127.0.0.0/8", "::1", "10.0.0.0/8", "169.254.0.0/16", "*.blocked.example", "fd00::/8"),
                EgressPolicy.DEFAULT_REFUSED);
        assertTrue(policy.check(null, ip("127.0.0.1")).isEmpty(), "allowed loopback");
        assertTrue(policy.check(null, ip("::1")).isEmpty());
        assertTrue(policy.check(null, ip("10.1.2.3")).isEmpty());
        assertTrue(policy.check(null, ip("10.20.3.4")).orElseThrow().denyListed(), "deny wins over allow");
        assertTrue(policy.check(null, ip("64:ff9b::a14:304")).orElseThrow().denyListed(), "NAT64 of 10.20.3.4");
        assertTrue(
                policy.check("x.blocked.example", ip("8.8.8.8")).orElseThrow().denyListed());
        assertTrue(
                policy.check("X.Blocked.Example.", ip("8.8.8.8")).orElseThrow().denyListed(), "case, final dot");
        assertTrue(policy.check("blocked.example", ip("8.8.8.8")).isEmpty(), "*.x is for names under x only");
        assertTrue(policy.check(null, ip("fd00:dead::1")).orElseThrow().denyListed());
        assertTrue(policy.check(null, ip("169.254.1.1")).isEmpty(), "allowed link-local");
        assertEquals(
                Optional.of(new EgressPolicy.Refusal(AddressClass.METADATA, false)),
                policy.check(null, ip("169.254.169.254")),
                "a broad allow does not open metadata");
        assertEquals(
                AddressClass.METADATA,
                policy.check(null, ip("fd00:ec2::254")).orElseThrow().addressClass());
        EgressPolicy exact = new EgressPolicy(List.of(), List.of("169.254.169.254/32"), EgressPolicy.DEFAULT_REFUSED);
        assertTrue(exact.check(null, ip("169.254.169.254")).isEmpty(), "allowed one by one");
        assertFalse(exact.check(null, ip("169.254.170.2")).isEmpty());
        EgressPolicy strict = new EgressPolicy(List.of(), List.of(), List.of(AddressClass.PRIVATE));
        assertEquals(
                AddressClass.PRIVATE,
                strict.check(null, ip("192.168.1.1")).orElseThrow().addressClass());
        assertTrue(strict.check(null, ip("127.0.0.1")).isEmpty(), "only the classes listed are refused");
        assertTrue(EgressPolicy.defaults().check(null, ip("8.8.8.8")).isEmpty());
    }

    @Test
    void aBadEntryStopsTheServiceNamingIt() {
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class, () -> new EgressPolicy(List.of("10.0.0.0/33"), List.of(), List.of()));
        assertTrue(bad.getMessage().startsWith("mailshot.egress.deny: '10.0.0.0/33'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EgressPolicy(List.of(), List.of("http://x"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new EgressPolicy(List.of(), List.of("a.*.b"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> AddressClass.ofLabel("intranet"));
    }

    private static EgressGuard guard(
            List<String> deny, List<String> allow, List<String> refuse, HostResolver resolver) {
        EgressConfig config = new EgressConfig() {
            @Override
            public Optional<List<String>> deny() {
                return Optional.of(deny);
            }

            @Override
            public Optional<List<String>> allow() {
                return Optional.of(allow);
            }

            @Override
            public List<String> refuse() {
                return refuse.isEmpty()
                        ? EgressPolicy.DEFAULT_REFUSED.stream()
                                .map(AddressClass::label)
                                .toList()
                        : refuse;
            }
        };
        return new EgressGuard(config, resolver);
    }
}
