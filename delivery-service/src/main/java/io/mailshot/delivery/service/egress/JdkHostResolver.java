package io.mailshot.delivery.service.egress;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The JDK's resolver, which the client libraries use too: its cache (networkaddress.cache.ttl, 30 s by default)
 * makes a client that resolves the name again moments after the check most likely get the same answer.
 */
@ApplicationScoped
public class JdkHostResolver implements HostResolver {

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}
