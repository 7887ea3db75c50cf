package io.mailshot.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code ./mailshot watch}: follows a run through its server-sent events and draws its progress; on a terminal one
 * line per stage redrawn in place, otherwise plain lines (one per event). Returns the final run once its report is
 * printed. A stream that breaks before the end is opened again.
 */
final class RunWatcher {

    private final MailshotApi api;
    private final String campaignUrl;
    private final PrintStream out;
    private final boolean terminal;
    private final String indent;
    private String drawnStage;

    RunWatcher(MailshotApi api, String campaignUrl, PrintStream out, boolean terminal, String indent) {
        this.api = api;
        this.campaignUrl = campaignUrl;
        this.out = out;
        this.terminal = terminal;
        this.indent = indent;
    }

    /** Whether standard output is a terminal (then lines are redrawn in place). */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /** Draws the run until it is final, prints its report and returns it. */
    JsonNode watch(String runId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode[] last = {null};
        while (Instant.now().isBefore(deadline)) {
            try {
                api.events(campaignUrl + "/runs/" + runId + "/events", run -> {
                    last[0] = run;
                    draw(run);
                    return !RunDisplay.isFinal(run);
                });
            } catch (UncheckedIOException e) {
                // The stream broke (a restart, a proxy's idle timeout): open it again below.
            }
            if (last[0] != null && RunDisplay.isFinal(last[0])) {
                if (terminal && drawnStage != null) {
                    out.println();
                }
                RunDisplay.report(last[0]).forEach(l -> out.println(indent + l));
                return last[0];
            }
        }
        throw new IllegalStateException("run " + runId + " did not finish within " + timeout);
    }

    private void draw(JsonNode run) {
        String stage = RunDisplay.stage(run);
        String line = indent + RunDisplay.line(run);
        if (!terminal) {
            out.println(line);
            return;
        }
        if (drawnStage != null && !drawnStage.equals(stage)) {
            out.println(); // keep the finished stage's last bar on its own line
        }
        out.print("\r" + line + "\033[K");
        out.flush();
        drawnStage = stage;
    }
}
