package io.mailshot.kit.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard of {@code deploy/grafana} cannot drift from the services: every Mailshot series its panels
 * query is one the services register ({@link Metrics#series()}), and every domain counter and gauge is shown.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("../deploy/grafana/mailshot-dashboard.json");
    private static final Pattern SERIES = Pattern.compile("mailshot_[a-z0-9_]+");

    @Test
    void every_queried_series_is_registered_and_every_domain_metric_is_shown() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> registered = Set.copyOf(Metrics.series());
        Set<String> queried = new HashSet<>();
        assertTrue(dashboard.path("panels").size() > 0, "the dashboard has panels");
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
            assertFalse(panel.path("targets").isEmpty(), title + " queries something");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Matcher m = SERIES.matcher(expr);
                boolean any = false;
                while (m.find()) {
                    any = true;
                    assertTrue(registered.contains(m.group()), title + ": " + m.group() + " is not registered");
                    queried.add(m.group());
                }
                assertTrue(any, title + " queries a Mailshot series: " + expr);
            }
        }
        for (String shown : List.of(
                Metrics.counterSeries(Metrics.PROFILES_RESOLVED),
                Metrics.counterSeries(Metrics.PROFILES_EXCLUDED),
                Metrics.counterSeries(Metrics.ROWS_RENDERED),
                Metrics.counterSeries(Metrics.ROWS_REJECTED),
                Metrics.counterSeries(Metrics.STAGED_BYTES),
                Metrics.counterSeries(Metrics.STAGED_PARTS),
                Metrics.counterSeries(Metrics.DELIVERED_BYTES),
                Metrics.counterSeries(Metrics.DELIVERED_FILES),
                Metrics.counterSeries(Metrics.DELIVERY_ATTEMPTS),
                Metrics.counterSeries(Metrics.DELIVERY_FAILURES),
                Metrics.prometheus(Metrics.STAGE_DURATION) + "_seconds_bucket",
                Metrics.prometheus(Metrics.OUTBOX_BACKLOG),
                Metrics.prometheus(Metrics.OUTBOX_OLDEST_AGE) + "_seconds")) {
            assertTrue(queried.contains(shown), shown + " has a panel");
        }
        // The Prometheus data source is a variable: the dashboard imports into any Grafana as it is.
        boolean datasourceVariable = false;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            datasourceVariable |= "datasource".equals(variable.path("name").asText())
                    && "datasource".equals(variable.path("type").asText())
                    && "prometheus".equals(variable.path("query").asText());
        }
        assertTrue(datasourceVariable, "a Prometheus data source variable named datasource");
    }

    @Test
    void series_names_follow_the_prometheus_registry() {
        assertEquals("mailshot_rows_rendered_total", Metrics.counterSeries(Metrics.ROWS_RENDERED));
        assertTrue(Metrics.series().contains("mailshot_stage_duration_seconds_bucket"));
        assertTrue(Metrics.series().contains("mailshot_outbox_oldest_age_seconds"));
    }
}
