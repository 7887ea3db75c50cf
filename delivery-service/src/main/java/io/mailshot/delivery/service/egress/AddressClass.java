package io.mailshot.delivery.service.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What kind of address an IP address is, read from its bytes (never from how it was written): an IPv6 address that
 * carries an IPv4 one (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96},
 * 6to4 {@code 2002::/16}) is the class of that IPv4 address when it is not public, since that is where it leads.
 */
public enum AddressClass {
    LOOPBACK("loopback"),
    LINK_LOCAL("link-local"),
    /** Cloud instance metadata services: they hand out credentials to whoever asks from inside the machine. */
    METADATA("metadata"),
    UNSPECIFIED("unspecified"),
    MULTICAST("multicast"),
    BROADCAST("broadcast"),
    RESERVED("reserved"),
    PRIVATE("private"),
    PUBLIC("public");

    /**
     * The usual metadata endpoints: AWS/GCP/Azure/OpenStack/DigitalOcean/Oracle 169.254.169.254, AWS ECS task
     * metadata 169.254.170.2, EKS Pod Identity 169.254.170.23 and fd00:ec2::23, AWS IMDS over IPv6 fd00:ec2::254,
     * Alibaba Cloud 100.100.100.200, Oracle Cloud's older 192.0.0.192.
     */
    static final List<byte[]> METADATA_ADDRESSES = List.of(
            v4(169, 254, 169, 254),
            v4(169, 254, 170, 2),
            v4(169, 254, 170, 23),
            v4(100, 100, 100, 200),
            v4(192, 0, 0, 192),
            literal("fd00:ec2::254"),
            literal("fd00:ec2::23"));

    private final String label;

    AddressClass(String label) {
        this.label = label;
    }

    /** As written in {@code mailshot.egress.refuse} and in refusals. */
    public String label() {
        return label;
    }

    /** The class named {@code label} (as in configuration); throws naming the accepted ones. */
    public static AddressClass ofLabel(String label) {
        String wanted = label.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(c -> c.label.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown address class '" + label + "' (accepted: "
                        + String.join(
                                ", ",
                                Arrays.stream(values())
                                        .filter(c -> c != PUBLIC)
                                        .map(AddressClass::label)
                                        .toList())
                        + ")"));
    }

    public static AddressClass of(InetAddress address) {
        return of(address.getAddress());
    }

    /** The class of a 4- or 16-byte address. */
    public static AddressClass of(byte[] a) {
        if (isMetadata(a)) {
            return METADATA;
        }
        if (a.length == 4) {
            return ofV4(a);
        }
        byte[] embedded = embeddedV4(a);
        if (embedded != null) {
            AddressClass inner = ofV4(embedded);
            if (inner != PUBLIC || isMetadata(embedded)) {
                return isMetadata(embedded) ? METADATA : inner;
            }
            return PUBLIC;
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (allZero(a, 0, 16)) {
            return UNSPECIFIED;
        }
        if (allZero(a, 0, 15) && a[15] == 1) {
            return LOOPBACK;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if (b0 == 0xff) {
            return MULTICAST;
        }
        if ((b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0xc0)) {
            return PRIVATE; // unique local fc00::/7, and the deprecated site-local fec0::/10
        }
        return PUBLIC;
    }

    /**
     * The IPv4 address an IPv6 address carries and leads to (mapped, compatible, NAT64, 6to4), or null. Also used
     * to match IPv4 CIDRs of the policy against such addresses.
     */
    static byte[] embeddedV4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        boolean mapped = allZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
        // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 are themselves, not 0.0.0.0 and 0.0.0.1.
        boolean compatible = allZero(a, 0, 12) && !(allZero(a, 12, 15) && (a[15] & 0xff) <= 1);
        boolean nat64 = (a[0] & 0xff) == 0x00
                && (a[1] & 0xff) == 0x64
                && (a[2] & 0xff) == 0xff
                && (a[3] & 0xff) == 0x9b
                && allZero(a, 4, 12);
        if (mapped || compatible || nat64) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(a, 2, 6); // 6to4: 2002:aabb:ccdd::/48 is a.b.c.d's network
        }
        return null;
    }

    private static AddressClass ofV4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0) {
            return UNSPECIFIED; // 0.0.0.0/8: "this network"; a connect to 0.0.0.0 reaches the local machine
        }
        if (b0 == 127) {
            return LOOPBACK;
        }
        if (b0 == 169 && b1 == 254) {
            return LINK_LOCAL;
        }
        if (b0 == 255 && b1 == 255 && (a[2] & 0xff) == 255 && (a[3] & 0xff) == 255) {
            return BROADCAST;
        }
        if (b0 >= 224 && b0 <= 239) {
            return MULTICAST;
        }
        if (b0 >= 240) {
            return RESERVED;
        }
        if (b0 == 10
                || (b0 == 172 && (b1 & 0xf0) == 16)
                || (b0 == 192 && b1 == 168)
                || (b0 == 100 && (b1 & 0xc0) == 64)) {
            return PRIVATE; // RFC 1918, and the shared address space 100.64.0.0/10 (carrier-grade NAT)
        }
        return PUBLIC;
    }

    private static boolean isMetadata(byte[] a) {
        return METADATA_ADDRESSES.stream().anyMatch(m -> Arrays.equals(m, a));
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    private static byte[] literal(String ipv6) {
        try {
            return InetAddress.getByName("[" + ipv6 + "]").getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
