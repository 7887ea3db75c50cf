package io.mailshot.audience.service.suppression;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.SuppressionRepository;
import io.mailshot.audience.persistence.SuppressionRepository.Entry;
import io.mailshot.audience.persistence.SuppressionRepository.ListRecord;
import io.mailshot.audience.service.ingest.BulkOutcome;
import io.mailshot.audience.service.ingest.BulkTally;
import io.mailshot.audience.service.ingest.NdjsonBody;
import io.mailshot.audience.service.profile.AddressNormalizer;
import io.mailshot.audience.service.profile.ProfileValidator;
import io.mailshot.events.Actor;
import io.mailshot.kit.audit.AuditTrail;
import io.mailshot.kit.domain.BodyTooLargeException;
import io.mailshot.kit.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Suppression lists and their entries. Entries are streamed in and stored in committed batches, like profiles;
 * an address entry is stored as its normalised key (the same {@link AddressNormalizer} rules as dedup).
 */
@ApplicationScoped
public class SuppressionService {

    private static final Pattern NAMESPACE = Pattern.compile(ProfileValidator.NAMESPACE_REGEX);
    private static final Set<String> ENTRY_FIELDS = Set.of("namespace", "id", "address", "lastName");

    private final SuppressionRepository repository;
    private final AudienceConfig config;
    private final ObjectMapper json;
    private final ObjectReader lineReader;
    private final AuditTrail audit;

