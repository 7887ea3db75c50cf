package io.mailshot.campaign.rest;

import io.mailshot.campaign.rest.ApiModels.ActorView;
import io.mailshot.campaign.rest.ApiModels.AttemptView;
import io.mailshot.campaign.rest.ApiModels.BudgetRequest;
import io.mailshot.campaign.rest.ApiModels.CampaignRequest;
import io.mailshot.campaign.rest.ApiModels.CampaignView;
import io.mailshot.campaign.rest.ApiModels.ColumnRequest;
import io.mailshot.campaign.rest.ApiModels.ConfigurationRequest;
import io.mailshot.campaign.rest.ApiModels.ConfigurationView;
import io.mailshot.campaign.rest.ApiModels.CostEstimateView;
import io.mailshot.campaign.rest.ApiModels.CountsView;
import io.mailshot.campaign.rest.ApiModels.DeliveryView;
import io.mailshot.campaign.rest.ApiModels.ExclusionsView;
import io.mailshot.campaign.rest.ApiModels.FileDefinition;
import io.mailshot.campaign.rest.ApiModels.Finding;
import io.mailshot.campaign.rest.ApiModels.FormatRequest;
import io.mailshot.campaign.rest.ApiModels.LiftView;
import io.mailshot.campaign.rest.ApiModels.MatchBackGroupView;
import io.mailshot.campaign.rest.ApiModels.MatchBackView;
import io.mailshot.campaign.rest.ApiModels.PageView;
import io.mailshot.campaign.rest.ApiModels.PartView;
import io.mailshot.campaign.rest.ApiModels.PressureExemptionView;
import io.mailshot.campaign.rest.ApiModels.PressureRuleRequest;
import io.mailshot.campaign.rest.ApiModels.PressureRuleView;
import io.mailshot.campaign.rest.ApiModels.PressureView;
import io.mailshot.campaign.rest.ApiModels.PricingRequest;
import io.mailshot.campaign.rest.ApiModels.ProgressView;
import io.mailshot.campaign.rest.ApiModels.RuleCountView;
import io.mailshot.campaign.rest.ApiModels.RunCostView;
import io.mailshot.campaign.rest.ApiModels.RunFileView;
import io.mailshot.campaign.rest.ApiModels.RunView;
import io.mailshot.campaign.rest.ApiModels.ScheduleRequest;
import io.mailshot.campaign.rest.ApiModels.SeedRequest;
import io.mailshot.campaign.rest.ApiModels.SortRequest;
import io.mailshot.campaign.rest.ApiModels.StageProgressView;
import io.mailshot.campaign.rest.ApiModels.StagesView;
import io.mailshot.campaign.rest.ApiModels.ValidationView;
import io.mailshot.campaign.service.Listing;
import io.mailshot.campaign.service.campaign.Campaign;
import io.mailshot.campaign.service.campaign.CampaignDraft;
import io.mailshot.campaign.service.campaign.Validation;
import io.mailshot.campaign.service.configuration.Configuration;
import io.mailshot.campaign.service.configuration.ConfigurationDraft;
import io.mailshot.campaign.service.cost.CostEstimate;
import io.mailshot.campaign.service.cost.Money;
import io.mailshot.campaign.service.cost.Pricing;
import io.mailshot.campaign.service.file.FileModel;
import io.mailshot.campaign.service.pressure.PressureRuleDefinition;
import io.mailshot.campaign.service.pressure.PressureRuleDraft;
import io.mailshot.campaign.service.run.MatchBacks;
import io.mailshot.campaign.service.run.ProgressRate;
import io.mailshot.campaign.service.run.Run;
import io.mailshot.campaign.service.schedule.Schedule;
import io.mailshot.events.Actor;
import io.mailshot.events.MatchBack;
import io.mailshot.events.PressureCheck;
import java.util.List;
import java.util.function.Function;

/**
 * Maps request bodies to the domain's commands and the domain's read models to response bodies, field for field:
 * the JSON the API reads and writes is defined by {@link ApiModels} alone.
 */
