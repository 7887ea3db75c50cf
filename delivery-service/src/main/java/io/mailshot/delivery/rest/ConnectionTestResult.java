package io.mailshot.delivery.rest;

import java.util.List;

/** Outcome of {@code POST /file-routings/{id}/test}: ok only when every step (connect .. remove) worked. */
public record ConnectionTestResult(boolean ok, List<Step> steps) {

    /** One step: {@code connect}, {@code authenticate}, {@code write} or {@code remove}, in plain words. */
    public record Step(String step, boolean ok, String message) {
    }
}
