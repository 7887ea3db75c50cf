package io.mailshot.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README table is read strictly, and every operation and every row must meet its counterpart. */
class RoleMatrixTest {

    private static final String README = """
            # some-service

            ## Who may do what

            | Endpoint | Roles that open it | What it does |
            |---|---|---|
            | `GET /things` | any role | lists things |
            | `POST /things` | `mailshot-marketer` | creates one |
            | `POST /things/{id}/approve` | `mailshot-approver` or `mailshot-operator` | |
            | `GET /q/health` | open (no token) | |

            ## Next section

            | `DELETE /ignored` | `mailshot-viewer` |
            """;

    private static final String DOC = """
            {"openapi": "3.1.0", "paths": {
              "/things": {"get": {}, "post": {}},
              "/things/{id}/approve": {"post": {}},
              "/things/{id}": {"delete": {}}}}
            """;

    @Test
    void theTableGivesEachOperationItsUsers() {
        List<RoleMatrix.Rule> rules = RoleMatrix.table(README);
        assertEquals(4, rules.size());
        assertEquals(new RoleMatrix.Rule("GET", "/things", Set.copyOf(RoleMatrix.USERS), false), rules.get(0));
        assertEquals(Set.of("marketer"), rules.get(1).users());
        assertEquals(Set.of("approver", "operator"), rules.get(2).users());
        assertEquals(
                List.of("mailshot-approver", "mailshot-operator"), rules.get(2).roles());
        assertTrue(rules.get(3).open());
    }

    @Test
    void anOperationWithoutARowAndARowWithoutAnOperationAreNamed() {
        List<String> failures = RoleMatrix.coverage(OpenApi.parse(DOC), RoleMatrix.table(README));
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("DELETE /things/{id}: an operation"), failures.toString());

        String renamed = README.replace("`POST /things/{id}/approve`", "`POST /things/{id}/accept`");
        List<String> both = RoleMatrix.coverage(OpenApi.parse(DOC), RoleMatrix.table(renamed));
        assertTrue(
                both.stream().anyMatch(f -> f.startsWith("POST /things/{id}/approve: an operation")), both::toString);
        assertTrue(both.stream().anyMatch(f -> f.startsWith("POST /things/{id}/accept: a row")), both::toString);
    }

    @Test
    void anUnknownRoleARowWithoutARoleAnOpenBusinessEndpointAndATwiceRuledOneAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> RoleMatrix.table(README.replace("mailshot-marketer", "mailshot-boss")));
        assertThrows(
                IllegalArgumentException.class,
                () -> RoleMatrix.table(README.replace("`mailshot-marketer`", "marketers")));
        assertThrows(
                IllegalArgumentException.class,
                () -> RoleMatrix.table(
                        README.replace("| `POST /things` | `mailshot-marketer`", "| `POST /things` | open")));
        assertThrows(
                IllegalArgumentException.class,
                () -> RoleMatrix.table(README.replace("`POST /things`", "`GET /things`")));
        assertThrows(IllegalArgumentException.class, () -> RoleMatrix.table("# no table here"));
    }
}
