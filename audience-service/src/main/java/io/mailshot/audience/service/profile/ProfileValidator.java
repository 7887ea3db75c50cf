package io.mailshot.audience.service.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.mailshot.audience.persistence.ProfileRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates one NDJSON profile line. Rejection reasons name the offending field and rule,
 * never the value: profile data must not leak into responses or logs.
 */
@ApplicationScoped
public class ProfileValidator {

    public static final String NAMESPACE_REGEX = "^[A-Za-z][A-Za-z0-9_.-]{0,63}$";
    private static final Pattern NAMESPACE = Pattern.compile(NAMESPACE_REGEX);
    private static final int MAX_ID_LENGTH = 256;
    private static final Set<String> OBJECT_FIELDS =
            Set.of("identities", "person", "homeAddress", "consents", "attributes");
    private static final Pattern NOT_PRINTABLE = Pattern.compile("[^A-Za-z0-9_-]");
    private static final Set<String> CONSENT_VALUES = Set.of("y", "n", "");

    /** A valid profile, or the reason the line was refused. */
    public record Outcome(ProfileRow row, String reason) {

        static Outcome refused(String reason) {
            return new Outcome(null, reason);
        }
    }

    private final ObjectReader reader;

    public ProfileValidator(ObjectMapper json) {
        // Trailing garbage after the object makes the line invalid rather than silently ignored.
        this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public Outcome parse(byte[] bytes, int length) {
        return parse(bytes, length, null);
    }

    /**
     * Parses one profile.
     *
     * @param defaultTime the event time when the profile has no {@code eventTime}; null means now
     */
    public Outcome parse(byte[] bytes, int length, Instant defaultTime) {
        JsonNode root;
        try {
            root = reader.readTree(bytes, 0, length);
        } catch (IOException e) {
            // Jackson's message quotes the offending text: never pass it on.
            return Outcome.refused("line is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return Outcome.refused("line must be a JSON object");
        }
        JsonNode identity = root.get("identity");
        if (identity == null || identity.isNull()) {
            return Outcome.refused("identity is required");
        }
        if (!identity.isObject()) {
            return Outcome.refused("identity must be an object");
        }
        JsonNode namespace = identity.get("namespace");
        if (namespace == null || namespace.isNull()) {
            return Outcome.refused("identity.namespace is required");
        }
        if (!namespace.isTextual() || !NAMESPACE.matcher(namespace.textValue()).matches()) {
            return Outcome.refused("identity.namespace must match " + NAMESPACE_REGEX);
        }
        JsonNode id = identity.get("id");
        if (id == null || id.isNull()) {
            return Outcome.refused("identity.id is required");
        }
        if (!id.isTextual()) {
            return Outcome.refused("identity.id must be a string");
        }
        if (id.textValue().isBlank()) {
            return Outcome.refused("identity.id must not be blank");
        }
        if (id.textValue().codePointCount(0, id.textValue().length()) > MAX_ID_LENGTH) {
            return Outcome.refused("identity.id must be at most " + MAX_ID_LENGTH + " characters");
        }
        for (String field : OBJECT_FIELDS) {
            JsonNode node = root.get(field);
            if (node != null && !node.isNull() && !node.isObject()) {
                return Outcome.refused(field + " must be an object");
            }
        }
        Instant eventTime = defaultTime != null ? defaultTime : Instant.now();
        JsonNode time = root.get("eventTime");
        if (time != null && !time.isNull()) {
            String rule = "eventTime must be an RFC 3339 timestamp such as 2026-11-28T10:00:00Z";
            if (!time.isTextual()) {
                return Outcome.refused(rule);
            }
            try {
                eventTime = OffsetDateTime.parse(time.textValue()).toInstant();
            } catch (DateTimeParseException e) {
                return Outcome.refused(rule);
            }
        }
        JsonNode test = root.get("testProfile");
        if (test != null && !test.isNull() && !test.isBoolean()) {
            return Outcome.refused("testProfile must be true or false");
        }
        String badConsent = badConsent(root.get("consents"), "consents", 0);
        if (badConsent != null) {
            return Outcome.refused(badConsent + " must be \"y\", \"n\" or empty");
        }
        if (containsNul(root, 0)) {
            // PostgreSQL cannot store U+0000 in text or jsonb.
            return Outcome.refused("line contains a NUL character (\\u0000), which cannot be stored");
        }
        // The line itself is stored, not a re-serialisation of the parsed tree: it is the profile exactly as
        // received (numbers keep every digit), and writing the tree again was a fifth of ingestion's CPU.
        byte[] doc = Arrays.copyOfRange(bytes, 0, length);
        JsonNode postal =
                root.path("consents").path("marketing").path("postalMail").path("val");
        String postalConsent = postal.isTextual() ? postal.textValue() : null;
        String addressKey = AddressNormalizer.addressKey(root.get("homeAddress"));
        JsonNode lastName = root.path("person").path("name").path("lastName");
        String householdKey = AddressNormalizer.householdKey(
                addressKey, lastName.isValueNode() && !lastName.isNull() ? lastName.asText() : null);
        return new Outcome(
                new ProfileRow(
                        namespace.textValue(),
                        id.textValue(),
                        doc,
                        postalConsent,
                        eventTime,
                        test != null && test.asBoolean(false),
                        addressKey,
                        householdKey),
                null);
    }

    /**
     * The path of the first consent {@code val} that is not y, n or empty; null when all are fine. The path
     * is only built for a bad value: this runs for every ingested profile, and almost all are fine.
     */
    private static String badConsent(JsonNode node, String path, int depth) {
        if (node == null || !node.isObject() || depth > 16) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (field.getKey().equals("val")) {
                if (!value.isNull() && !(value.isTextual() && CONSENT_VALUES.contains(value.textValue()))) {
                    return path + "." + abbreviate(field.getKey());
                }
            } else if (value.isObject()) {
                String bad = badConsent(value, path + "." + abbreviate(field.getKey()), depth + 1);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private static boolean containsNul(JsonNode node, int depth) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().indexOf('\0') >= 0 || containsNul(field.getValue(), depth + 1)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (containsNul(element, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Consent keys are structure, not data, but keep reasons short and printable anyway. */
    private static String abbreviate(String key) {
        String printable = NOT_PRINTABLE.matcher(key).replaceAll("?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
