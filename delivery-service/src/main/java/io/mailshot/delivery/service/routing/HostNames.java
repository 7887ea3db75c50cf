package io.mailshot.delivery.service.routing;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place where a destination's host is read: which forms a routing accepts and how each is written in a
 * URL or a message. Accepted: a DNS name (letters, digits and hyphens in dot-separated labels of at most 63
 * characters, at most 253 in all), an IPv4 address in four decimal numbers (no leading zeros, which some parsers
 * read as octal), and an IPv6 literal with or without brackets (no zone id: it names an interface of one machine).
 * Checking is syntax only: nothing is resolved or connected to here, so saving a routing never reaches the network.
 */
public final class HostNames {

    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");
    private static final Pattern IPV4 = Pattern.compile("^(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]+$");

    private HostNames() {}

    /**
     * The host as stored: a DNS name as given, an IPv4 address, or an IPv6 literal in lower case without brackets.
     * Throws {@link IllegalArgumentException} saying what is wrong (never repeating more than the host itself).
     */
    public static String normalise(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("must be a host name or an IP address");
        }
        if (host.startsWith("[") || host.endsWith("]")) {
            if (!host.startsWith("[") || !host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("has unbalanced brackets: only an IPv6 address is written in"
                        + " brackets, e.g. [2001:db8::1]");
            }
            return ipv6(host.substring(1, host.length() - 1));
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host);
        }
        if (host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            // All digits and dots cannot be a DNS name (no top-level domain is numeric): an IPv4 address.
            if (!IPV4.matcher(host).matches() || !octetsInRange(host)) {
                throw new IllegalArgumentException(
                        "is not an IPv4 address: four numbers 0-255 separated by dots," + " without leading zeros");
            }
            return host;
        }
        if (host.length() > 253) {
            throw new IllegalArgumentException("is longer than 253 characters");
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("is not a host name: dot-separated labels of 1-63 letters, digits"
                        + " and hyphens, not starting or ending with a hyphen");
            }
        }
        return host;
    }

    /** True for an IPv4 or IPv6 literal (as {@link #normalise} stores it, or bracketed). */
    public static boolean isIpLiteral(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.indexOf(':') >= 0 || IPV4.matcher(h).matches();
    }

    /**
     * The host for a socket connect: a stored IPv6 literal never has brackets, but a routing saved before this
     * rule existed may; a socket wants none.
     */
    public static String forSocket(String host) {
        return host != null && host.length() > 2 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1)
                : host;
    }

    /** {@code host:port}, the IPv6 literal in brackets, for URLs and messages. */
    public static String withPort(String host, int port) {
        String h = forSocket(host);
        return (h != null && h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
    }

    /**
     * Checks an http(s) endpoint URL whose host, port and path a client will use: http or https, a host of an
     * accepted form (IPv6 in brackets, as URLs write it), a port 1-65535 if any, no user info, query or fragment.
     * Returns the parsed URI; throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static URI httpEndpoint(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not contain credentials (user@)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a query (?) or a fragment (#)");
        }
        if (uri.getHost() == null) {
            // The authority did not parse as host[:port]: a bad port, a character no host name has, a zone id.
            throw new IllegalArgumentException(
                    "must have a host name or IP address and, optionally, a port" + " 1-65535");
        }
        normalise(uri.getHost());
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new IllegalArgumentException("has a port outside 1-65535");
        }
        return uri;
    }

    private static String ipv6(String literal) {
        if (literal.indexOf('%') >= 0) {
            throw new IllegalArgumentException(
                    "must not have an IPv6 zone id (%…): it only means something on one" + " machine");
        }
        if (!IPV6_CHARS.matcher(literal).matches()) {
            throw new IllegalArgumentException(
                    "is not an IPv6 address (a host name has no ':'; a port goes in the" + " port field)");
        }
        try {
            // In brackets, the JDK parses a literal and never asks DNS.
            InetAddress.getByName("[" + literal + "]");
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "is not an IPv6 address (a host name has no ':'; a port goes in the" + " port field)");
        }
        return literal.toLowerCase(Locale.ROOT);
    }

    private static boolean octetsInRange(String host) {
        for (String part : host.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
