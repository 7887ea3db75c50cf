package io.mailshot.campaign.service.file;

import io.mailshot.events.files.NameRuleException;
import io.mailshot.events.files.NameTemplate;
import io.mailshot.kit.domain.DomainException;
import java.time.Instant;
import java.util.UUID;

/**
 * The contract's {@link NameTemplate} as the campaign-service applies it when a campaign or configuration is saved:
 * a broken rule becomes a refusal naming the request's field. The rules themselves live in the contracts module,
 * where the extraction- and delivery-service apply the same code at run time.
 */
public final class FileNames {

    public static final String DEFAULT_TEMPLATE = NameTemplate.DEFAULT_TEMPLATE;

    private FileNames() {}

    /** Checks a file-name template; refuses naming {@code field} when it is not acceptable. */
    public static void validate(String field, String template) {
        refusing(field, () -> NameTemplate.validate(template));
    }

    /** Checks a folder template; refuses naming {@code field} and the broken rule. */
    public static void validateFolder(String field, String template) {
        refusing(field, () -> NameTemplate.validateFolder(template));
    }

    /** Checks a rendered folder; refuses naming {@code field} when any segment is not a plain name. */
    public static void checkRenderedFolder(String field, String folder) {
        refusing(field, () -> NameTemplate.checkRenderedFolder(folder));
    }

    /** Renders the name of one run's file (every token but {@code {part}}). */
    public static String render(String template, String campaignName, UUID campaignId, UUID runId, Instant at) {
        return NameTemplate.render(template, campaignName, campaignId, runId, at);
    }

    /** True when the template already puts the run's date or time into the name. */
    public static boolean hasDate(String template) {
        return NameTemplate.hasDate(template);
    }

    /** Adds a UTC timestamp before the extension, for configurations that ask for timestamped names. */
    public static String withTimestamp(String template) {
        return NameTemplate.withTimestamp(template);
    }

    private static void refusing(String field, Runnable check) {
        try {
            check.run();
        } catch (NameRuleException e) {
            throw DomainException.invalid(field, e.rule(), e.getMessage());
        }
    }
}
