package io.mailshot.delivery.service.routing;

/** Kind of destination a routing delivers to. */
public enum RoutingType {
    S3,
    SFTP,
    AZURE_BLOB
}
