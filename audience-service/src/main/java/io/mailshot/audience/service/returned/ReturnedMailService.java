package io.mailshot.audience.service.returned;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.audience.config.AudienceConfig;
import io.mailshot.audience.persistence.ReturnedMailRepository;
import io.mailshot.audience.persistence.ReturnedMailRepository.Identity;
import io.mailshot.audience.persistence.ReturnedMailRepository.Return;
import io.mailshot.audience.service.ingest.BulkOutcome;
import io.mailshot.audience.service.ingest.BulkTally;
import io.mailshot.audience.service.ingest.CsvBody;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Imports a provider's returned-mail file (CSV or NDJSON), streamed and stored in committed batches like every bulk
 * upload. A line names a profile (its current address key is marked) or an address (its normalised key is marked);
 * runs then exclude profiles whose current address key is marked, until the address changes.
 */
@ApplicationScoped
public class ReturnedMailService {

    private static final Pattern NAMESPACE = Pattern.compile(ProfileValidator.NAMESPACE_REGEX);
    private static final List<String> ADDRESS_FIELDS = List.of(
            "street1",
            "street2",
            "street3",
            "street4",
            "street5",
            "street6",
            "postalCode",
            "city",
            "stateProvince",
            "countryCode");
    private static final Set<String> FIELDS;

    static {
        List<String> all = new ArrayList<>(List.of("namespace", "id", "returnDate", "reasonCode"));
        all.addAll(ADDRESS_FIELDS);
        FIELDS = Set.copyOf(all);
    }

    private static final int MAX_REASON = 64;

    private final ReturnedMailRepository repository;
    private final AudienceConfig config;
    private final ObjectMapper json;
    private final ObjectReader lineReader;
    private final AuditTrail audit;

    public ReturnedMailService(
            ReturnedMailRepository repository, AudienceConfig config, ObjectMapper json, AuditTrail audit) {
        this.repository = repository;
        this.config = config;
        this.json = json;
        this.lineReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.audit = audit;
    }

    /** Imports NDJSON lines in {@code charset}, one return a line, each batch committed on its own. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome importNdjson(InputStream body, Charset charset, Actor actor) {
        Batch batch = new Batch();
        return audited(actor, "ndjson", batch, () -> ndjson(body, charset, batch));
    }

    /** Imports CSV records in {@code charset}: a header naming the columns, then one return a record. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BulkOutcome importCsv(InputStream body, Charset charset, Actor actor) {
        Batch batch = new Batch();
        return audited(actor, "csv", batch, () -> csv(body, charset, batch));
    }

    /** Records the import in the audit trail on its own (batches commit one by one): counts only, never a line. */
    private BulkOutcome audited(Actor actor, String format, Batch batch, Supplier<BulkOutcome> importing) {
        return batch.audited(
                audit,
                actor,
                "returned-mail.import",
                AuditTrail.ref("returned-mail", null),
                () -> new Object[] {"format", format, "unknownIdentities", batch.unknown},
                importing);
    }

