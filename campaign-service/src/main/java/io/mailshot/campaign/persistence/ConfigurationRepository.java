package io.mailshot.campaign.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Direct-mail configurations. */
@ApplicationScoped
public class ConfigurationRepository implements PanacheRepositoryBase<DirectMailConfigurationEntity, UUID> {

    public Optional<DirectMailConfigurationEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
