package io.mailshot.delivery.service.routing;

import io.mailshot.delivery.service.routing.ConnectionReport.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of one test in order. A step is started, then either done or failed; once one failed, the rest are
 * not reached, except the removal of a probe that was created (it is removed, and that is reported).
 */
public final class ConnectionSteps {

    /** The probe file a test writes and removes under the base folder; its name starts with this. */
    public static final String PROBE_PREFIX = ".mailshot-connection-test-";

    public static final String CONNECT = "connect";
    public static final String KEY_EXCHANGE = "key-exchange";
    public static final String HOST_KEY = "host-key";
    public static final String LOGIN = "login";
    public static final String WRITE = "write";
    public static final String DELETE = "delete";

    private static final byte[] PROBE = "Mailshot connection test; safe to delete.\n".getBytes(StandardCharsets.UTF_8);

    private final List<String> names;
    private final List<Step> reported = new ArrayList<>();
    private String current;

    public ConnectionSteps(List<String> names) {
        this.names = List.copyOf(names);
    }

    public void start(String name) {
        current = name;
    }

    public void done(String message) {
        reported.add(new Step(current, ConnectionReport.DONE, true, message));
        current = null;
    }

    public void fail(String message) {
        String step = current != null ? current : names.get(Math.min(reported.size(), names.size() - 1));
        reported.add(new Step(step, ConnectionReport.FAILED, false, message));
        current = null;
    }

    ConnectionReport report(Routing routing) {
        List<Step> all = new ArrayList<>();
        String failedAt = null;
        for (String name : names) {
            Step step = reported.stream()
                    .filter(s -> s.step().equals(name))
                    .findFirst()
                    .orElse(null);
            if (step == null) {
                all.add(new Step(
                        name,
                        ConnectionReport.NOT_REACHED,
                        false,
                        "not reached: the test stopped at " + (failedAt == null ? "an earlier step" : failedAt)));
            } else {
                // Defence in depth, as for delivery errors: no message may carry a secret.
                all.add(new Step(step.step(), step.status(), step.ok(), routing.scrub(step.message())));
                if (!step.ok() && failedAt == null) {
                    failedAt = name;
                }
            }
        }
        return new ConnectionReport(all.stream().allMatch(Step::ok), all);
    }

    /** The probe's content (a copy: the caller may not change the original). */
    public static byte[] probe() {
        return PROBE.clone();
    }

    /** Why a routing whose secret was dropped cannot log in. */
    public static String missingSecret(Routing routing) {
        return "no " + routing.missingSecret() + " is stored for this routing: it was dropped when the destination"
                + " changed (a secret stays with its destination); send it again with PUT /file-routings/"
                + routing.id();
    }
}