    public SuppressionService(
            SuppressionRepository repository, AudienceConfig config, ObjectMapper json, AuditTrail audit) {
        this.audit = audit;
        this.repository = repository;
        this.config = config;
        this.json = json;
        this.lineReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Creates the list and its audit entry in one transaction. */
    @Transactional
    public SuppressionList create(String name, String reason, Actor actor) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            if (!repository.insert(id, name.strip(), reason, now)) {
                throw DomainException.conflict("name", "unique", "a suppression list with this name already exists");
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        audit.record(
                actor,
                "suppression-list.create",
                AuditTrail.ref("suppression-list", id),
                AuditTrail.details("name", name.strip()));
        return new SuppressionList(id, name.strip(), reason, now, 0);
    }

    public List<SuppressionList> list() {
        try {
            return repository.list().stream().map(SuppressionService::view).toList();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public SuppressionList get(UUID id) {
        return view(find(id));
    }

    /**
     * Adds NDJSON entries in {@code charset}; each batch commits on its own. Lines are checked like profile lines:
     * a byte sequence the charset does not allow, or a byte-order mark past the first line, refuses the line.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome addNdjson(UUID id, InputStream body, Charset charset, Actor actor) {
        find(id);
        Batch batch = new Batch(id);
        return audited(actor, "ndjson", batch, () -> addNdjson(body, charset, batch));
    }

    /**
     * Runs one addition of entries and records it in the audit trail, in a transaction of its own (batches commit
     * one by one): counts only, never an entry (identities and addresses are personal data).
     */
    private BulkOutcome audited(Actor actor, String format, Batch batch, Supplier<BulkOutcome> adding) {
        return batch.audited(
                audit,
                actor,
                "suppression-list.entries-add",
                AuditTrail.ref("suppression-list", batch.listId),
                () -> new Object[] {"format", format},
                adding);
    }

    private BulkOutcome addNdjson(InputStream body, Charset charset, Batch batch) {
        try {
            NdjsonBody.read(body, charset, config.bulk().maxLineBytes(), batch, (number, bytes, length) -> {
                JsonNode node;
                try {
                    node = lineReader.readTree(bytes, 0, length);
                } catch (IOException e) {
                    batch.reject(number, "line is not valid JSON");
                    return;
                }
                batch.offer(number, node);
            });
        } catch (IOException e) {
            batch.flush();
            if (e instanceof BodyTooLargeException tooLarge) {
                throw tooLarge.refusal(
                        "it was refused at line " + batch.line() + "; " + batch.accepted() + " entries were stored");
            }
            throw DomainException.unreadable(
                    "body-unreadable",
                    "Request body unreadable",
                    null,
                    null,
                    "the request body could not be read after line " + batch.line() + "; " + batch.accepted()
                            + " entries were stored");
        }
        return batch.finish();
    }

    /** Adds the elements of a JSON array, read one element at a time. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome addJsonArray(UUID id, InputStream body, Actor actor) {
        find(id);
        Batch batch = new Batch(id);
        return audited(actor, "json", batch, () -> addJsonArray(body, batch));
    }

    private BulkOutcome addJsonArray(InputStream body, Batch batch) {
        long element = 0;
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw DomainException.invalid(
                        "body",
                        "array",
                        "the body must be a JSON array of entries (or send" + " NDJSON as application/x-ndjson)");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                element++;
                JsonNode node = parser.readValueAsTree();
                batch.receive(element);
                batch.offer(element, node);
            }
        } catch (IOException e) {
            batch.flush();
            if (e instanceof BodyTooLargeException tooLarge) {
                throw tooLarge.refusal(
                        "it was refused at element " + element + "; " + batch.accepted() + " entries were stored");
            }
            throw DomainException.unreadable(
                    "malformed-body",
                    "Malformed request body",
                    null,
                    null,
                    "the body is not" + " a valid JSON array after element " + element + "; " + batch.accepted()
                            + " entries were stored");
        }
        return batch.finish();
    }

    /** The entry an element describes, or the reason it is refused. Reasons never quote entry data. */
    static Object entry(JsonNode node) {
        if (node == null || !node.isObject()) {
            return "an entry must be a JSON object";
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            if (!ENTRY_FIELDS.contains(names.next())) {
                return "unknown member; an entry is {\"namespace\",\"id\"} or {\"address\":{...}} with an optional"
                        + " \"lastName\"";
            }
        }
        JsonNode address = node.get("address");
        if (address != null && !address.isNull()) {
            if (node.has("namespace") || node.has("id")) {
                return "an entry is either an identity or an address, not both";
            }
            if (!address.isObject()) {
                return "address must be an object";
            }
            String key = AddressNormalizer.addressKey(address);
            if (key == null) {
                return "address is not usable: street1, postalCode, city and countryCode must be non-blank";
            }
            JsonNode lastName = node.get("lastName");
            if (lastName == null || lastName.isNull()) {
                return new Entry("address", key);
            }
            if (!lastName.isTextual()) {
                return "lastName must be a string";
            }
            String household = AddressNormalizer.householdKey(key, lastName.textValue());
            if (household == null) {
                return "lastName must not be blank";
            }
            return new Entry("household", household);
        }
        if (node.has("lastName")) {
            return "lastName is only allowed with an address";
        }
        JsonNode namespace = node.get("namespace");
        JsonNode id = node.get("id");
        if (namespace == null
                || !namespace.isTextual()
                || !NAMESPACE.matcher(namespace.textValue()).matches()) {
            return "namespace is required and must match " + ProfileValidator.NAMESPACE_REGEX;
        }
        if (id == null
                || !id.isTextual()
                || id.textValue().isBlank()
                || id.textValue().length() > 256
                || id.textValue().indexOf('\0') >= 0) {
            return "id is required: a non-blank string of at most 256 characters";
        }
        return new Entry("identity", namespace.textValue() + '\u001f' + id.textValue());
    }

    private ListRecord find(UUID id) {
        try {
            return repository.find(id).orElseThrow(() -> DomainException.notFound("suppression list", id));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static DomainException unavailable(SQLException e) {
        // The same words as for audiences: lists and audiences share one store.
        return DomainException.unavailable("the audience store is unavailable: " + e.getSQLState());
    }

    private static SuppressionList view(ListRecord r) {
        return new SuppressionList(r.id(), r.name(), r.reason(), r.createdAt(), r.entries());
    }

    /** The counters and pending batch of one entries request. */
    private final class Batch extends BulkTally {

        final UUID listId;
        final List<Entry> pending = new ArrayList<>();

        Batch(UUID listId) {
            super(config.bulk().maxErrors());
            this.listId = listId;
        }

        void offer(long line, JsonNode node) {
            Object outcome = entry(node);
            if (outcome instanceof String reason) {
                reject(line, reason);
                return;
            }
            pending.add((Entry) outcome);
            if (pending.size() >= config.bulk().batchSize()) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            try {
                repository.add(listId, pending);
            } catch (SQLException e) {
                throw DomainException.unavailable("the suppression store is unavailable (SQL state " + e.getSQLState()
                        + "); " + accepted + " entries were stored before the failure");
            }
            accepted += pending.size();
            pending.clear();
        }

        BulkOutcome finish() {
            flush();
            return outcome();
        }
    }
}
