package io.mailshot.kit.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailshot.events.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The audit trail: who changed what, when, and how it ended, one row per change in the service's own database. A
 * change is recorded by {@link #record} in the transaction that makes it, so a change that rolls back leaves no
 * entry and a committed one always has its entry (one INSERT). Refusals, whose transaction rolls back, and changes
 * that are not one transaction (a streamed ingestion commits batch by batch) are recorded by {@link #recordAlone} in
 * a transaction of their own. Nothing here updates or deletes: the table's trigger refuses both.
 *
 * <p>Table {@code audit_entry} (each service that audits has the same Flyway migration; see the services'
 * {@code *__audit_entry.sql}): {@code id bigint identity, occurred_at, actor_subject, actor_name, action, entity_type,
 * entity_id, within_type, within_id, outcome, details jsonb}. {@code details} holds field names, counts, statuses
 * and rule names: callers never put secrets or profile data in it.
 */
@ApplicationScoped
public class AuditTrail {

    /** Longest text kept of one detail value: details say what changed, they are not a copy of it. */
    static final int MAX_VALUE = 300;

    private final DataSource dataSource;
    private final ObjectMapper json;

    public AuditTrail(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** A change of one entity, made in the caller's transaction: outcome {@link Outcome#DONE}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Actor actor, String action, AuditEntry.Ref entity, Map<String, ?> details) {
        insert(actor, action, entity, null, Outcome.DONE, details);
    }

    /**
     * A change of an entity that belongs to another ({@code within}: a run within its campaign), so that the other's
     * trail tells its whole story.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(
            Actor actor, String action, AuditEntry.Ref entity, AuditEntry.Ref within, Map<String, ?> details) {
        insert(actor, action, entity, within, Outcome.DONE, details);
    }

    /** An entry in a transaction of its own: a refusal (the change rolled back) or a change made in many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAlone(
            Actor actor, String action, AuditEntry.Ref entity, Outcome outcome, Map<String, ?> details) {
        insert(actor, action, entity, null, outcome, details);
    }

    /** The reference to an entity; {@code id} may be null (a change of many). */
    public static AuditEntry.Ref ref(String type, Object id) {
        return new AuditEntry.Ref(type, id == null ? null : id.toString());
    }

    /**
     * Details from alternating names and values, in that order; null values are left out and long text is
     * abbreviated. Values are what changed (statuses, counts, field names, ids), never secrets or profile data.
     */
    public static Map<String, Object> details(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("details come in name, value pairs");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value == null) {
                continue;
            }
            if (value instanceof CharSequence || value instanceof UUID || value instanceof Enum<?>) {
                String text = value.toString();
                value = text.length() <= MAX_VALUE ? text : text.substring(0, MAX_VALUE) + "…";
            }
            details.put(namesAndValues[i].toString(), value);
        }
        return details;
    }

    private void insert(
            Actor actor,
            String action,
            AuditEntry.Ref entity,
            AuditEntry.Ref within,
            Outcome outcome,
            Map<String, ?> details) {
        Actor who = actor == null ? Actor.SYSTEM : actor;
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into audit_entry (occurred_at, actor_subject, actor_name, action, entity_type, entity_id,"
                                + " within_type, within_id, outcome, details) values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))")) {
            insert.setTimestamp(1, Timestamp.from(Instant.now()));
            insert.setString(2, who.subject());
            insert.setString(3, who.name());
            insert.setString(4, action);
            insert.setString(5, entity.type());
            insert.setString(6, entity.id());
            insert.setString(7, within == null ? null : within.type());
            insert.setString(8, within == null ? null : within.id());
            insert.setString(9, outcome.name());
            insert.setString(10, json.writeValueAsString(details == null ? Map.of() : details));
            insert.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            // The change must not happen unaudited: its transaction rolls back with this.
            throw new IllegalStateException("could not write the audit trail", e);
        }
    }

    /**
     * The entries of one entity type, or of one entity and of every entity {@code within} it (a campaign's runs),
     * oldest first: the trail reads as the story of the entity.
     */
    public AuditEntry.Page page(String entityType, String entityId, int page, int size) {
        String where = entityId == null
                ? "entity_type = ?"
                : "(entity_type = ? and entity_id = ?) or (within_type = ? and within_id = ?)";
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = c.prepareStatement("select count(*) from audit_entry where " + where)) {
                bind(count, entityType, entityId);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEntry> items = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("select id, occurred_at, actor_subject, actor_name,"
                    + " action, entity_type, entity_id, within_type, within_id, outcome, details::text from audit_entry"
                    + " where " + where + " order by occurred_at, id offset ? limit ?")) {
                int next = bind(select, entityType, entityId);
                select.setLong(next, (long) page * size);
                select.setInt(next + 1, size);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(entry(rs));
                    }
                }
            }
            return new AuditEntry.Page(items, page, size, total);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read the audit trail", e);
        }
    }

    private static int bind(PreparedStatement s, String entityType, String entityId) throws SQLException {
        s.setString(1, entityType);
        if (entityId == null) {
            return 2;
        }
        s.setString(2, entityId);
        s.setString(3, entityType);
        s.setString(4, entityId);
        return 5;
    }

    private AuditEntry entry(ResultSet rs) throws SQLException, JsonProcessingException {
        String withinType = rs.getString("within_type");
        JsonNode details = json.readTree(rs.getString(11));
        return new AuditEntry(
                rs.getLong("id"),
                rs.getTimestamp("occurred_at").toInstant(),
                new AuditEntry.Actor(rs.getString("actor_subject"), rs.getString("actor_name")),
                rs.getString("action"),
                new AuditEntry.Ref(rs.getString("entity_type"), rs.getString("entity_id")),
                withinType == null ? null : new AuditEntry.Ref(withinType, rs.getString("within_id")),
                Outcome.valueOf(rs.getString("outcome")),
                details);
    }
}
