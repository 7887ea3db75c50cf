package io.mailshot.delivery.service.routing;

import java.util.List;

/**
 * What a connection test of a routing found: every step of the routing's type, in order, each {@link #DONE}
 * (it happened and worked), {@link #FAILED} (it was tried and did not work) or {@link #NOT_REACHED} (an earlier
 * step failed). {@code ok} only when every step is done.
 */
public record ConnectionReport(boolean ok, List<Step> steps) {

    /** The status of a step that happened and worked. */
    public static final String DONE = "done";
    /** The status of a step that was tried and did not work. */
    public static final String FAILED = "failed";
    /** The status of a step never tried because an earlier one failed. */
    public static final String NOT_REACHED = "not-reached";

    /** One step with its status, {@code ok} true only when done, and what happened in plain words. */
    public record Step(String step, String status, boolean ok, String message) {}
}
