package io.mailshot.events.files;

/** A name, folder or template breaks one of the file rules; {@link #rule()} is the stable name of the rule. */
public class NameRuleException extends IllegalArgumentException {

    private final String rule;

    public NameRuleException(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