final class ApiMapping {

    private ApiMapping() {}

    static CampaignDraft draft(CampaignRequest r) {
        return new CampaignDraft(
                r.name(),
                r.description(),
                r.type(),
                r.audienceId(),
                r.identityNamespace(),
                r.configurationId(),
                file(r.file()),
                r.holdoutPercent(),
                r.dedup(),
                r.suppressionListIds(),
                r.constants(),
                schedule(r.schedule()),
                r.budget() == null
                        ? null
                        : new Money(r.budget().amount(), r.budget().currency()));
    }

    static ConfigurationDraft draft(ConfigurationRequest r) {
        return new ConfigurationDraft(
                r.name(),
                r.routingId(),
                format(r.format()),
                r.timestampFileNames(),
                r.folderTemplate(),
                r.approvalRequired(),
                r.pricing() == null
                        ? null
                        : new Pricing(
                                r.pricing().perPiece(),
                                r.pricing().perFile(),
                                r.pricing().currency()));
    }

    static CampaignView view(Campaign c) {
        return new CampaignView(
                c.id(),
                c.name(),
                c.description(),
                c.type(),
                c.status(),
                c.audienceId(),
                c.identityNamespace(),
                c.configurationId(),
                file(c.file()),
                c.holdoutPercent(),
                c.dedup(),
                c.suppressionListIds(),
                c.constants(),
                c.approvalRequired(),
                actor(c.createdBy()),
                actor(c.editedBy()),
                actor(c.submittedBy()),
                actor(c.approvedBy()),
                actor(c.rejectedBy()),
                actor(c.activatedBy()),
                c.approvalWithdrawn(),
                schedule(c.schedule()),
                c.nextRunAt(),
                c.createdAt(),
                c.updatedAt(),
                budget(c.budget()),
                c.pressureExemption() == null
                        ? null
                        : new PressureExemptionView(
                                c.pressureExemption().exempt(),
                                c.pressureExemption().reason(),
                                actor(c.pressureExemption().by()),
                                c.pressureExemption().at()));
    }

    private static BudgetRequest budget(Money m) {
        return m == null ? null : new BudgetRequest(m.amount(), m.currency());
    }

    static ConfigurationView view(Configuration c) {
        return new ConfigurationView(
                c.id(),
                c.name(),
                c.routingId(),
                c.status(),
                format(c.format()),
                c.timestampFileNames(),
                c.folderTemplate(),
                c.approvalRequired(),
                c.pricing() == null
                        ? null
                        : new PricingRequest(
                                c.pricing().perPiece(),
                                c.pricing().perFile(),
                                c.pricing().currency()),
                actor(c.updatedBy()),
                c.createdAt(),
                c.updatedAt());
    }

    static RunView view(Run r) {
        Run.Counts c = r.counts();
        Run.Exclusions x = c.excluded();
        Run.FileSummary f = r.file();
        Run.Stages s = r.stages();
        return new RunView(
                r.id(),
                r.campaignId(),
                r.status(),
                r.requestedAt(),
                r.updatedAt(),
                r.completedAt(),
                new StagesView(s.requested(), s.resolving(), s.extracting(), s.delivering(), s.finished()),
                progress(r.progress(), null),
                new CountsView(
                        c.targeted(),
                        c.streamed(),
                        new ExclusionsView(
                                x.noConsent(),
                                x.noAddress(),
                                x.suppressed(),
                                x.duplicate(),
                                x.holdout(),
                                x.returned(),
                                x.pressure()),
                        c.exported(),
                        c.seedRows(),
                        c.rejected(),
                        c.delivered()),
                new RunFileView(f.name(), f.rows(), f.bytes(), f.sha256(), f.stagingKey()),
                r.files().stream()
                        .map(p -> new PartView(p.part(), p.name(), p.rows(), p.bytes(), p.sha256(), p.stagingKey()))
                        .toList(),
                r.manifest(),
                new DeliveryView(
                        r.delivery().destination(),
                        r.delivery().location(),
                        r.delivery().attempts().stream()
                                .map(a ->
                                        new AttemptView(a.attempt(), a.destination(), a.succeeded(), a.error(), a.at()))
                                .toList()),
                r.error(),
                r.retryOf(),
                actor(r.requestedBy()),
                actor(r.cancelledBy()),
                cost(r.cost()));
    }

