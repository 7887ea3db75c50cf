package io.mailshot.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The installation's approval policy: whether a campaign needs a second person's approval before it runs is decided
 * by whoever runs Mailshot (and, on top of that, by each direct-mail configuration), never by the campaign's author.
 */
@ConfigMapping(prefix = "mailshot.approval")
public interface ApprovalConfig {

    /**
     * Every campaign needs approval (four-eyes) before activation. When false, only campaigns whose configuration
     * says {@code approvalRequired} do.
     */
    @WithDefault("true")
    boolean required();
}
