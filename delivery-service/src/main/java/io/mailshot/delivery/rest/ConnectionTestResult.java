package io.mailshot.delivery.rest;

import io.mailshot.delivery.service.routing.ConnectionReport;
import java.util.List;

/**
 * Outcome of {@code POST /file-routings/{id}/test}: every step of the routing's type, in order, each {@code done}
 * (it happened and worked), {@code failed} (it was tried and did not work) or {@code not-reached} (an earlier step
 * failed, so it was never tried). {@code ok} only when every step is done.
 */
public record ConnectionTestResult(boolean ok, List<Step> steps) {

    /** The status of a step that happened and worked. */
    public static final String DONE = ConnectionReport.DONE;
    /** The status of a step that was tried and did not work. */
    public static final String FAILED = ConnectionReport.FAILED;
    /** The status of a step never tried because an earlier one failed. */
    public static final String NOT_REACHED = ConnectionReport.NOT_REACHED;

    /**
     * One step ({@code connect}, {@code key-exchange}, {@code host-key}, {@code login}, {@code write},
     * {@code delete}) with its status, {@code ok} true only when done, and what happened in plain words.
     */
    public record Step(String step, String status, boolean ok, String message) {}

    /** The report as the API shows it. */
    public static ConnectionTestResult of(ConnectionReport report) {
        return new ConnectionTestResult(
                report.ok(),
                report.steps().stream()
                        .map(s -> new Step(s.step(), s.status(), s.ok(), s.message()))
                        .toList());
    }
}
