package io.mailshot.audience;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Match-back on a generated run with a known effect: 20,000 mailed customers of whom 6% respond and 5,000 held out of
 * whom 4% do, chosen deterministically, the responses imported through the REST endpoint (NDJSON and CSV, inside and
 * outside the window, and twice). The endpoint must find exactly those counts, rates and revenue, and an interval
 * that holds the true effect (0.02) and is as wide as the formula says.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audience"))
class MatchBackTest {

    static final int MAILED = 20_000;
    static final int HELD_OUT = 5_000;
    /** The delivery time of the run: responses count from it, for the window's days. */
    static final Instant DELIVERED = Instant.parse("2026-03-01T09:30:00Z");

    /** Numbers read as written: JsonPath would otherwise read a rate as a float. */
    static final JsonPathConfig EXACT = new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL);

    @Inject
    DataSource dataSource;

    /** Records a delivered run's contact history as the history recorder would (a fixture of this service's table). */
    static void recordRun(
            DataSource dataSource, UUID runId, UUID campaignId, String ns, String prefix, int mailed, int heldOut)
            throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement run = c.prepareStatement("insert into recorded_run"
                    + " (run_id, campaign_id, mailed, held_out, recorded_at) values (?, ?, ?, ?, now())")) {
                run.setObject(1, runId);
                run.setObject(2, campaignId);
                run.setLong(3, mailed);
                run.setLong(4, heldOut);
                run.executeUpdate();
            }
            try (PreparedStatement rows = c.prepareStatement("insert into contact_history (run_id, campaign_id,"
                    + " namespace, identity, household_key, file_name, part, cell, holdout, contacted_at)"
                    + " select ?, ?, ?, ? || case when i <= ? then 'm-' || i else 'h-' || (i - ?) end,"
                    + " 'household ' || i, 'run.csv', 1, null, i > ?, ?"
                    + " from generate_series(1, ?) i")) {
                rows.setObject(1, runId);
                rows.setObject(2, campaignId);
                rows.setString(3, ns);
                rows.setString(4, prefix);
                rows.setInt(5, mailed);
                rows.setInt(6, mailed);
                rows.setInt(7, mailed);
                rows.setTimestamp(8, Timestamp.from(DELIVERED));
                rows.setInt(9, mailed + heldOut);
                rows.executeUpdate();
            }
        }
    }

    static String ndjson(String ns, String id, Instant at, String channel, String amount) {
        return "{\"namespace\":\"" + ns + "\",\"id\":\"" + id + "\",\"respondedAt\":\"" + at + "\",\"channel\":\""
                + channel + "\"" + (amount == null ? "" : ",\"amount\":" + amount) + "}\n";
    }

    static JsonPath importResponses(String contentType, String body) {
        return given().config(Profiles.AS_WRITTEN)
                .contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/responses/bulk")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .using(EXACT);
    }

    @Test
    void findsTheKnownEffectWithinItsInterval() throws Exception {
        UUID runId = UUID.randomUUID();
        String prefix = "mb-" + runId.toString().substring(0, 8) + "-";
        recordRun(dataSource, runId, UUID.randomUUID(), "crm", prefix, MAILED, HELD_OUT);

        // Mailed: i % 50 < 3 respond within the window (6%), every other one of them twice; i % 50 == 3 respond
        // on day 31 (outside 30 days, inside 365); i % 50 == 4 responded the day before the delivery (never counts).
        StringBuilder mailed = new StringBuilder();
        BigDecimal revenue = BigDecimal.ZERO;
        long responders = 0;
        long lateResponders = 0;
        BigDecimal lateRevenue = BigDecimal.ZERO;
        for (int i = 1; i <= MAILED; i++) {
            String id = prefix + "m-" + i;
            if (i % 50 < 3) {
                responders++;
                // From the very delivery time up to the last microsecond-free second of day 30.
                Instant at = i % 3 == 0
                        ? DELIVERED
                        : DELIVERED.plus(Duration.ofDays(i % 30)).plusSeconds(i % 3600);
                mailed.append(ndjson("crm", id, at, "web", "25.50"));
                revenue = revenue.add(new BigDecimal("25.50"));
                if (i % 2 == 0) {
                    mailed.append(ndjson("crm", id, at.plusSeconds(60), "shop", "4.25"));
                    revenue = revenue.add(new BigDecimal("4.25"));
                }
            } else if (i % 50 == 3) {
                lateResponders++;
                // Exactly at the end of a 30-day window: outside it ([delivery, delivery + 30 days)).
                Instant at = i % 2 == 0 ? DELIVERED.plus(Duration.ofDays(30)) : DELIVERED.plus(Duration.ofDays(31));
                mailed.append(ndjson("crm", id, at, "phone", "100"));
                lateRevenue = lateRevenue.add(new BigDecimal("100"));
            } else if (i % 50 == 4) {
                mailed.append(ndjson("crm", id, DELIVERED.minusSeconds(1), "web", "7"));
            }
        }
        JsonPath first = importResponses("application/x-ndjson", mailed.toString());
        long lines = first.getLong("received");
        assertEquals(lines, first.getLong("accepted"));
        assertEquals(0, first.getLong("rejected"));
        // The same file again: accepted, but nothing counts twice.
        JsonPath again = importResponses("application/x-ndjson", mailed.toString());
        assertEquals(lines, again.getLong("accepted"));

        // Held out, as CSV (any column order, date-only times read as midnight UTC): i % 25 == 0 respond (4%).
        StringBuilder heldOut = new StringBuilder("channel,id,namespace,amount,respondedAt\r\n");
        BigDecimal heldOutRevenue = BigDecimal.ZERO;
        long heldOutResponders = 0;
        for (int i = 1; i <= HELD_OUT; i++) {
            if (i % 25 == 0) {
                heldOutResponders++;
                String day = LocalDate.ofInstant(DELIVERED, ZoneOffset.UTC)
                        .plusDays(1 + i % 20)
                        .toString();
                String amount = i % 2 == 0 ? "19.99" : "";
                heldOut.append("mail,")
                        .append(prefix)
                        .append("h-")
                        .append(i)
                        .append(",crm,")
                        .append(amount)
                        .append(',')
                        .append(day)
                        .append("\r\n");
                if (!amount.isEmpty()) {
                    heldOutRevenue = heldOutRevenue.add(new BigDecimal(amount));
                }
            }
        }
        // A bad amount and a time without an offset are refused with their line, never stored altered.
        heldOut.append("mail,").append(prefix).append("h-1,crm,-5,2026-03-02\r\n");
        heldOut.append("mail,").append(prefix).append("h-2,crm,1.23456,2026-03-02\r\n");
        heldOut.append("mail,").append(prefix).append("h-3,crm,,2026-03-02T10:00:00\r\n");
        JsonPath csv = importResponses("text/csv", heldOut.toString());
        assertEquals(heldOutResponders + 3, csv.getLong("received"));
        assertEquals(heldOutResponders, csv.getLong("accepted"));
        assertEquals(3, csv.getLong("rejected"));
        assertEquals((int) heldOutResponders + 2, csv.getInt("errors[0].line"));
        assertTrue(csv.getString("errors[0].reason").startsWith("amount must be a decimal number of at least 0"));
        assertTrue(csv.getString("errors[1].reason").startsWith("amount must be a decimal number of at least 0"));
        assertTrue(csv.getString("errors[2].reason").startsWith("respondedAt must be an ISO-8601 date"));

        JsonPath answer = given().when()
                .get("/runs/" + runId + "/match-back")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .using(EXACT);
        assertEquals(runId.toString(), answer.getString("runId"));
        assertEquals(30, answer.getInt("windowDays"));
        assertEquals(MAILED, answer.getLong("mailed.customers"));
        assertEquals(responders, answer.getLong("mailed.responders"));
        assertEquals(1200, responders);
        assertEquals(0.06, answer.getDouble("mailed.responseRate"), 1e-12);
        assertEquals(0, revenue.compareTo(new BigDecimal(answer.getString("mailed.revenue"))));
        assertEquals(
                0,
                revenue.divide(BigDecimal.valueOf(MAILED))
                        .compareTo(new BigDecimal(answer.getString("mailed.revenuePerCustomer"))));
        assertEquals(HELD_OUT, answer.getLong("heldOut.customers"));
        assertEquals(200, heldOutResponders);
        assertEquals(heldOutResponders, answer.getLong("heldOut.responders"));
        assertEquals(0.04, answer.getDouble("heldOut.responseRate"), 1e-12);
        assertEquals(0, heldOutRevenue.compareTo(new BigDecimal(answer.getString("heldOut.revenue"))));

        double p1 = 0.06;
        double p2 = 0.04;
        double margin = 1.96 * Math.sqrt(p1 * (1 - p1) / MAILED + p2 * (1 - p2) / HELD_OUT);
        double low = answer.getDouble("lift.low");
        double high = answer.getDouble("lift.high");
        assertEquals(0.02, answer.getDouble("lift.absolute"), 1e-12);
        assertTrue(low < 0.02 && 0.02 < high, "the true effect lies in [" + low + ", " + high + "]");
        assertEquals(2 * margin, high - low, 1e-12);
        assertEquals(0.5, answer.getDouble("lift.relative"), 1e-9);

        // A year's window also counts the responses of day 30 and 31; the day before the delivery never counts.
        JsonPath year = given().queryParam("windowDays", 365)
                .when()
                .get("/runs/" + runId + "/match-back")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .using(EXACT);
        assertEquals(responders + lateResponders, year.getLong("mailed.responders"));
        assertEquals(0, revenue.add(lateRevenue).compareTo(new BigDecimal(year.getString("mailed.revenue"))));
    }

    @Test
    void refusesABadWindowAndAnUnrecordedRun() throws Exception {
        UUID runId = UUID.randomUUID();
        given().when()
                .get("/runs/" + runId + "/match-back")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        for (String bad : new String[] {"0", "366", "ten"}) {
            given().queryParam("windowDays", bad)
                    .when()
                    .get("/runs/" + runId + "/match-back")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("windowDays"));
        }
        // Recorded with no history row at all: both groups empty, no lift.
        recordRun(dataSource, runId, UUID.randomUUID(), "crm", "none-", 0, 0);
        JsonPath empty = given().when()
                .get("/runs/" + runId + "/match-back")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .using(EXACT);
        assertEquals(0, empty.getLong("mailed.customers"));
        assertEquals(0, empty.getLong("heldOut.customers"));
        assertNull(empty.get("lift"));
    }
}
