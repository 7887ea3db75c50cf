package io.mailshot.extraction.service.file;

import io.mailshot.events.FileColumn;
import io.mailshot.events.FileFormatRules;
import io.mailshot.events.RunSpec;
import io.mailshot.events.SeedRecord;
import io.mailshot.events.SortKey;
import io.mailshot.events.files.NameRuleException;
import io.mailshot.events.files.NameTemplate;
import io.mailshot.events.files.PathRules;
import io.mailshot.extraction.service.expression.CompiledExpression;
import io.mailshot.extraction.service.expression.ExpressionContext;
import io.mailshot.extraction.service.expression.ExpressionException;
import io.mailshot.extraction.service.expression.ExpressionLimitException;
import io.mailshot.extraction.service.expression.Expressions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to render one run's rows, checked and compiled once when the run starts: the layout,
 * each column's value (attribute path or compiled expression), the seeds, the sort order and the part names.
 * Rendering a row applies, in order: value, formula neutralisation, encoding (transliterate or reject), fixed
 * width overflow, and the check that the format can represent the value.
 */
public final class RunPlan {

    private static final int MAX_WIDTH = 4096;

    /** Where seed records go in each part. */
    public enum SeedPlacement {
        START,
        END,
        SORTED
    }

    /** One column: how to get its value and, for fixed width, how to lay it out. */
    public record Column(
            String label,
            int fieldIndex,
            CompiledExpression expression,
            int width,
            boolean rightAlign,
            String pad,
            boolean rejectOverflow) {}

    private final Layout layout;
    private final List<Column> columns;
    /** The columns again, as an array for the per-row loop. */
    private final Column[] columnArray;

    private final boolean neutralise;
    /** Whether the encoding takes every character (UTF-8): nothing to check per value. */
    private final boolean anyCharacter;

    private final CharsetFitter fitter;
    private final String fileNameTemplate;
    /** Set once by {@link #of}, after the checks. */
    private String folder;

    private final Integer splitEvery;
    /** At most this many bytes per part as staged before compression; null means no cap. */
    private Long splitMaxBytes;
    /** The column whose value splits the run into file sets (the leading sort key), or -1. */
    private int splitColumn = -1;

    private final SeedPlacement seedPlacement;
    private final List<Row> seeds;
    /** The spill's order: the split column first when the run is split by a field, then the sort keys. */
    private final RowOrder order;
    /** The sort keys alone (what seeds are placed by within a part), or null for stream order. */
    private final RowOrder seedOrder;
    /** The column of each sort key, in key order (none for stream order). */
    private final int[] keyColumns;

    private final RecordEncoder encoder;
    private final String[] labels;
    private final List<String> headerNotes;
    private final List<String> footerNotes;
    private long transliterated;
    /** Why the last row was rejected; set together with returning {@link #REJECTED}. */
    private String rejection;

