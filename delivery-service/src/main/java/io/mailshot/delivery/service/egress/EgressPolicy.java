package io.mailshot.delivery.service.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether one resolved address of a destination may be connected to (pure: no resolution here). In order:
 * a deny entry that matches (the host name by pattern, or the address by CIDR) refuses; an allow entry that
 * matches permits (a metadata address only for an allow of exactly that address); otherwise the address's
 * {@link AddressClass} decides, refused when it is one of {@code refused}.
 */
public final class EgressPolicy {

    /** The classes refused when the configuration does not say otherwise. */
    public static final Set<AddressClass> DEFAULT_REFUSED = EnumSet.of(
            AddressClass.LOOPBACK,
            AddressClass.LINK_LOCAL,
            AddressClass.METADATA,
            AddressClass.UNSPECIFIED,
            AddressClass.MULTICAST,
            AddressClass.BROADCAST,
            AddressClass.RESERVED);

    private static final Pattern IPV4 = Pattern.compile("^(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}$");
    private static final Pattern HOST_PATTERN = Pattern.compile(
            "^(\\*\\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

    private final List<Entry> deny;
    private final List<Entry> allow;
    private final Set<AddressClass> refused;

    public EgressPolicy(Collection<String> deny, Collection<String> allow, Collection<AddressClass> refused) {
        this.deny = parse("mailshot.egress.deny", deny);
        this.allow = parse("mailshot.egress.allow", allow);
        this.refused = refused.isEmpty() ? EnumSet.noneOf(AddressClass.class) : EnumSet.copyOf(refused);
    }

    /** The defaults: no lists, {@link #DEFAULT_REFUSED}. */
    public static EgressPolicy defaults() {
        return new EgressPolicy(List.of(), List.of(), DEFAULT_REFUSED);
    }

    /**
     * Why {@code host} (as the routing names it; null for an IP literal) may not be reached at {@code address}, or
     * empty when it may.
     */
    public Optional<Refusal> check(String host, InetAddress address) {
        byte[] bytes = address.getAddress();
        AddressClass kind = AddressClass.of(bytes);
        if (deny.stream().anyMatch(e -> e.matches(host, bytes, false))) {
            return Optional.of(new Refusal(kind, true));
        }
        boolean exact = kind == AddressClass.METADATA;
        if (allow.stream().anyMatch(e -> e.matches(host, bytes, exact))) {
            return Optional.empty();
        }
        if (refused.contains(kind)) {
            return Optional.of(new Refusal(kind, false));
        }
        return Optional.empty();
    }

    /** Why an address is refused: its class, and whether a deny entry (rather than the class) refused it. */
    public record Refusal(AddressClass addressClass, boolean denyListed) {

        /** Plain words: "a loopback address (this machine)", "an address on the deny-list". */
        public String words() {
            if (denyListed) {
                return "an address on the deny-list (mailshot.egress.deny)";
            }
            return switch (addressClass) {
                        case LOOPBACK -> "a loopback address (this machine)";
                        case LINK_LOCAL -> "a link-local address";
                        case METADATA -> "a cloud metadata address";
                        case UNSPECIFIED -> "an unspecified address (0.0.0.0 or ::, which reach this machine)";
                        case MULTICAST -> "a multicast address";
                        case BROADCAST -> "the broadcast address";
                        case RESERVED -> "a reserved address";
                        case PRIVATE -> "a private address";
                        case PUBLIC -> "a public address";
                    }
                    + ", which the egress policy refuses (mailshot.egress.refuse)";
        }
    }

    private static List<Entry> parse(String key, Collection<String> entries) {
        List<Entry> parsed = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                parsed.add(Entry.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": '" + entry + "' " + e.getMessage());
            }
        }
        return List.copyOf(parsed);
    }

    /** A CIDR (network bytes and prefix length) or a host pattern (exact name, or {@code *.} suffix). */
    private record Entry(byte[] network, int prefix, String name, boolean wildcard) {

        static Entry parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            boolean v6 = address.indexOf(':') >= 0;
            if (v6 || IPV4.matcher(address).matches()) {
                byte[] bytes = literal(address, v6);
                int prefix = bytes.length * 8;
                if (slash >= 0) {
                    try {
                        prefix = Integer.parseInt(text.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        prefix = -1;
                    }
                    if (prefix < 0 || prefix > bytes.length * 8) {
                        throw new IllegalArgumentException("has a prefix length outside 0-" + bytes.length * 8);
                    }
                }
                return new Entry(bytes, prefix, null, false);
            }
            if (slash >= 0 || !HOST_PATTERN.matcher(text).matches()) {
                throw new IllegalArgumentException("is neither a CIDR (10.0.0.0/8, fd00::/8, 127.0.0.1) nor a host"
                        + " pattern (files.example.com, *.example.com)");
            }
            boolean wildcard = text.startsWith("*.");
            String name = (wildcard ? text.substring(1) : text).toLowerCase(Locale.ROOT);
            return new Entry(null, 0, name, wildcard);
        }

        /**
         * Whether this entry covers the host or the address (or the IPv4 address an IPv6 one carries). With
         * {@code exact}, only a CIDR naming the single address counts.
         */
        boolean matches(String host, byte[] address, boolean exact) {
            if (name != null) {
                if (exact || host == null) {
                    return false;
                }
                String h = host.toLowerCase(Locale.ROOT);
                h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
                return wildcard ? h.endsWith(name) && h.length() > name.length() : h.equals(name);
            }
            if (exact && prefix != network.length * 8) {
                return false;
            }
            if (covers(address)) {
                return true;
            }
            byte[] embedded = AddressClass.embeddedV4(address);
            return !exact && embedded != null && covers(embedded);
        }

        private boolean covers(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        private static byte[] literal(String address, boolean v6) {
            try {
                // Bracketed or dotted-quad: the JDK parses a literal and never asks DNS.
                byte[] bytes = InetAddress.getByName(v6 ? "[" + address + "]" : address)
                        .getAddress();
                if (v6 && bytes.length == 4) {
                    throw new IllegalArgumentException("is an IPv4-mapped IPv6 address: write the IPv4 CIDR instead");
                }
                return bytes;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("is not an IP address");
            }
        }
    }
}
