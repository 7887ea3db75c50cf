package io.mailshot.audience.service.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Profiles stored before the dedup keys existed (keys_version null) get their keys computed. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class KeyBackfillTest {

    @Inject
    KeyBackfill backfill;

    @Inject
    DataSource dataSource;

    @Test
    void staleRowsGetTheirKeys() throws Exception {
        String tag = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into profile (namespace, identity, doc, event_time)"
                        + " values ('crmId', ?, ?::jsonb, now())")) {
            ps.setString(1, "OLD1-" + tag);
            ps.setString(
                    2,
                    "{\"person\":{\"name\":{\"lastName\":\"O'Brien\"}},\"homeAddress\":{\"street1\":"
                            + "\"12 Main St.\",\"postalCode\":\"sw1a 1aa\",\"city\":\"London\",\"countryCode\":\"gb\"}}");
            ps.executeUpdate();
            ps.setString(1, "OLD2-" + tag);
            ps.setString(2, "{\"homeAddress\":{\"city\":\"London\"}}");
            ps.executeUpdate();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into profile (namespace, identity, doc, event_time,"
                        + " address_key, keys_version) values ('crmId', ?, ?::jsonb, now(), ?, 1)")) {
            // Keyed under version 1, when a punctuation-only country code still passed as usable.
            ps.setString(1, "OLD3-" + tag);
            ps.setString(
                    2,
                    "{\"homeAddress\":{\"street1\":\"1 Main St\",\"postalCode\":\"X1\",\"city\":\"York\","
                            + "\"countryCode\":\"..\"}}");
            ps.setString(3, "1 main street|X1|york|..");
            ps.executeUpdate();
        }
        backfill.backfill(); // (the startup pass may already have taken them: either way they are done)
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select address_key, household_key, keys_version"
                        + " from profile where namespace = 'crmId' and identity = ?")) {
            ps.setString(1, "OLD1-" + tag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals("12 main street|SW1A1AA|london|GB", rs.getString(1));
                assertEquals("12 main street|SW1A1AA|london|GB|obrien", rs.getString(2));
                assertEquals(AddressNormalizer.VERSION, rs.getInt(3));
            }
            ps.setString(1, "OLD2-" + tag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertNull(rs.getString(1));
                assertEquals(AddressNormalizer.VERSION, rs.getInt(3));
            }
            ps.setString(1, "OLD3-" + tag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertNull(rs.getString(1)); // now unusable, so a run counts it as noAddress
                assertEquals(AddressNormalizer.VERSION, rs.getInt(3));
            }
        }
        assertEquals(0, backfill.backfill());
    }
}
