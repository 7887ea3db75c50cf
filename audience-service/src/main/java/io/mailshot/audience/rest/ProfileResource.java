package io.mailshot.audience.rest;

import io.mailshot.audience.persistence.ContactHistoryRepository.ContactPage;
import io.mailshot.audience.service.erasure.ErasureService;
import io.mailshot.audience.service.history.ContactHistory;
import io.mailshot.audience.service.profile.ProfileService;
import io.mailshot.kit.audit.Audited;
import io.mailshot.kit.rest.ApiException;
import io.mailshot.kit.rest.Paging;
import io.mailshot.kit.rest.Problem;
import io.mailshot.kit.security.Caller;
import io.mailshot.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Profile ingestion (NDJSON, streamed), lookup by primary identity, and a profile's contact history. */
@Path("/profiles")
public class ProfileResource {

    /** Newline-delimited JSON, one profile per line. */
    public static final String NDJSON = "application/x-ndjson";

    private final ProfileService profiles;
    private final ContactHistory history;
    private final ErasureService erasures;
    private final Caller caller;

    public ProfileResource(ProfileService profiles, ContactHistory history, ErasureService erasures, Caller caller) {
        this.caller = caller;
        this.profiles = profiles;
        this.history = history;
        this.erasures = erasures;
    }

    /**
     * Upserts one profile per line. A blocking method taking an InputStream gets the body as it arrives
     * rather than buffered, so bodies of any size stream through. The body is UTF-8 unless Content-Type declares
     * another {@code charset}.
     */
    @POST
    @Path("/bulk")
    @Consumes({NDJSON, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "profiles.ingest", entity = "profiles", idParam = "")
    public BulkResult bulk(InputStream body, HttpHeaders headers) {
        return BulkResult.of(profiles.ingest(body, charset(headers), caller.actor()));
    }

    /**
     * Upserts one profile per CSV record. The first record is the header; {@code mapping} is a JSON object from
     * header name to profile path (optionally typed {@code :number} or {@code :boolean}); {@code namespace}
     * is the identity namespace unless a column maps to {@code identity.namespace}.
     */
    @POST
    @Path("/csv")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "profiles.ingest", entity = "profiles", idParam = "")
    public BulkResult csv(
            InputStream body,
            HttpHeaders headers,
            @RestQuery String mapping,
            @RestQuery String namespace,
            @RestQuery String delimiter) {
        return BulkResult.of(profiles.ingestCsv(body, charset(headers), mapping, namespace, delimiter, caller.actor()));
    }

    /** The charset the body declares (UTF-8 when none); 415 naming Content-Type when this JVM does not know it. */
    static Charset charset(HttpHeaders headers) {
        MediaType type = headers.getMediaType();
        String name = null;
        if (type != null) {
            for (Map.Entry<String, String> parameter : type.getParameters().entrySet()) {
                if (parameter.getKey().equalsIgnoreCase(MediaType.CHARSET_PARAMETER)) {
                    name = parameter.getValue();
                }
            }
        }
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            String shown = name.replaceAll("[^A-Za-z0-9._:+-]", "?");
            String detail = "charset " + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown)
                    + " is not supported; declare a charset such as UTF-8, ISO-8859-1 or windows-1252";
            throw new ApiException(
                    415,
                    "unsupported-charset",
                    "Unsupported charset",
                    detail,
                    List.of(new Problem.FieldError("Content-Type", "charset", detail)));
        }
    }

    @GET
    @Path("/{namespace}/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    public Response get(@RestPath String namespace, @RestPath String id) {
        return Response.ok(profiles.get(namespace, id), MediaType.APPLICATION_JSON)
                .build();
    }

    /**
     * The profile's contact history, newest first, paged like {@code /audit}: every delivered run that mailed it
     * (with file, part and split value) or held it out. A profile never contacted (or unknown) has an empty history.
     */
    @GET
    @Path("/{namespace}/{id}/contacts")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    public ContactView.Page contacts(
            @RestPath String namespace,
            @RestPath String id,
            @RestQuery
                    @DefaultValue("0")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "10000"))
                    String page,
            @RestQuery
                    @DefaultValue("50")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
                    String size)
            throws SQLException {
        int pageNumber = Paging.page(page);
        int pageSize = Paging.size(size);
        ContactPage found = history.profileContacts(namespace, id, pageNumber, pageSize);
        return new ContactView.Page(
                found.items().stream().map(ContactView::of).toList(), pageNumber, pageSize, found.total());
    }

    /**
     * The right to erasure: deletes the profile and its responses, anonymises its contact history, remembers only a
     * salted hash so that a later import of the identity is refused, and lists the runs whose staged exports may still
     * hold it; with {@code purgeExports=true} their purge is requested from the extraction-service.
     */
    @DELETE
    @Path("/{namespace}/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AUDIENCE_MANAGER)
    @Audited(action = "profile.erase", entity = "erasure", idParam = "")
    public ErasureView erase(@RestPath String namespace, @RestPath String id, @RestQuery String purgeExports) {
        boolean purge;
        if (purgeExports == null || purgeExports.equalsIgnoreCase("false")) {
            purge = false;
        } else if (purgeExports.equalsIgnoreCase("true")) {
            purge = true;
        } else {
            throw ApiException.badParameter("purgeExports", "type", "purgeExports must be true or false");
        }
        return ErasureView.of(erasures.erase(namespace, id, purge, caller.actor()));
    }
}