    /** Identity marker a cell check returns for a rejected row (never equal by identity to a real value). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String REJECTED = new String("rejected");

    private RunPlan(
            Layout layout,
            List<Column> columns,
            String fileNameTemplate,
            Integer splitEvery,
            SeedPlacement seedPlacement,
            RowOrder order) {
        this.layout = layout;
        this.columns = columns;
        this.columnArray = columns.toArray(new Column[0]);
        this.neutralise = layout.neutraliseFormulas();
        this.fitter = CharsetFitter.of(layout.encoding().charset);
        this.anyCharacter = fitter.canEncodeEverything();
        this.fileNameTemplate = fileNameTemplate;
        this.splitEvery = splitEvery;
        this.seedPlacement = seedPlacement;
        this.order = order;
        this.seedOrder = order == null ? null : order.withoutSplit();
        this.keyColumns = order == null ? new int[0] : order.indexes();
        this.encoder = new RecordEncoder(layout, columns);
        this.seeds = new ArrayList<>();
        this.labels = new String[columns.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = fitter.transliterate(columns.get(i).label());
        }
        this.headerNotes =
                layout.headerNotes().stream().map(fitter::transliterate).toList();
        this.footerNotes =
                layout.footerNotes().stream().map(fitter::transliterate).toList();
    }

    /**
     * Checks and compiles a run's file definition.
     *
     * @param fields the attribute paths each row carries, in the order of its values
     * @throws PlanException naming what is wrong (column, expression position, setting)
     */
    public static RunPlan of(
            RunSpec spec,
            List<String> fields,
            String campaignName,
            String campaignId,
            String runId,
            LocalDate runDate,
            boolean defaultNeutralise)
            throws PlanException {
        if (spec == null) {
            throw new PlanException("the profile stream carries no file spec");
        }
        checkFileName(spec.fileName(), spec.splitBy() != null);
        checkFolder(spec.folder());
        if (spec.columns() == null || spec.columns().isEmpty()) {
            throw new PlanException("the file has no columns");
        }
        Layout layout;
        try {
            layout = Layout.of(spec.format(), defaultNeutralise);
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        // Labels and pads: the campaign-service refused them when the campaign was saved; an event is not trusted.
        List<FileFormatRules.Violation> broken = FileFormatRules.check(spec.format(), spec.columns());
        if (!broken.isEmpty()) {
            throw new PlanException(Layout.describe(broken.get(0)));
        }
        List<String> streamed = fields == null ? List.of() : fields;
        ExpressionContext context = new ExpressionContext(
                streamed,
                spec.constants(),
                campaignName,
                campaignId,
                runId,
                runDate,
                layout.dateFormat(),
                layout.numberFormat());
        List<Column> columns = new ArrayList<>();
        for (FileColumn c : spec.columns()) {
            columns.add(column(c, streamed, context, layout));
        }
        Integer split = spec.splitEvery();
        if (split != null && split < 1) {
            throw new PlanException("splitEvery must be at least 1");
        }
        Long maxBytes = spec.splitMaxBytes();
        if (maxBytes != null && maxBytes < 1) {
            throw new PlanException("splitMaxBytes must be at least 1");
        }
        int splitColumn = -1;
        if (spec.splitBy() != null) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).label().equals(spec.splitBy())) {
                    splitColumn = i;
                    break;
                }
            }
            if (splitColumn < 0) {
                throw new PlanException("splitBy '" + spec.splitBy() + "' is not a column label");
            }
        }
        SeedPlacement placement;
        try {
            placement =
                    spec.seedPlacement() == null ? SeedPlacement.START : SeedPlacement.valueOf(spec.seedPlacement());
        } catch (IllegalArgumentException e) {
            throw new PlanException("seedPlacement must be START, END or SORTED");
        }
        RunPlan plan = new RunPlan(
                layout,
                List.copyOf(columns),
                spec.fileName(),
                split,
                placement,
                order(spec.sort(), columns, splitColumn));
        plan.folder = spec.folder();
        plan.splitMaxBytes = maxBytes;
        plan.splitColumn = splitColumn;
        if (spec.seeds() != null) {
            plan.addSeeds(spec.seeds());
        }
        return plan;
    }

    /**
     * The run folder is rendered by the campaign-service, but an event is never trusted: it must stay under the
     * routing's base folder on every kind of store (the contract's {@link PathRules#checkFolder}).
     */
    static void checkFolder(String folder) throws PlanException {
        if (folder == null) {
            return;
        }
        try {
            PathRules.checkFolder(folder);
        } catch (NameRuleException e) {
            throw new PlanException("the folder " + e.getMessage());
        }
    }

    /** The run's folder under the routing's base folder, or null for the base folder itself. */
    public String folder() {
        return folder;
    }

    private static void checkFileName(String name, boolean splitByField) throws PlanException {
        try {
            NameTemplate.checkRunFileName(name, splitByField);
        } catch (NameRuleException e) {
            throw new PlanException(e.getMessage());
        }
    }

    private static Column column(FileColumn c, List<String> fields, ExpressionContext context, Layout layout)
            throws PlanException {
        if (c == null || c.label() == null) {
            throw new PlanException("a column has no label");
        }
        String label = c.label();
        CompiledExpression expression = null;
        int index = -1;
        if (c.expression() != null) {
            try {
                expression = Expressions.compile(c.expression(), context);
            } catch (ExpressionException e) {
                throw new PlanException(
                        "column '" + label + "': expression error at position " + e.position() + ": " + e.getMessage());
            }
        } else if (c.path() == null) {
            throw new PlanException("column '" + label + "' has neither a path nor an expression");
        } else {
            index = fields.indexOf(c.path());
            if (index < 0) {
                throw new PlanException(
                        "column '" + label + "' reads '" + c.path() + "', which the profile stream does not carry");
            }
        }
        int width = 0;
        boolean right = false;
        String pad = " ";
        boolean reject = false;
        if (layout.type() == Layout.Type.FIXED_WIDTH) {
            if (c.width() == null || c.width() < 1 || c.width() > MAX_WIDTH) {
                throw new PlanException(
                        "column '" + label + "' needs a width from 1 to " + MAX_WIDTH + " in a fixed-width file");
            }
            width = c.width();
            String align = c.align() == null ? "LEFT" : c.align();
            if (!align.equals("LEFT") && !align.equals("RIGHT")) {
                throw new PlanException("column '" + label + "': align must be LEFT or RIGHT");
            }
            right = align.equals("RIGHT");
            if (c.pad() != null) {
                pad = c.pad(); // one encodable character that is no line break: FileFormatRules
            }
            String overflow = c.overflow() == null ? "TRUNCATE" : c.overflow();
            if (!overflow.equals("TRUNCATE") && !overflow.equals("REJECT_ROW")) {
                throw new PlanException("column '" + label + "': overflow must be TRUNCATE or REJECT_ROW");
            }
            reject = overflow.equals("REJECT_ROW");
        }
        return new Column(label, index, expression, width, right, pad, reject);
    }

    /**
     * The spill's order. A run split by a field is grouped by the split column's value through the same external
     * sort: it is the leading key (ascending), the sort keys follow, so each file set's rows come together and in
     * the file's order, and memory stays bounded by the sort's chunk whatever the number of values.
     */
    private static RowOrder order(List<SortKey> sortKeys, List<Column> columns, int splitColumn) throws PlanException {
        List<SortKey> keys = sortKeys == null ? List.of() : sortKeys;
        int lead = splitColumn >= 0 ? 1 : 0;
        if (keys.isEmpty() && lead == 0) {
            return null;
        }
        int[] indexes = new int[lead + keys.size()];
        boolean[] descending = new boolean[lead + keys.size()];
        if (lead == 1) {
            indexes[0] = splitColumn;
        }
        for (int s = 0; s < keys.size(); s++) {
            int k = lead + s;
            SortKey key = keys.get(s);
            int index = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).label().equals(key.column())) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                throw new PlanException("sort column '" + key.column() + "' is not a column label");
            }
            String direction = key.direction() == null ? "ASC" : key.direction();
            if (!direction.equals("ASC") && !direction.equals("DESC")) {
                throw new PlanException("sort direction of '" + key.column() + "' must be ASC or DESC");
            }
            indexes[k] = index;
            descending[k] = direction.equals("DESC");
        }
        return new RowOrder(indexes, descending, lead, 0);
    }

    /**
     * The sort keys in turn, then stream order, so equal keys keep their order (stable). One loop rather than
     * a chain of {@code thenComparing} lambdas: every spilled row passes through it a dozen times in the merge
     * (a chunk is sorted on the prefixes, see {@link PrefixSort}, and only its ties come here). The first key
     * is compared on the rows' prefixes ({@link #prefix}), its text only when they tie without settling it.
     * {@code indexes} are the keys' columns; a row carries its keys' cells in key order.
     */
    private record RowOrder(int[] indexes, boolean[] descending, int splitKeys, int from)
            implements PrefixSort.PrefixOrder {

        /**
         * The same rows ordered by the sort keys alone, skipping the split key ({@code from} 1: the prefix, which is
         * the split value's, no longer settles anything); null when only the split key orders the rows.
         */
        RowOrder withoutSplit() {
            if (splitKeys == 0) {
                return this;
            }
            return descending.length == splitKeys ? null : new RowOrder(indexes, descending, splitKeys, splitKeys);
        }

        @Override
        public boolean prefixDescending() {
            return descending[0];
        }

        @Override
        public int compare(Row a, Row b) {
            String[] x = a.keys();
            String[] y = b.keys();
            int start = from;
            if (from == 0) {
                int c = Long.compareUnsigned(a.prefix(), b.prefix());
                if (c == 0 && (a.prefix() & 0xFF) > PREFIX_BYTES) {
                    c = compareText(x[0], y[0]);
                }
                if (c != 0) {
                    return descending[0] ? -c : c;
                }
                start = 1;
            }
            for (int k = start; k < descending.length; k++) {
                int c = compareText(x[k], y[k]);
                if (c != 0) {
                    return descending[k] ? -c : c;
                }
            }
            return Long.compare(a.seq(), b.seq());
        }
    }

    /** Bytes of the first key a prefix holds; its low byte holds their count. */
    private static final int PREFIX_BYTES = 7;

    /**
     * The text order of {@code key} (null as empty) in one long compared unsigned: its UTF-16 code units coded
     * as UTF-8 codes characters below U+10000 (1 to 3 bytes each; a prefix-free code whose byte order is the
     * code-unit order, surrogates included), the first {@value #PREFIX_BYTES} bytes from the top, zero-padded,
     * then in the low byte the coded length, or 8 when longer. Two prefixes that differ order their keys as
     * {@link #compareText} does; equal prefixes with a length of at most {@value #PREFIX_BYTES} are equal keys
     * (a five-digit postal code, say), and only longer ones need their texts compared.
     */
    static long prefix(String key) {
        long prefix = 0;
        int coded = 0;
        int length = key == null ? 0 : key.length();
        for (int i = 0; i < length && coded <= PREFIX_BYTES; i++) {
            char c = key.charAt(i);
            int bytes;
            int code;
            if (c < 0x80) {
                bytes = 1;
                code = c;
            } else if (c < 0x800) {
                bytes = 2;
                code = (0xC0 | c >> 6) << 8 | 0x80 | c & 0x3F;
            } else {
                bytes = 3;
                code = (0xE0 | c >> 12) << 16 | (0x80 | c >> 6 & 0x3F) << 8 | 0x80 | c & 0x3F;
            }
            for (int b = bytes - 1; b >= 0; b--) {
                if (coded < PREFIX_BYTES) {
                    prefix |= (long) (code >>> 8 * b & 0xFF) << 8 * (7 - coded);
                }
                coded++;
            }
        }
        return prefix | Math.min(coded, PREFIX_BYTES + 1);
    }

    /** Text order (UTF-16 code units); an empty value sorts first. */
    private static int compareText(String a, String b) {
        return (a == null ? "" : a).compareTo(b == null ? "" : b);
    }

    private void addSeeds(List<SeedRecord> records) throws PlanException {
        for (int s = 0; s < records.size(); s++) {
            SeedRecord seed = records.get(s);
            Map<String, String> values = seed == null || seed.values() == null ? Map.of() : seed.values();
            for (String label : values.keySet()) {
                if (columns.stream().noneMatch(c -> c.label().equals(label))) {
                    throw new PlanException("seed record " + (s + 1) + " names '" + label + "', which is not a column");
                }
            }
            String[] cells = new String[columns.size()];
            for (int i = 0; i < cells.length; i++) {
                Column column = columns.get(i);
                try {
                    cells[i] = fit(values.get(column.label()), column, "seed record ", s + 1);
                } catch (RowFailure e) {
                    throw new PlanException(e.getMessage());
                }
                if (cells[i] == REJECTED) {
                    throw new PlanException(
                            "seed record " + (s + 1) + ", column '" + column.label() + "': " + rejection);
                }
            }
            seeds.add(row(s - records.size(), cells));
        }
        if (seedOrder != null) {
            seeds.sort(seedOrder);
        }
    }

    /**
     * Renders one profile's row.
     *
     * @param seq the profile's position in the stream (named in reasons)
     * @param values the row's values, aligned with the stream's fields
     * @return the cells, or null when the row is rejected ({@link #rejection()} says why): a value the encoding
     *     cannot hold under REJECT_ROW, a fixed-width overflow under REJECT_ROW, or a value that breaks a bound of
     *     an expression
     * @throws RowFailure when a value cannot be represented by the format at all
     */
    public String[] render(long seq, List<String> values) throws RowFailure {
        Column[] columns = columnArray;
        String[] cells = new String[columns.length];
        int size = values == null ? 0 : values.size();
        for (int i = 0; i < cells.length; i++) {
            Column column = columns[i];
            CompiledExpression expression = column.expression();
            String value;
            if (expression != null) {
                try {
                    value = expression.evaluate(values);
                } catch (ExpressionLimitException e) {
                    // A value broke a bound of the expression language: this row only, never the run.
                    rejection = "row " + seq + ", column '" + column.label() + "': " + e.getMessage();
                    return null;
                }
            } else {
                int index = column.fieldIndex();
                value = index < size ? values.get(index) : null;
            }
            String cell = fit(value, column, "row ", seq);
            if (cell == REJECTED) {
                rejection = "row " + seq + ", column '" + column.label() + "': " + rejection;
                return null;
            }
            cells[i] = cell;
        }
        return cells;
    }

    /**
     * A rendered row as it is spilled and written: its record encoded once, in the part's layout, and its
     * sort-key cells.
     *
     * @param seq its position in the file's order (stream position, seeds before)
     * @param cells what {@link #render} returned
     */
    public Row row(long seq, String[] cells) {
        String[] keys = new String[keyColumns.length];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = cells[keyColumns[k]];
        }
        return new Row(seq, keys.length == 0 ? 0 : prefix(keys[0]), keys, encoder.record(cells));
    }

    /** Encodes header and notes the way {@link #row} encodes records. */
    RecordEncoder encoder() {
        return encoder;
    }

    /** Why the last rendered row was rejected. */
    public String rejection() {
        return rejection;
    }

    /** One cell through the pipeline; {@code where + number} names the row only when something is wrong. */
    private String fit(String value, Column column, String where, long number) throws RowFailure {
        if (value == null || value.isEmpty()) {
            return value;
        }
        String v = value;
        if (neutralise && isFormulaStart(v.charAt(0))) {
            v = "'" + v;
        }
        if (!anyCharacter && !fitter.canEncode(v)) {
            if (layout.rejectUnencodable()) {
                rejection = "a character cannot be encoded in " + layout.encoding();
                return REJECTED;
            }
            v = fitter.transliterate(v);
            transliterated++;
        }
        if (layout.type() == Layout.Type.FIXED_WIDTH) {
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                throw new RowFailure(where + number + ", column '" + column.label()
                        + "': the value holds a line break, which a fixed-width file cannot represent");
            }
            int length = v.codePointCount(0, v.length());
            if (length > column.width()) {
                if (column.rejectOverflow()) {
                    rejection = "the value is longer than the column width " + column.width();
                    return REJECTED;
                }
                v = v.substring(0, v.offsetByCodePoints(0, column.width()));
            }
        } else if (layout.quote() == null
                && (v.indexOf(layout.delimiter()) >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0)) {
            throw new RowFailure(where + number + ", column '" + column.label()
                    + "': the value holds the delimiter or a line break, and the format has no quoting");
        }
        return v;
    }

    private static boolean isFormulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** The name of part {@code part} (from 1), compression suffix included. */
    public String partName(int part) {
        return partName(part, splitsByField() ? "" : null);
    }

    /**
     * The name of part {@code part} (from 1) of the file set of {@code splitValue} (null when the run is not split
     * by a field), compression suffix included. Parts are numbered when they are capped (by rows or by size).
     */
    public String partName(int part, String splitValue) {
        return NameTemplate.partName(
                fileNameTemplate,
                part,
                splitEvery != null || splitMaxBytes != null,
                layout.compression().suffix,
                splitValue);
    }

    /** The manifests' names: no part may take one. */
    public List<String> manifestNames() {
        return List.of(NameTemplate.manifestJsonName(fileNameTemplate), NameTemplate.manifestCsvName(fileNameTemplate));
    }

    /** Whether the run has one file set per value of a column. */
    public boolean splitsByField() {
        return splitColumn >= 0;
    }

    /**
     * The split value a row shows (its rendered cell in the split column, {@code ""} when it shows nothing), or null
     * when the run is not split by a field. The split column is the leading key of every row.
     */
    public String splitValue(Row row) {
        if (splitColumn < 0) {
            return null;
        }
        String value = row.keys()[0];
        return value == null ? "" : value;
    }

    /** At most this many bytes per part as staged before compression; null means no cap. */
    public Long splitMaxBytes() {
        return splitMaxBytes;
    }

    /** The file name as the campaign rendered it, {@code {part}} placeholders left in. */
    public String fileName() {
        return fileNameTemplate;
    }

    public Layout layout() {
        return layout;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Header labels, made encodable. */
    public String[] labels() {
        return labels.clone();
    }

    public List<String> headerNotes() {
        return headerNotes;
    }

    public List<String> footerNotes() {
        return footerNotes;
    }

    /** The seed rows, already rendered (in sort order when the file is sorted). */
    public List<Row> seeds() {
        return List.copyOf(seeds);
    }

    public SeedPlacement seedPlacement() {
        return seedOrder == null && seedPlacement == SeedPlacement.SORTED ? SeedPlacement.START : seedPlacement;
    }

    /**
     * The spill's order (stable on stream position), or null for stream order: the split value first when the run
     * is split by a field, then the sort keys.
     */
    public Comparator<Row> order() {
        return order;
    }

    /** The sort keys' order within a part (split value left out), for sorted seeds; null for stream order. */
    public Comparator<Row> seedOrder() {
        return seedOrder;
    }

    /** At most this many profile rows per part; null means one part. */
    public Integer splitEvery() {
        return splitEvery;
    }

    /** How many values were transliterated so far. */
    public long transliterated() {
        return transliterated;
    }
}
