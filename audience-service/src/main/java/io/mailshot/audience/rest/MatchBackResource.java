package io.mailshot.audience.rest;

import io.mailshot.audience.service.response.MatchBackService;
import io.mailshot.events.MatchBack;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The match-back of a delivered run: its mailed and held-out customers' responses, and the lift. */
@Path("/runs")
public class MatchBackResource {

    static final int MAX_WINDOW_DAYS = 365;

    private final MatchBackService matchBack;

    public MatchBackResource(MatchBackService matchBack) {
        this.matchBack = matchBack;
    }

    /**
     * The responses of a delivered run's mailed and held-out customers within {@code windowDays} (1 to 365, default
     * 30) after delivery, and the lift with its 95% confidence interval. Counts and sums only, never a customer.
     */
    @GET
    @Path("/{runId}/match-back")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    public MatchBack matchBack(@RestPath UUID runId, @RestQuery String windowDays) {
        return matchBack.matchBack(runId, windowDays(windowDays));
    }

    /** The window in days; a query parameter is read as text, so a bad one is a 400 naming it (not a bare 404). */
    static int windowDays(String value) {
        if (value == null) {
            return 30;
        }
        String text = value.strip();
        if (!text.matches("[+-]?[0-9]{1,9}")) {
            throw ApiException.badParameter("windowDays", "type", "windowDays must be a whole number of days");
        }
        int days = Integer.parseInt(text);
        if (days < 1) {
            throw ApiException.badParameter("windowDays", "Min", "windowDays must be at least 1");
        }
        if (days > MAX_WINDOW_DAYS) {
            throw ApiException.badParameter("windowDays", "Max", "windowDays must be at most " + MAX_WINDOW_DAYS);
        }
        return days;
    }
}
