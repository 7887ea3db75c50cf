package io.mailshot.campaign.config;

import io.mailshot.kit.security.Roles;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may exempt a campaign from mail-pressure rules: a policy decision of the installation, not of the marketer. */
@ConfigMapping(prefix = "mailshot.pressure")
public interface PressureConfig {

    /** The realm role that may exempt a campaign ({@code MAILSHOT_PRESSURE_EXEMPTION_ROLE}). */
    @WithDefault(Roles.APPROVER)
    String exemptionRole();
}
