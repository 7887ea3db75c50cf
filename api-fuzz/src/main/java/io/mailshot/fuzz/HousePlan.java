package io.mailshot.fuzz;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;

/**
 * The house plan of docs/ARCHITECTURE.md as rules a service's tests check against its own classes, so the plan cannot
 * rot: every class in one of the seven role packages, and a domain ({@code service}, {@code persistence},
 * {@code messaging}) that speaks no HTTP: it imports no web type (its own {@code rest}, the kit's {@code rest},
 * JAX-RS, RESTEasy, Vert.x HTTP) and none of its exceptions carries an HTTP status. Domain refusals are the kit's
 * {@code DomainException}; the kit maps them to problem+json at the edge.
 */
public final class HousePlan {

    /** The role packages, the same in every service. */
    public static final List<String> ROLES =
            List.of("rest", "service", "messaging", "persistence", "client", "config", "health");

    private static final Set<String> STATUS_NAMES = Set.of("status", "httpStatus", "statusCode");

    private HousePlan() {}

    /** Checks the production classes under {@code root} (such as {@code io.mailshot.campaign}); fails naming each. */
    public static void check(String root) {
        check(root, new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS));
    }

    static void check(String root, ClassFileImporter importer) {
        JavaClasses classes = importer.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(root);
        if (classes.isEmpty()) {
            throw new AssertionError("no classes found under " + root);
        }
        for (ArchRule rule : rules(root)) {
            rule.check(classes);
        }
    }

    static List<ArchRule> rules(String root) {
        String[] domain = {root + ".service..", root + ".persistence..", root + ".messaging.."};
        String[] roles = ROLES.stream().map(role -> root + "." + role + "..").toArray(String[]::new);
        return List.of(
                classes()
                        .should()
                        .resideInAnyPackage(roles)
                        .because("every class lives in one of the role packages " + ROLES),
                noClasses()
                        .that()
                        .resideInAnyPackage(domain)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(
                                root + ".rest..",
                                "io.mailshot.kit.rest..",
                                "jakarta.ws.rs..",
                                "org.jboss.resteasy..",
                                "io.vertx.core.http..")
                        .because("the domain speaks no HTTP: rest/ maps requests and responses to domain types"),
                noClasses()
                        .that()
                        .resideInAnyPackage(domain)
                        .and()
                        .areAssignableTo(Throwable.class)
                        .should(carryAnHttpStatus())
                        .because("a domain refusal names its rule; the edge picks the HTTP status")
                        // A domain may well have no exceptions of its own (it throws the kit's DomainException).
                        .allowEmptyShould(true));
    }

    /** A field or an accessor named like a status ({@code status}, {@code httpStatus}, {@code statusCode}). */
    private static ArchCondition<JavaClass> carryAnHttpStatus() {
        return new ArchCondition<>("carry an HTTP status") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                boolean field = item.getAllFields().stream().anyMatch(f -> STATUS_NAMES.contains(f.getName()));
                boolean method = item.getAllMethods().stream()
                        .anyMatch(m -> STATUS_NAMES.contains(m.getName())
                                && m.getRawParameterTypes().isEmpty());
                events.add(new SimpleConditionEvent(
                        item,
                        field || method,
                        item.getName() + (field || method ? " carries" : " does not carry") + " a status"));
            }
        };
    }
}