    private static RunCostView cost(Run.Cost c) {
        return c == null
                ? null
                : new RunCostView(c.pieces(), c.files(), c.perPiece(), c.perFile(), c.currency(), c.amount());
    }

    /** The run's progress; {@code estimate} (rate and time left of the current stage) only on its event stream. */
    static ProgressView progress(Run.Progress p, ProgressRate.Estimate estimate) {
        Run.StageProgress c = p.current();
        return new ProgressView(
                p.profilesStreamed(),
                p.rowsWritten(),
                p.partsStaged(),
                p.bytesStaged(),
                p.filesDelivered(),
                p.bytesDelivered(),
                c == null
                        ? null
                        : new StageProgressView(
                                c.stage(),
                                c.unit(),
                                c.done(),
                                c.total(),
                                estimate == null ? null : estimate.perSecond(),
                                estimate == null ? null : estimate.secondsLeft()));
    }

    /** The run as its event stream sends it: with the current stage's rate and time left. */
    static RunView view(Run r, ProgressRate.Estimate estimate) {
        RunView v = view(r);
        return new RunView(
                v.id(),
                v.campaignId(),
                v.status(),
                v.requestedAt(),
                v.updatedAt(),
                v.completedAt(),
                v.stages(),
                progress(r.progress(), estimate),
                v.counts(),
                v.file(),
                v.files(),
                v.manifest(),
                v.delivery(),
                v.error(),
                v.retryOf(),
                v.requestedBy(),
                v.cancelledBy(),
                v.cost());
    }

    static ValidationView view(Validation v) {
        return new ValidationView(
                v.valid(), findings(v.errors()), findings(v.warnings()), cost(v.cost()), pressure(v.pressure()));
    }

    private static CostEstimateView cost(CostEstimate c) {
        return c == null
                ? null
                : new CostEstimateView(
                        c.audience(),
                        c.stoppedByPressure(),
                        c.pieces(),
                        c.files(),
                        c.perPiece(),
                        c.perFile(),
                        c.currency(),
                        c.estimatedCost(),
                        budget(c.budget()),
                        c.withinBudget());
    }

    static PressureView pressure(PressureCheck.Result p) {
        return p == null
                ? null
                : new PressureView(
                        p.eligible(),
                        p.stopped(),
                        p.rules() == null
                                ? List.of()
                                : p.rules().stream()
                                        .map(r -> new RuleCountView(r.ruleId(), r.name(), r.stopped()))
                                        .toList());
    }

    static PressureRuleDraft draft(PressureRuleRequest r) {
        return new PressureRuleDraft(r.name(), r.scope(), r.maxContacts(), r.days(), r.configurationId());
    }

    static PressureRuleView view(PressureRuleDefinition d) {
        return new PressureRuleView(
                d.id(),
                d.name(),
                d.scope(),
                d.maxContacts(),
                d.days(),
                d.configurationId(),
                actor(d.createdBy()),
                d.createdAt(),
                d.updatedAt());
    }

    static MatchBackView view(MatchBacks.Report report) {
        MatchBack m = report.matchBack();
        return new MatchBackView(
                m.runId(),
                m.campaignId(),
                m.windowDays(),
                group(m.mailed()),
                group(m.heldOut()),
                m.lift() == null
                        ? null
                        : new LiftView(
                                m.lift().absolute(),
                                m.lift().low(),
                                m.lift().high(),
                                m.lift().relative()),
                cost(report.cost()),
                report.costPerResponse(),
                report.costPerIncrementalResponse(),
                report.cost() == null ? null : report.cost().currency());
    }

