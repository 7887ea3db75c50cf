package io.mailshot.delivery.service.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void acceptedFormsAreStoredOneWay() {
        assertEquals("sftp.example.com", HostNames.normalise("sftp.example.com"));
        assertEquals("localhost", HostNames.normalise("localhost"));
        assertEquals("xn--bcher-kva.example", HostNames.normalise("xn--bcher-kva.example"));
        assertEquals("10.0.0.1", HostNames.normalise("10.0.0.1"));
        assertEquals("0.0.0.0", HostNames.normalise("0.0.0.0"));
        assertEquals("::1", HostNames.normalise("[::1]"));
        assertEquals("::1", HostNames.normalise("::1"));
        assertEquals("2001:db8::a", HostNames.normalise("[2001:DB8::A]"));
        assertEquals("::ffff:10.0.0.1", HostNames.normalise("::ffff:10.0.0.1"));
    }

    @Test
    void everyOtherFormIsRefusedWithAReason() {
        for (String host : List.of(
                "",
                " ",
                "[::1",
                "::1]",
                "[]",
                "[example.com]",
                "fe80::1%eth0",
                "::g",
                "1:2:3",
                "1.2.3",
                "1.2.3.4.5",
                "256.0.0.1",
                "01.2.3.4",
                "host:22",
                "-a.example",
                "a-.example",
                "a..b",
                "a.",
                ".a",
                "under_score.example",
                "x".repeat(64),
                ("a".repeat(60) + ".").repeat(5) + "com")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> HostNames.normalise(host), host);
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Test
    void urlsAndMessagesBracketIpv6() {
        assertEquals("[::1]:22", HostNames.withPort("::1", 22));
        assertEquals("[::1]:22", HostNames.withPort("[::1]", 22)); // stored before the rule
        assertEquals("example.com:22", HostNames.withPort("example.com", 22));
        assertEquals("::1", HostNames.forSocket("[::1]"));
        assertTrue(HostNames.isIpLiteral("[::1]"));
        assertTrue(HostNames.isIpLiteral("127.0.0.1"));
        assertFalse(HostNames.isIpLiteral("localhost"));
    }

    @Test
    void endpointsKeepToWhatAClientCanUse() {
        assertEquals("[::1]", HostNames.httpEndpoint("http://[::1]:9000").getHost());
        assertEquals(443, HostNames.httpEndpoint("https://s3.example.com:443").getPort());
        for (String url : List.of(
                "ftp://h",
                "http://u:p@h",
                "http://h?x",
                "http://h#f",
                "http://h:0",
                "http://h:70000",
                "http://[::1",
                "http://exa_mple.com",
                "http://256.1.1.1",
                "http:///path",
                "not a url")) {
            assertThrows(IllegalArgumentException.class, () -> HostNames.httpEndpoint(url), url);
        }
    }
}
