package io.mailshot.kit.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parser that checks every member name and string value as it is read, whatever will hold it (a record
 * field, a list, a map key, a free-form {@code JsonNode}): text must pass {@link UnicodeText}, and an object must
 * not name a member twice (Jackson would keep the last one silently). Each refusal names the field's path.
 */
final class CheckedJsonParser extends JsonParserDelegate {

    /** Member names seen in each open object, innermost first. */
    private final Deque<Set<String>> members = new ArrayDeque<>();

    CheckedJsonParser(JsonParser delegate) {
        super(delegate);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = delegate.nextToken();
        if (token == null) {
            return null;
        }
        switch (token) {
            case START_OBJECT -> members.push(new HashSet<>());
            case END_OBJECT -> members.poll();
            case FIELD_NAME -> checkName(delegate.currentName());
            case VALUE_STRING -> checkValue(delegate.getText());
            default -> {}
        }
        return token;
    }

    /** As {@link JsonParser#nextValue()}, but through {@link #nextToken()} so member names are checked too. */
    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        boolean object = delegate.currentToken() == JsonToken.START_OBJECT;
        delegate.skipChildren();
        if (object) {
            members.poll();
        }
        return this;
    }

    private void checkName(String name) throws InvalidJsonInputException {
        String problem = UnicodeText.problem(name);
        String container = path(delegate.getParsingContext().getParent());
        if (problem != null) {
            throw new InvalidJsonInputException(
                    this,
                    container,
                    "text",
                    "a member name " + (container.isEmpty() ? "of the body" : "in " + container) + " " + problem);
        }
        Set<String> seen = members.peek();
        if (seen != null && !seen.add(name)) {
            String field = path(delegate.getParsingContext());
            throw new InvalidJsonInputException(
                    this, field, "duplicate-member", field + " is given more than once; give each member once");
        }
    }

    private void checkValue(String text) throws InvalidJsonInputException {
        String problem = UnicodeText.problem(text);
        if (problem != null) {
            String field = path(delegate.getParsingContext());
            throw new InvalidJsonInputException(
                    this, field, "text", (field.isEmpty() ? "the body" : field) + " " + problem);
        }
    }

    /** The dotted path of a parsing context, such as {@code file.columns[0].label}; empty at the root. */
    static String path(JsonStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.add("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                segments.add("." + UnicodeText.printable(c.getCurrentName()));
            }
        }
        StringBuilder path = new StringBuilder();
        for (int i = segments.size() - 1; i >= 0; i--) {
            path.append(segments.get(i));
        }
        return path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    /** Makes {@link CheckedJsonParser}s, with the configuration of the factory it copies. */
    static final class Factory extends JsonFactory {

        private static final long serialVersionUID = 1L;

        Factory(JsonFactory source) {
            super(source, null);
        }

        @Override
        public JsonFactory copy() {
            return new Factory(this);
        }

        @Override
        protected JsonParser _createParser(InputStream in, IOContext ctxt) throws IOException {
            return new CheckedJsonParser(super._createParser(in, ctxt));
        }

        @Override
        protected JsonParser _createParser(Reader r, IOContext ctxt) throws IOException {
            return new CheckedJsonParser(super._createParser(r, ctxt));
        }

        @Override
        protected JsonParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable)
                throws IOException {
            return new CheckedJsonParser(super._createParser(data, offset, len, ctxt, recyclable));
        }

        @Override
        protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
            return new CheckedJsonParser(super._createParser(data, offset, len, ctxt));
        }

        @Override
        protected JsonParser _createParser(DataInput input, IOContext ctxt) throws IOException {
            return new CheckedJsonParser(super._createParser(input, ctxt));
        }
    }
}
