package io.mailshot.audience.service.response;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.mailshot.audience.persistence.ResponseRow;
import io.mailshot.audience.service.profile.ProfileValidator;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates one response, from an NDJSON line or a CSV record: {@code namespace}, {@code id}, {@code respondedAt}
 * (an ISO-8601 date, read as midnight UTC, or a date-time with an offset), {@code channel}, optional {@code amount}
 * (a decimal of at least 0). A value is stored as given or refused with the reason, never altered (rounded,
 * trimmed, re-zoned). Reasons name the field, never repeat its value.
 */
public final class ResponseParser {

    /** The members of an NDJSON response, and the CSV header's column names. */
    public static final Set<String> FIELDS = Set.of("namespace", "id", "respondedAt", "channel", "amount");

    static final int MAX_ID_LENGTH = 256;
    static final int MAX_CHANNEL_LENGTH = 64;
    private static final Pattern NAMESPACE = Pattern.compile(ProfileValidator.NAMESPACE_REGEX);
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** At most 15 digits before the point and 4 after: stored exactly, never rounded. */
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,15}(\\.\\d{1,4})?");

    static final String AMOUNT_RULE =
            "amount must be a decimal number of at least 0 with at most 15 digits before" + " the point and 4 after";

    /** A valid response, or the reason it was refused. */
    public record Outcome(ResponseRow row, String reason) {

        static Outcome refused(String reason) {
            return new Outcome(null, reason);
        }
    }

    private final ObjectReader reader;

    public ResponseParser(ObjectMapper json) {
        // Amounts as BigDecimal (12.50 stays 12.50, never a double), a member given twice and trailing text refused.
        this.reader = json.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** One NDJSON line (UTF-8). */
    public Outcome json(byte[] bytes, int length) {
        JsonNode root;
        try {
            root = reader.readTree(bytes, 0, length);
        } catch (IOException e) {
            return Outcome.refused("line is not valid JSON (or names a member twice)");
        }
        if (root == null || !root.isObject()) {
            return Outcome.refused("line must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return Outcome.refused("unknown member " + abbreviate(name) + "; a response has namespace, id,"
                        + " respondedAt, channel and amount");
            }
        }
        String[] text = new String[4];
        String[] names = {"namespace", "id", "respondedAt", "channel"};
        for (int i = 0; i < names.length; i++) {
            JsonNode node = root.get(names[i]);
            if (node == null || node.isNull()) {
                return Outcome.refused(names[i] + " is required");
            }
            if (!node.isTextual()) {
                return Outcome.refused(names[i] + " must be a string");
            }
            text[i] = node.textValue();
        }
        JsonNode amount = root.get("amount");
        BigDecimal value = null;
        if (amount != null && !amount.isNull()) {
            if (!amount.isNumber()) {
                return Outcome.refused("amount must be a JSON number");
            }
            value = amount.decimalValue();
            if (value.signum() < 0 || !AMOUNT.matcher(value.toPlainString()).matches()) {
                return Outcome.refused(AMOUNT_RULE);
            }
        }
        return row(text[0], text[1], text[2], text[3], value);
    }

    /** One CSV record's cells (null for a column the header does not have; an empty amount means none). */
    public Outcome cells(String namespace, String id, String respondedAt, String channel, String amount) {
        BigDecimal value = null;
        if (amount != null && !amount.isEmpty()) {
            if (!AMOUNT.matcher(amount).matches()) {
                return Outcome.refused(AMOUNT_RULE);
            }
            value = new BigDecimal(amount);
        }
        String[] names = {"namespace", "id", "respondedAt", "channel"};
        String[] values = {namespace, id, respondedAt, channel};
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null || values[i].isEmpty()) {
                return Outcome.refused(names[i] + " is required");
            }
        }
        return row(namespace, id, respondedAt, channel, value);
    }

    private static Outcome row(String namespace, String id, String respondedAt, String channel, BigDecimal amount) {
        for (String[] field :
                new String[][] {{"namespace", namespace}, {"id", id}, {"respondedAt", respondedAt}, {"channel", channel}
                }) {
            String problem = textProblem(field[1]);
            if (problem != null) {
                return Outcome.refused(field[0] + " " + problem);
            }
        }
        if (!NAMESPACE.matcher(namespace).matches()) {
            return Outcome.refused("namespace must match " + ProfileValidator.NAMESPACE_REGEX);
        }
        if (id.isBlank()) {
            return Outcome.refused("id must not be blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            return Outcome.refused("id must be at most " + MAX_ID_LENGTH + " characters");
        }
        if (channel.isBlank()
                || channel.length() > MAX_CHANNEL_LENGTH
                || channel.chars().anyMatch(Character::isISOControl)) {
            return Outcome.refused("channel must be 1 to " + MAX_CHANNEL_LENGTH
                    + " characters, not blank, without control characters");
        }
        Instant at = instant(respondedAt);
        if (at == null) {
            return Outcome.refused("respondedAt must be an ISO-8601 date (2026-03-01) or a date-time with an offset"
                    + " (2026-03-01T10:15:00Z, 2026-03-01T11:15:00+01:00), to the microsecond at most");
        }
        return new Outcome(new ResponseRow(namespace, id, at, channel, amount), null);
    }

    /** The instant, or null when the text is no date or date-time with an offset, or is finer than a microsecond. */
    static Instant instant(String text) {
        try {
            if (DATE.matcher(text).matches()) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
            // PostgreSQL keeps microseconds: a finer time would be rounded, so it is refused instead.
            return at.getNano() % 1000 == 0 ? at : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * What keeps a text from being stored exactly, or null: PostgreSQL cannot store NUL, and a lone UTF-16 surrogate
     * has no UTF-8 form (it would come back as {@code ?}).
     */
    static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode text: it contains a lone UTF-16 surrogate";
            }
        }
        return null;
    }

    private static String abbreviate(String name) {
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
