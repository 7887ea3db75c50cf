package io.mailshot.kit.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.temporal.Temporal;

/**
 * How every service reads a request body: exactly what the OpenAPI document says, nothing converted. Unknown
 * members, a member given twice, a boolean or number where a string is expected ({@code true} is not
 * {@code "true"}), a string where a number or boolean is expected, a fraction where a whole number is expected
 * ({@code 1.5} is not {@code 1}), an enum's ordinal, a number where a date-time is expected, null for a
 * primitive, a single value where an array is expected, trailing content after the body, NUL or a lone
 * surrogate in any text: each is refused, and the problem names the field.
 *
 * <p>Only request bodies are read this way ({@link ApiObjectMapper}). The application's own
 * {@link ObjectMapper} stays tolerant: events ignore members they do not know (the compatibility rule of the
 * event contract) and stored documents written by an older version must stay readable.
 */
public final class StrictJson {

    private StrictJson() {}

    /** A strict copy of {@code base}: same modules and output, strict input. {@code base} is not changed. */
    public static ObjectMapper of(ObjectMapper base) {
        JsonFactory factory = new CheckedJsonParser.Factory(base.getFactory());
        ObjectMapper strict = base.copyWith(factory);
        strict.enable(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        strict.disable(
                DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS,
                DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT,
                DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL,
                DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);
        // Dates and times only from their ISO-8601 text: no epoch numbers, no [2024, 1, 31] arrays.
        strict.setDefaultLeniency(Boolean.FALSE);
        strict.registerModule(new SimpleModule("mailshot-strict-time")
                .setDeserializerModifier(new BeanDeserializerModifier() {
                    @Override
                    public JsonDeserializer<?> modifyDeserializer(
                            DeserializationConfig config,
                            BeanDescription description,
                            JsonDeserializer<?> deserializer) {
                        return Temporal.class.isAssignableFrom(description.getBeanClass())
                                ? new TextOnly(deserializer, false)
                                : deserializer;
                    }

                    @Override
                    public JsonDeserializer<?> modifyEnumDeserializer(
                            DeserializationConfig config,
                            JavaType type,
                            BeanDescription description,
                            JsonDeserializer<?> deserializer) {
                        return new TextOnly(deserializer, true);
                    }
                }));

        strict.coercionConfigDefaults()
                .setAcceptBlankAsEmpty(Boolean.FALSE)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail);
        refuse(
                strict,
                LogicalType.Textual,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(
                strict,
                LogicalType.Integer,
                CoercionInputShape.String,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        refuse(
                strict,
                LogicalType.Float,
                CoercionInputShape.String,
                CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        refuse(
                strict,
                LogicalType.Boolean,
                CoercionInputShape.String,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.EmptyString);
        refuse(
                strict,
                LogicalType.Enum,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.EmptyString);
        refuse(
                strict,
                LogicalType.DateTime,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.EmptyString);
        refuse(
                strict,
                LogicalType.OtherScalar,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString);
        return strict;
    }

    /**
     * A deserializer that takes its value from a JSON string only, whatever else the one it wraps accepts; for an
     * enum, only its exact name (Jackson would trim {@code " RED"} to {@code RED}).
     */
    private static final class TextOnly extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        private final boolean exact;

        TextOnly(JsonDeserializer<?> delegate, boolean exact) {
            super(delegate);
            this.exact = exact;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new TextOnly(delegate, exact);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return ctxt.handleUnexpectedToken(handledType(), p);
            }
            String text = p.getText();
            if (exact && !text.strip().equals(text)) {
                return ctxt.handleWeirdStringValue(handledType(), text, "not one of the values accepted");
            }
            return super.deserialize(p, ctxt);
        }
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
