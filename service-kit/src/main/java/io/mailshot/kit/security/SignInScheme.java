package io.mailshot.kit.security;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Tells readers of the OpenAPI document, and Swagger UI's "Authorize" button, how to sign in: the identity provider
 * the service trusts, as an OpenID Connect security scheme required by every business operation. Added at start-up
 * rather than at build time, because the provider's address is the installation's (MAILSHOT_OIDC_ISSUER).
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class SignInScheme implements OASFilter {

    /** The scheme's name in the document. */
    public static final String NAME = "mailshot-sign-in";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        String issuer = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.oidc.auth-server-url", String.class)
                .orElse(null);
        if (issuer == null) {
            return;
        }
        if (openApi.getComponents() == null) {
            openApi.setComponents(OASFactory.createComponents());
        }
        openApi.getComponents()
                .addSecurityScheme(
                        NAME,
                        OASFactory.createSecurityScheme()
                                .type(SecurityScheme.Type.OPENIDCONNECT)
                                .openIdConnectUrl(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration")
                                .description(
                                        "A bearer token of the Mailshot realm; each operation needs one of the roles its "
                                                + "description or the service's README names."));
        if (openApi.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path :
                openApi.getPaths().getPathItems().entrySet()) {
            if (path.getKey().startsWith("/q/")) {
                continue; // health, metrics and the document itself stay open
            }
            path.getValue()
                    .getOperations()
                    .values()
                    .forEach(operation -> operation.addSecurityRequirement(
                            OASFactory.createSecurityRequirement().addScheme(NAME)));
        }
    }
}
