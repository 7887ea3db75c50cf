package io.mailshot.events;

import java.util.List;
import java.util.UUID;

/**
 * The snapshot of a campaign's file definition that one run executes. A run never sees later edits.
 *
 * @param fileName the rendered file name (no folders), e.g. {@code spring-mailing-20261128.csv}
 * @param columns the ordered columns
 * @param routingId the delivery-service file routing the file goes to
 * @param identityNamespace which identity namespace identifies each row
 */
public record RunSpec(String fileName, List<FileColumn> columns, UUID routingId, String identityNamespace) {
}
