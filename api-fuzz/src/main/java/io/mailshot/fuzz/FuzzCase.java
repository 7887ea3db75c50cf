package io.mailshot.fuzz;

import java.util.Set;

/**
 * One malformed request and what its answer must be.
 *
 * @param name what is wrong with the request, for the report
 * @param path the path with its query, already percent-encoded as it goes on the wire
 * @param contentType null sends no Content-Type
 * @param body null sends no body
 * @param declaredLength when not null, the request is sent by hand announcing this Content-Length (far more than
 *     it sends): the answer must come from the headers alone
 * @param expect the statuses allowed (empty: any status below 500) and the field the problem must name
 */
public record FuzzCase(
        String name,
        String method,
        String path,
        String contentType,
        String accept,
        byte[] body,
        Long declaredLength,
        Expect expect) {

    /**
     * What the answer must be beyond the rules for every answer (never a 5xx; a 4xx is a problem+json whose
     * {@code status} is the HTTP status and whose {@code detail} is not empty).
     *
     * @param statuses the statuses allowed; empty means any below 500
     * @param field the field or parameter the problem must name (its {@code field}, or one of its
     *     {@code errors}); null when any will do
     */
    public record Expect(Set<Integer> statuses, String field) {

        /** Any answer below 500. */
        public static Expect anyClientOutcome() {
            return new Expect(Set.of(), null);
        }

        /** Exactly {@code status}. */
        public static Expect status(int status) {
            return new Expect(Set.of(status), null);
        }

        /** A 400 naming {@code field}. */
        public static Expect refused(String field) {
            return new Expect(Set.of(400), field);
        }
    }

    /** The same request with another Accept header. */
    public FuzzCase withAccept(String value) {
        return new FuzzCase(name, method, path, contentType, value, body, declaredLength, expect);
    }

    @Override
    public String toString() {
        return name + " [" + method + " " + abbreviate(path) + "]";
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
