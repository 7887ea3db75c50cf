package io.mailshot.campaign.service;

import io.mailshot.campaign.client.RoutingClient;
import io.mailshot.campaign.persistence.ConfigurationRepository;
import io.mailshot.campaign.persistence.DirectMailConfigurationEntity;
import io.mailshot.campaign.rest.ApiModels.ConfigurationRequest;
import io.mailshot.campaign.rest.ApiModels.ConfigurationView;
import io.mailshot.campaign.rest.ApiModels.PageView;
import io.mailshot.kit.rest.ApiException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Direct-mail configurations: named channel settings that point at an active file routing. */
@ApplicationScoped
@Transactional
public class ConfigurationService {

    static final String ACTIVE = "ACTIVE";
    static final String ARCHIVED = "ARCHIVED";

    private final ConfigurationRepository configurations;
    private final RoutingClient routings;

    public ConfigurationService(ConfigurationRepository configurations, RoutingClient routings) {
        this.configurations = configurations;
        this.routings = routings;
    }

    public ConfigurationView create(ConfigurationRequest request) {
        if (configurations.findByName(request.name()).isPresent()) {
            throw ApiException.conflict("name", "unique", "a configuration named '" + request.name() + "' already exists");
        }
        requireActiveRouting(request.routingId());
        DirectMailConfigurationEntity entity = new DirectMailConfigurationEntity();
        entity.id = UUID.randomUUID();
        entity.name = request.name();
        entity.routingId = request.routingId();
        entity.status = ACTIVE;
        entity.createdAt = Instant.now();
        entity.updatedAt = entity.createdAt;
        configurations.persist(entity);
        return view(entity);
    }

    public ConfigurationView get(UUID id) {
        return view(find(id));
    }

    public PageView<ConfigurationView> list(int page, int size) {
        var query = configurations.findAll(Sort.ascending("name")).page(Page.of(page, size));
        return new PageView<>(query.list().stream().map(ConfigurationService::view).toList(), page, size,
                query.count());
    }

    public ConfigurationView archive(UUID id) {
        DirectMailConfigurationEntity entity = find(id);
        entity.status = ARCHIVED;
        entity.updatedAt = Instant.now();
        return view(entity);
    }

    DirectMailConfigurationEntity find(UUID id) {
        return configurations.findByIdOptional(id)
                .orElseThrow(() -> ApiException.notFound("direct-mail configuration", id));
    }

    /** A configuration referenced from another resource: unknown is a 422 on that field, not a 404. */
    DirectMailConfigurationEntity find(UUID id, String field) {
        return configurations.findByIdOptional(id).orElseThrow(() -> ApiException.invalid(field, "exists",
                "direct-mail configuration " + id + " does not exist"));
    }

    /** The routing must exist on the delivery-service and be ACTIVE. */
    void requireActiveRouting(UUID routingId) {
        String status = routings.status(routingId).orElseThrow(() -> ApiException.invalid("routingId", "exists",
                "file routing " + routingId + " does not exist on the delivery-service"));
        if (!ACTIVE.equals(status)) {
            throw ApiException.invalid("routingId", "active",
                    "file routing " + routingId + " is " + status + "; only an ACTIVE routing can be used");
        }
    }

    static ConfigurationView view(DirectMailConfigurationEntity e) {
        return new ConfigurationView(e.id, e.name, e.routingId, e.status, e.createdAt, e.updatedAt);
    }
}