    private static MatchBackGroupView group(MatchBack.Group g) {
        return g == null
                ? null
                : new MatchBackGroupView(
                        g.customers(), g.responders(), g.responseRate(), g.revenue(), g.revenuePerCustomer());
    }

    static <T, V> PageView<V> page(Listing<T> listing, Function<T, V> view) {
        return new PageView<>(
                listing.items().stream().map(view).toList(), listing.page(), listing.size(), listing.total());
    }

    private static List<Finding> findings(List<Validation.Finding> findings) {
        return findings.stream()
                .map(f -> new Finding(f.code(), f.field(), f.message()))
                .toList();
    }

    private static ActorView actor(Actor actor) {
        return actor == null ? null : ActorView.of(actor.subject(), actor.name());
    }

    private static FileModel.Definition file(FileDefinition d) {
        return new FileModel.Definition(
                d.nameTemplate(),
                map(
                        d.columns(),
                        c -> new FileModel.Column(
                                c.label(), c.path(), c.expression(), c.width(), c.align(), c.pad(), c.overflow())),
                map(d.sort(), s -> new FileModel.Sorting(s.column(), s.direction())),
                d.splitEvery(),
                d.headerNotes(),
                d.footerNotes(),
                map(d.seeds(), s -> new FileModel.Seed(s.values())),
                d.seedPlacement(),
                format(d.format()),
                d.folderTemplate(),
                d.splitBy(),
                d.splitMaxMb());
    }

    private static FileDefinition file(FileModel.Definition d) {
        return new FileDefinition(
                d.nameTemplate(),
                map(
                        d.columns(),
                        c -> new ColumnRequest(
                                c.label(), c.path(), c.expression(), c.width(), c.align(), c.pad(), c.overflow())),
                map(d.sort(), s -> new SortRequest(s.column(), s.direction())),
                d.splitEvery(),
                d.headerNotes(),
                d.footerNotes(),
                map(d.seeds(), s -> new SeedRequest(s.values())),
                d.seedPlacement(),
                format(d.format()),
                d.folderTemplate(),
                d.splitBy(),
                d.splitMaxMb());
    }

    private static FileModel.Format format(FormatRequest f) {
        return f == null
                ? null
                : new FileModel.Format(
                        f.type(),
                        f.delimiter(),
                        f.quote(),
                        f.quoteMode(),
                        f.header(),
                        f.encoding(),
                        f.unencodable(),
                        f.lineEnding(),
                        f.neutraliseFormulas(),
                        f.compression(),
                        f.dateFormat(),
                        f.numberFormat(),
                        f.emptyAudience(),
                        f.manifestCsv());
    }

    private static FormatRequest format(FileModel.Format f) {
        return f == null
                ? null
                : new FormatRequest(
                        f.type(),
                        f.delimiter(),
                        f.quote(),
                        f.quoteMode(),
                        f.header(),
                        f.encoding(),
                        f.unencodable(),
                        f.lineEnding(),
                        f.neutraliseFormulas(),
                        f.compression(),
                        f.dateFormat(),
                        f.numberFormat(),
                        f.emptyAudience(),
                        f.manifestCsv());
    }

    private static Schedule schedule(ScheduleRequest s) {
        return s == null
                ? null
                : new Schedule(
                        s.frequency(),
                        s.at(),
                        s.time(),
                        s.daysOfWeek(),
                        s.dayOfMonth(),
                        s.timeZone(),
                        s.start(),
                        s.end());
    }

    private static ScheduleRequest schedule(Schedule s) {
        return s == null
                ? null
                : new ScheduleRequest(
                        s.frequency(),
                        s.at(),
                        s.time(),
                        s.daysOfWeek(),
                        s.dayOfMonth(),
                        s.timeZone(),
                        s.start(),
                        s.end());
    }

    /** Null stays null (an absent list is not an empty one in the JSON). */
    private static <A, B> List<B> map(List<A> list, Function<A, B> mapper) {
        return list == null ? null : list.stream().map(mapper).toList();
    }
}
