package io.mailshot.delivery.service.egress;

import io.mailshot.delivery.config.EgressConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a destination's host (every address) and checks each against the {@link EgressPolicy} of
 * {@code mailshot.egress.*}; one refused address refuses the host. Built at start-up, so a bad policy entry stops
 * the service with a message naming it.
 */
@Startup
@ApplicationScoped
public class EgressGuard {

    private final EgressPolicy policy;
    private final HostResolver resolver;

    public EgressGuard(EgressConfig config, HostResolver resolver) {
        this.resolver = resolver;
        this.policy = new EgressPolicy(
                config.deny().orElse(List.of()),
                config.allow().orElse(List.of()),
                config.refuse().stream()
                        .filter(s -> !s.isBlank())
                        .map(AddressClass::ofLabel)
                        .toList());
    }

    /**
     * The host's addresses, every one allowed; connect to one of these, not to the name, where the client allows
     * it. {@code host} is as stored (an IPv6 literal without brackets).
     */
    public List<InetAddress> check(String host) throws EgressRefusedException {
        String bare = host.length() > 2 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1)
                : host;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException | RuntimeException e) {
            throw new EgressRefusedException(bare + " does not resolve to any address", true, null);
        }
        if (addresses.isEmpty()) {
            throw new EgressRefusedException(bare + " does not resolve to any address", true, null);
        }
        boolean literal = isLiteral(bare);
        for (InetAddress address : addresses) {
            var refusal = policy.check(literal ? null : bare, address);
            if (refusal.isPresent()) {
                // A name's addresses are not repeated: what a name resolves to inside the network is not the
                // caller's business; the class is enough to act on.
                throw new EgressRefusedException(
                        bare + " is refused: " + (literal ? "it is " : "it resolves to ")
                                + refusal.get().words(),
                        false,
                        refusal.get().addressClass());
            }
        }
        return addresses;
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }
}
