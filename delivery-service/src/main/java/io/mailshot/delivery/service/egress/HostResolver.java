package io.mailshot.delivery.service.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a destination's host to all of its addresses (an IP literal to itself, without asking DNS). */
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