    private BulkOutcome ndjson(InputStream body, Charset charset, Batch batch) {
        try {
            NdjsonBody.read(body, charset, config.bulk().maxLineBytes(), batch, (number, bytes, length) -> {
                JsonNode node;
                try {
                    node = lineReader.readTree(bytes, 0, length);
                } catch (IOException e) {
                    batch.reject(number, "line is not valid JSON");
                    return;
                }
                Object members = members(node);
                if (members instanceof String reason) {
                    batch.reject(number, reason);
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, String> values = (Map<String, String>) members;
                batch.offer(number, values);
            });
        } catch (IOException e) {
            throw unreadable(e, batch);
        }
        return batch.finish();
    }

    private BulkOutcome csv(InputStream body, Charset charset, Batch batch) {
        try {
            CsvBody csv = CsvBody.open(body, charset, ',', config.bulk().maxLineBytes());
            List<String> header = csv.header().stream().map(String::strip).toList();
            checkHeader(header);
            csv.read(batch, header::get, (line, fields) -> {
                if (fields.size() != header.size()) {
                    batch.reject(line, "record has " + fields.size() + " fields; the header has " + header.size());
                    return;
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    if (!fields.get(i).isEmpty()) {
                        values.put(header.get(i), fields.get(i));
                    }
                }
                batch.offer(line, values);
            });
        } catch (IOException e) {
            throw unreadable(e, batch);
        }
        return batch.finish();
    }

    /** A header that cannot describe a return refuses the whole request, before anything is stored. */
    private static void checkHeader(List<String> header) {
        Set<String> seen = new java.util.HashSet<>();
        for (String name : header) {
            if (!FIELDS.contains(name)) {
                throw DomainException.invalid(
                        "body",
                        "header",
                        "unknown CSV column \"" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                                + "\"; the columns are namespace, id or street1…street6, postalCode, city,"
                                + " stateProvince, countryCode, and returnDate, reasonCode");
            }
            if (!seen.add(name)) {
                throw DomainException.invalid("body", "header", "CSV column " + name + " is given twice");
            }
        }
        boolean identity = seen.contains("namespace") && seen.contains("id");
        boolean address = seen.containsAll(List.of("street1", "postalCode", "city", "countryCode"));
        if (!seen.contains("returnDate") || !seen.contains("reasonCode") || !(identity || address)) {
            throw DomainException.invalid(
                    "body",
                    "header",
                    "the CSV header needs returnDate, reasonCode and either namespace and id or street1, postalCode,"
                            + " city and countryCode");
        }
    }

    /** An NDJSON line's members as text, or why the line is refused. */
    private static Object members(JsonNode node) {
        if (node == null || !node.isObject()) {
            return "a line must be a JSON object";
        }
        Map<String, String> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!FIELDS.contains(field.getKey())) {
                return "unknown member; a line has namespace and id, or street1…street6, postalCode, city,"
                        + " stateProvince, countryCode, and returnDate and reasonCode";
            }
            if (field.getValue().isNull()) {
                continue;
            }
            if (!field.getValue().isTextual()) {
                return field.getKey() + " must be a string";
            }
            values.put(field.getKey(), field.getValue().textValue());
        }
        return values;
    }

    /** A line checked: the identity it names or the address key it gives, the date and the reason. */
    private record Line(long line, Identity identity, String addressKey, LocalDate date, String reason) {}

    /** The line a set of values describes, or why it is refused. Reasons never quote the line's data. */
    static Object line(long number, Map<String, String> values) {
        String date = values.get("returnDate");
        if (date == null) {
            return "returnDate is required (an ISO date such as 2026-11-30)";
        }
        LocalDate returned;
        try {
            returned = LocalDate.parse(date.strip());
        } catch (DateTimeParseException e) {
            return "returnDate must be an ISO date such as 2026-11-30";
        }
        if (returned.isAfter(LocalDate.now(ZoneOffset.UTC).plusDays(1))) {
            return "returnDate must not be in the future";
        }
        String reason = values.get("reasonCode");
        if (reason == null || reason.isBlank()) {
            return "reasonCode is required";
        }
        reason = reason.strip();
        if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            return "reasonCode must be at most " + MAX_REASON + " characters without control characters";
        }
        boolean byIdentity = values.containsKey("namespace") || values.containsKey("id");
        boolean byAddress = ADDRESS_FIELDS.stream().anyMatch(values::containsKey);
        if (byIdentity && byAddress) {
            return "a line names either an identity or an address, not both";
        }
        if (byIdentity) {
            String namespace = values.get("namespace");
            String id = values.get("id");
            if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
                return "namespace is required and must match " + ProfileValidator.NAMESPACE_REGEX;
            }
            if (id == null || id.isBlank() || id.length() > 256 || id.indexOf('\0') >= 0) {
                return "id is required: a non-blank string of at most 256 characters";
            }
            return new Line(number, new Identity(namespace, id), null, returned, reason);
        }
        ObjectNode address = JsonNodeFactory.instance.objectNode();
        ADDRESS_FIELDS.forEach(f -> {
            if (values.containsKey(f)) {
                address.put(f, values.get(f));
            }
        });
        String key = AddressNormalizer.addressKey(address);
        if (key == null) {
            return "the line needs namespace and id, or a usable address: street1, postalCode, city and"
                    + " countryCode non-blank";
        }
        return new Line(number, null, key, returned, reason);
    }

    private static DomainException unreadable(IOException e, Batch batch) {
        batch.flush();
        String where = "line " + batch.line();
        String kept = batch.accepted() + " returns were stored";
        if (e instanceof BodyTooLargeException tooLarge) {
            return tooLarge.refusal("it was refused at " + where + "; " + kept);
        }
        return DomainException.unreadable(
                "body-unreadable",
                "Request body unreadable",
                null,
                null,
                "the request body could not be read after " + where + "; " + kept);
    }

    /** The counters and pending lines of one import. */
    private final class Batch extends BulkTally {

        final List<Line> pending = new ArrayList<>();
        long unknown;

        Batch() {
            super(config.bulk().maxErrors());
        }

        void offer(long number, Map<String, String> values) {
            Object outcome = ReturnedMailService.line(number, values);
            if (outcome instanceof String reason) {
                reject(number, reason);
                return;
            }
            pending.add((Line) outcome);
            if (pending.size() >= config.bulk().batchSize()) {
                flush();
            }
        }

        /** Finds the batch's profiles' current address keys, then stores every return in one transaction. */
        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            try {
                List<Identity> identities = pending.stream()
                        .map(Line::identity)
                        .filter(i -> i != null)
                        .distinct()
                        .toList();
                Map<Identity, String> keys =
                        identities.isEmpty() ? new HashMap<>() : repository.currentAddressKeys(identities);
                List<Return> returns = new ArrayList<>();
                for (Line l : pending) {
                    if (l.identity() == null) {
                        returns.add(new Return(l.addressKey(), l.date(), l.reason()));
                    } else if (!keys.containsKey(l.identity())) {
                        unknown++;
                        reject(l.line(), "no profile has this identity; nothing was stored for the line");
                    } else if (keys.get(l.identity()) == null) {
                        reject(l.line(), "the profile has no usable address to mark; nothing was stored for the line");
                    } else {
                        returns.add(new Return(keys.get(l.identity()), l.date(), l.reason()));
                    }
                }
                repository.add(returns);
                accepted += returns.size();
            } catch (SQLException e) {
                throw DomainException.unavailable("the returned-mail store is unavailable (SQL state " + e.getSQLState()
                        + "); " + accepted + " returns were stored before the failure");
            }
            pending.clear();
        }

        BulkOutcome finish() {
            flush();
            return outcome();
        }
    }
}
