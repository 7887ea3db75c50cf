package io.mailshot.audience.service.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailshot.audience.persistence.AttributePath;
import io.mailshot.kit.domain.DomainException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the columns of a CSV upload become a profile document: a JSON object from header name to target
 * path ({@code "CRM ID": "identity.id"}, {@code "Points": "attributes.loyalty.points:number"}). A target is a
 * dotted path with an optional {@code :number} or {@code :boolean} type; unmapped columns are ignored, empty
 * cells leave the field out. The built document then goes through the same validation as an NDJSON line.
 */
final class CsvMapping {

    private static final Pattern NUMBER = Pattern.compile("^-?[0-9]+([.][0-9]+)?([eE][+-]?[0-9]{1,3})?$");

    /** One mapped column. */
    record Target(String header, String[] path, String type) {}

    private final List<Target> targets;
    private final String namespace;
    private int[] columns;

    private CsvMapping(List<Target> targets, String namespace) {
        this.targets = targets;
        this.namespace = namespace;
    }

    /** Parses and checks the mapping; refuses it with a problem naming the {@code mapping} parameter. */
    static CsvMapping parse(String mapping, String namespace, ObjectMapper json) {
        if (mapping == null || mapping.isBlank()) {
            throw DomainException.invalid(
                    "mapping",
                    "required",
                    "mapping is required: a JSON object from CSV header"
                            + " to profile path, e.g. {\"CRM ID\":\"identity.id\",\"Last name\":\"person.name.lastName\"}");
        }
        JsonNode root;
        try {
            root = json.readTree(mapping);
        } catch (Exception e) {
            throw DomainException.invalid("mapping", "json", "mapping is not valid JSON");
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw DomainException.invalid("mapping", "object", "mapping must be a non-empty JSON object");
        }
        List<Target> targets = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw DomainException.invalid("mapping", "target", "every mapping target must be a string path");
            }
            String target = e.getValue().textValue();
            String type = "string";
            int colon = target.indexOf(':');
            if (colon >= 0) {
                type = target.substring(colon + 1);
                target = target.substring(0, colon);
                if (!type.equals("number") && !type.equals("boolean") && !type.equals("string")) {
                    throw DomainException.invalid(
                            "mapping", "type", "a mapping type must be :string, :number or" + " :boolean");
                }
            }
            if (!AttributePath.isValid(target)) {
                throw DomainException.invalid(
                        "mapping",
                        "Pattern",
                        "mapping targets must be dotted attribute paths of" + " letters, digits and underscores");
            }
            for (String other : paths) {
                if (other.equals(target) || other.startsWith(target + ".") || target.startsWith(other + ".")) {
                    throw DomainException.invalid(
                            "mapping", "conflict", "two mapping targets overlap: " + other + " and " + target);
                }
            }
            paths.add(target);
            targets.add(new Target(e.getKey(), target.split("\\."), type));
        }
        if (!paths.contains("identity.id")) {
            throw DomainException.invalid("mapping", "identity", "a column must map to identity.id");
        }
        if (!paths.contains("identity.namespace") && (namespace == null || namespace.isBlank())) {
            throw DomainException.invalid(
                    "namespace", "required", "give the namespace parameter or map a column to" + " identity.namespace");
        }
        return new CsvMapping(targets, paths.contains("identity.namespace") ? null : namespace);
    }

    /** Binds the mapping to the header record; refuses a mapped header that is missing or repeated. */
    void header(List<String> header) {
        columns = new int[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            String wanted = targets.get(i).header();
            int found = -1;
            for (int j = 0; j < header.size(); j++) {
                if (header.get(j).strip().equals(wanted)) {
                    if (found >= 0) {
                        throw DomainException.invalid(
                                "mapping",
                                "header",
                                "a mapped header appears twice in the CSV" + " header: " + abbreviate(wanted));
                    }
                    found = j;
                }
            }
            if (found < 0) {
                throw DomainException.invalid(
                        "mapping", "header", "a mapped header is not in the CSV header: " + abbreviate(wanted));
            }
            columns[i] = found;
        }
    }

    /** The profile document of one record, or a reason (never quoting cell values). */
    Object document(List<String> record, int headerSize, ObjectMapper json) {
        if (record.size() != headerSize) {
            return "record has " + record.size() + " fields, the header has " + headerSize;
        }
        ObjectNode root = json.createObjectNode();
        if (namespace != null) {
            root.putObject("identity").put("namespace", namespace);
        }
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            String cell = record.get(columns[i]);
            if (cell.isEmpty()) {
                continue;
            }
            ObjectNode parent = root;
            for (int s = 0; s < t.path().length - 1; s++) {
                JsonNode child = parent.get(t.path()[s]);
                parent = child instanceof ObjectNode o ? o : parent.putObject(t.path()[s]);
            }
            String leaf = t.path()[t.path().length - 1];
            switch (t.type()) {
                case "number" -> {
                    String v = cell.strip();
                    if (!NUMBER.matcher(v).matches()) {
                        return "column " + abbreviate(t.header()) + " must be a number";
                    }
                    parent.put(leaf, new BigDecimal(v));
                }
                case "boolean" -> {
                    String v = cell.strip().toLowerCase(Locale.ROOT);
                    if (!v.equals("true") && !v.equals("false")) {
                        return "column " + abbreviate(t.header()) + " must be true or false";
                    }
                    parent.put(leaf, v.equals("true"));
                }
                default -> parent.put(leaf, cell);
            }
        }
        return root;
    }

    static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
