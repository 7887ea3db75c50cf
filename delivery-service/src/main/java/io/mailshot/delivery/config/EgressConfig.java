package io.mailshot.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Where routings may send files: every address a destination resolves to must pass. An entry of {@code deny} or
 * {@code allow} is a CIDR ({@code 10.1.0.0/16}, {@code fd00::/8}, a bare address) or a host pattern
 * ({@code files.example.com}, {@code *.example.com}). A deny always wins; an allow opens a class that
 * {@code refuse} closes (the local platform allows 127.0.0.0/8 and ::1 so). Cloud metadata addresses open only for an
 * allow of exactly that address.
 */
@ConfigMapping(prefix = "mailshot.egress")
public interface EgressConfig {

    /** Always refused, whatever else says: CIDRs and host patterns. */
    Optional<List<String>> deny();

    /** Allowed even when the address's class is refused: CIDRs and host patterns. */
    Optional<List<String>> allow();

    /**
     * Address classes refused unless allowed: {@code loopback}, {@code link-local}, {@code metadata},
     * {@code unspecified}, {@code multicast}, {@code broadcast}, {@code reserved}, {@code private}. Public addresses
     * have no class to refuse: deny them by CIDR.
     */
    @WithDefault("loopback,link-local,metadata,unspecified,multicast,broadcast,reserved")
    List<String> refuse();
}
