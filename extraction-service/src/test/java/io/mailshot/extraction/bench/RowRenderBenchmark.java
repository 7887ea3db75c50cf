package io.mailshot.extraction.bench;

import io.mailshot.events.FileColumn;
import io.mailshot.events.RunSpec;
import io.mailshot.extraction.service.file.CsvWriter;
import io.mailshot.extraction.service.file.FileAssembler;
import io.mailshot.extraction.service.file.RunPlan;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The row renderer in isolation: the bench's 12-column row (three personalised with upper, concat and
 * formatDate) rendered and written as CSV through the writer a real part gets ({@link FileAssembler#csvWriter})
 * onto a SHA-256 digest, as a real part is; the set-up checks that writer's bytes against the JDK encoder's.
 * One thread, so the score is rows per second per core. Run with {@code ./mailshot bench --jmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RowRenderBenchmark {

    private static final List<String> FIELDS = List.of(
            "identity.id",
            "person.name.title",
            "person.name.lastName",
            "person.name.firstName",
            "homeAddress.street1",
            "homeAddress.street2",
            "homeAddress.street3",
            "homeAddress.street4",
            "homeAddress.postalCode",
            "homeAddress.city",
            "homeAddress.countryCode",
            "attributes.birthDate",
            "attributes.loyalty.tier");

    private RunPlan plan;
    private CsvWriter writer;
    private List<List<String>> rows;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<FileColumn> columns = List.of(
                new FileColumn("Customer ID", "identity.id"),
                new FileColumn("Title", "person.name.title"),
                new FileColumn("Last name", null, "upper(person.name.lastName)", null, null, null, null),
                new FileColumn(
                        "Full name",
                        null,
                        "concat(person.name.firstName, \" \", person.name.lastName)",
                        null,
                        null,
                        null,
                        null),
                new FileColumn("Address 1", "homeAddress.street1"),
                new FileColumn("Address 2", "homeAddress.street2"),
                new FileColumn("Address 3", "homeAddress.street3"),
                new FileColumn("Address 4", "homeAddress.street4"),
                new FileColumn("Postal code", "homeAddress.postalCode"),
                new FileColumn("City", "homeAddress.city"),
                new FileColumn(
                        "Birth date", null, "formatDate(attributes.birthDate, \"dd/MM/yyyy\")", null, null, null, null),
                new FileColumn("Loyalty tier", "attributes.loyalty.tier"));
        RunSpec spec = new RunSpec(
                "bench.csv",
                columns,
                UUID.randomUUID(),
                "crmId",
                null,
                null,
                null,
                null,
                null,
                FIELDS,
                null,
                null,
                null,
                null);
        plan = RunPlan.of(
                spec,
                FIELDS,
                "Bench",
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                LocalDate.now(),
                true);
        rows = new ArrayList<>();
        String[] last = {"O'Brien", "Müller", "Dubois", "García", "Kowalski", "Nørgaard", "Le Gall", "Côté"};
        String[] first = {"Zoë", "José", "Łukasz", "Anaïs", "Seán", "Jürgen", "Margaux", "Chloé"};
        for (int i = 0; i < 1024; i++) {
            rows.add(List.of(
                    String.format("C%08d", i),
                    "Ms",
                    last[i % last.length],
                    first[i % first.length],
                    (i % 200) + " rue de l'Église",
                    "Bât. B, apt " + i % 90,
                    "c/o " + first[(i + 3) % first.length],
                    "",
                    String.format("%05d", i * 37 % 100_000),
                    "Saint-Étienne",
                    "FR",
                    String.format("19%02d-%02d-%02d", 40 + i % 60, 1 + i % 12, 1 + i % 28),
                    "gold"));
        }
        checkBytes();
        // The writer a real part gets for this layout, onto a SHA-256 digest as a real part is.
        writer = FileAssembler.csvWriter(
                new DigestOutputStream(OutputStream.nullOutputStream(), sha256()), plan.layout());
    }

    /**
     * The measured writer must produce the bytes the JDK's encoder produces for the same rows (the writer's
     * character path behind an {@link OutputStreamWriter}); a faster writer writing other bytes would not count.
     */
    private void checkBytes() throws Exception {
        MessageDigest measured = sha256();
        MessageDigest reference = sha256();
        try (CsvWriter fast = FileAssembler.csvWriter(
                        new DigestOutputStream(OutputStream.nullOutputStream(), measured), plan.layout());
                CsvWriter jdk = new CsvWriter(
                        new BufferedWriter(new OutputStreamWriter(
                                new DigestOutputStream(OutputStream.nullOutputStream(), reference),
                                StandardCharsets.UTF_8)),
                        ',',
                        '"',
                        false,
                        "\n",
                        false)) {
            for (int i = 0; i < rows.size(); i++) {
                String[] cells = plan.render(i, rows.get(i));
                fast.record(cells);
                jdk.record(cells);
            }
        }
        if (!MessageDigest.isEqual(measured.digest(), reference.digest())) {
            throw new IllegalStateException("the measured writer's bytes differ from the JDK encoder's");
        }
    }

    private static MessageDigest sha256() throws Exception {
        return MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    public void renderAndWriteOneRow() throws Exception {
        String[] cells = plan.render(++seq, rows.get((int) (seq & 1023)));
        writer.record(cells);
    }
}
