package io.mailshot.kit.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import io.mailshot.events.ProfilesStreamed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads {@link ProfilesStreamed} token by token: each profile's values become one array wrapped as a list, with
 * no collection deserializer, no growing list per profile and no second copy. The profile stream carries
 * every targeted profile, and the generic path spent a tenth of the extraction's CPU around the strings it
 * decoded. It reads what the generic record deserializer reads (a test holds the two together): unknown
 * fields are skipped, a scalar value is taken as its text, a missing list is null, a missing or null
 * {@code firstSeq} is refused. It is stricter in one way: {@code firstSeq} must be a JSON integer, not a
 * numeric string. Anything else is a
 * mapping error, so the event goes to the dead-letter topic with its reason.
 */
final class ProfilesStreamedDeserializer extends JsonDeserializer<ProfilesStreamed> {

    @Override
    public ProfilesStreamed deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return (ProfilesStreamed) ctxt.handleUnexpectedToken(ProfilesStreamed.class, p);
        }
        UUID runId = null;
        UUID attemptId = null;
        long firstSeq = 0;
        boolean seq = false;
        List<String> profileIds = null;
        List<List<String>> values = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            switch (field) {
                case "runId" -> runId = uuid(p, ctxt, token, field);
                case "attemptId" -> attemptId = uuid(p, ctxt, token, field);
                case "firstSeq" -> {
                    if (token == JsonToken.VALUE_NUMBER_INT) {
                        firstSeq = p.getLongValue();
                        seq = true;
                    } else {
                        throw ctxt.wrongTokenException(
                                p, long.class, JsonToken.VALUE_NUMBER_INT, "firstSeq must be an integer");
                    }
                }
                case "profileIds" ->
                    profileIds = token == JsonToken.VALUE_NULL ? null : Arrays.asList(strings(p, ctxt, token, field));
                case "values" -> values = token == JsonToken.VALUE_NULL ? null : rows(p, ctxt, token);
                default -> p.skipChildren();
            }
        }
        if (!seq) {
            return ctxt.reportInputMismatch(ProfilesStreamed.class, "firstSeq is missing");
        }
        return new ProfilesStreamed(runId, attemptId, firstSeq, profileIds, values);
    }

    private static UUID uuid(JsonParser p, DeserializationContext ctxt, JsonToken token, String field)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw ctxt.wrongTokenException(p, UUID.class, JsonToken.VALUE_STRING, field + " must be a UUID");
        }
        try {
            return UUID.fromString(p.getText());
        } catch (IllegalArgumentException e) {
            throw ctxt.weirdStringException(p.getText(), UUID.class, field + " is not a UUID");
        }
    }

    private static List<List<String>> rows(JsonParser p, DeserializationContext ctxt, JsonToken token)
            throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw ctxt.wrongTokenException(p, List.class, JsonToken.START_ARRAY, "values must be an array");
        }
        List<List<String>> rows = new ArrayList<>(512);
        for (JsonToken row = p.nextToken(); row != JsonToken.END_ARRAY; row = p.nextToken()) {
            rows.add(row == JsonToken.VALUE_NULL ? null : Arrays.asList(strings(p, ctxt, row, "values")));
        }
        return rows;
    }

    /** An array of strings (or nulls); numbers and booleans are taken as their text, as the generic path does. */
    private static String[] strings(JsonParser p, DeserializationContext ctxt, JsonToken token, String field)
            throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw ctxt.wrongTokenException(p, List.class, JsonToken.START_ARRAY, field + " must hold arrays");
        }
        String[] buffer = new String[16];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String value = switch (t) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> null;
                default ->
                    throw ctxt.wrongTokenException(
                            p, String.class, JsonToken.VALUE_STRING, field + " must hold strings");
            };
            if (n == buffer.length) {
                buffer = Arrays.copyOf(buffer, n * 2);
            }
            buffer[n++] = value;
        }
        return n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
    }
}
