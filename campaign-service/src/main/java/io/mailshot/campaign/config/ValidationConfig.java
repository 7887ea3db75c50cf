package io.mailshot.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How validation samples the audience to warn about sparsely filled columns. */
@ConfigMapping(prefix = "mailshot.validation")
public interface ValidationConfig {

    /** How many profiles of the campaign's audience the audience-service samples for fill rates. */
    @WithDefault("1000")
    int sampleSize();

    /** A column filled in fewer than this share of the sampled profiles (0–1) gets a sparse-column warning. */
    @WithDefault("0.5")
    double sparseBelow();
}
