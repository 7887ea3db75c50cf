package io.mailshot.delivery.service.routing;

/** Lifecycle of a routing: only ACTIVE routings receive deliveries. */
public enum RoutingStatus {
    DRAFT,
    ACTIVE,
    ARCHIVED
}
