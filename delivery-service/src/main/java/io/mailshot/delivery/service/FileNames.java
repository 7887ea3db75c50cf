package io.mailshot.delivery.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Delivered file names with the routing option {@code timestampFileNames}: the delivery's UTC time goes before the
 * extension, and before every wrapping extension too ({@code mail-001.csv.gz} → {@code mail-001_20261128T180436Z.csv.gz},
 * {@code x.manifest.json} → {@code x_20261128T180436Z.manifest.json}), so the name still says what the content is.
 */
public final class FileNames {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Extensions that wrap the content type: compression and encryption. */
    private static final List<String> WRAPPERS = List.of(".gz", ".zip", ".bz2", ".xz", ".zst", ".pgp", ".gpg", ".asc");
    private static final Pattern EXTENSION = Pattern.compile("^\\.[A-Za-z0-9]{1,8}$");
    private static final String MANIFEST = ".manifest";

    private FileNames() {
    }

    /** The stamp of a delivery created at {@code createdAt}, e.g. {@code 20261128T180436Z}. */
    public static String stamp(Instant createdAt) {
        return STAMP.format(createdAt);
    }

    /** {@code name} with {@code _<stamp>} before its extensions; {@code name} itself when {@code stamp} is null. */
    public static String stamped(String name, String stamp) {
        if (stamp == null) {
            return name;
        }
        String stem = name;
        String suffix = "";
        boolean peeled = true;
        while (peeled) {
            peeled = false;
            for (String wrapper : WRAPPERS) {
                if (stem.toLowerCase(Locale.ROOT).endsWith(wrapper) && stem.length() > wrapper.length()) {
                    suffix = stem.substring(stem.length() - wrapper.length()) + suffix;
                    stem = stem.substring(0, stem.length() - wrapper.length());
                    peeled = true;
                    break;
                }
            }
        }
        int dot = stem.lastIndexOf('.');
        if (dot > 0 && EXTENSION.matcher(stem.substring(dot)).matches()) {
            suffix = stem.substring(dot) + suffix;
            stem = stem.substring(0, dot);
            if (stem.toLowerCase(Locale.ROOT).endsWith(MANIFEST) && stem.length() > MANIFEST.length()) {
                suffix = stem.substring(stem.length() - MANIFEST.length()) + suffix;
                stem = stem.substring(0, stem.length() - MANIFEST.length());
            }
        }
        return stem + "_" + stamp + suffix;
    }
}
