package io.mailshot.delivery.service.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An Azure Storage connection string with an account key, parsed into its parts. Error messages say what is wrong
 * but never repeat any part of the string, since it holds the account key.
 */
public record AzureConnectionString(String accountName, String accountKey, String blobEndpoint) {

    private static final Pattern ACCOUNT = Pattern.compile("^[a-z0-9]{3,24}$");

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a message fit for an API response. */
    public static AzureConnectionString parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        Map<String, String> parts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String segment : text.strip().split(";")) {
            if (segment.isBlank()) {
                continue;
            }
            int eq = segment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("must be Key=Value pairs separated by ';'");
            }
            parts.put(
                    segment.substring(0, eq).strip(), segment.substring(eq + 1).strip());
        }
        if (parts.containsKey("UseDevelopmentStorage")) {
            throw new IllegalArgumentException(
                    "UseDevelopmentStorage is not supported: give AccountName, AccountKey" + " and BlobEndpoint");
        }
        String account = parts.get("AccountName");
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("must contain AccountName (3-24 lowercase letters and digits)");
        }
        String key = parts.get("AccountKey");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("must contain AccountKey (shared access signatures are not supported)");
        }
        try {
            if (Base64.getDecoder().decode(key).length == 0) {
                throw new IllegalArgumentException("empty");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AccountKey must be base64, as shown in the Azure portal");
        }
        String endpoint = parts.get("BlobEndpoint");
        if (endpoint == null || endpoint.isEmpty()) {
            String protocol =
                    parts.getOrDefault("DefaultEndpointsProtocol", "https").toLowerCase(Locale.ROOT);
            if (!protocol.equals("https") && !protocol.equals("http")) {
                throw new IllegalArgumentException("DefaultEndpointsProtocol must be https or http");
            }
            String suffix = parts.getOrDefault("EndpointSuffix", "core.windows.net");
            endpoint = protocol + "://" + account + ".blob." + suffix;
        }
        try {
            URI uri = new URI(endpoint);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getUserInfo() != null
                    || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw new URISyntaxException(endpoint, "not a plain http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "BlobEndpoint (or EndpointSuffix) must make a plain http:// or https://" + " URL");
        }
        return new AzureConnectionString(
                account, key, endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
    }

    /**
     * Checks, when a routing is saved, that the blob endpoint is one the Azure client can use: a host name or an IPv4
     * address of an accepted form ({@link HostNames}; not IPv6, which the client cannot parse) and a port 1-65535 if
     * any; with a port (Azurite, an emulator, an IP address) the
     * client reads the account from the path, so the path must be {@code /<AccountName>}; without one it reads the
     * account from the host name, so there must be no path. Throws {@link IllegalArgumentException} saying what is
     * wrong, without repeating the string.
     */
    public void checkUsable() {
        URI uri;
        try {
            uri = HostNames.httpEndpoint(blobEndpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has a BlobEndpoint (or EndpointSuffix) that " + e.getMessage());
        }
        if (uri.getHost().startsWith("[")) {
            // The Azure client splits host and port at the first ':' (a NumberFormatException on every request).
            throw new IllegalArgumentException("has a BlobEndpoint with an IPv6 address, which the Azure client cannot"
                    + " use: give a host name or an IPv4 address");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getPort() != -1 && !path.equals("/" + accountName) && !path.equals("/" + accountName + "/")) {
            throw new IllegalArgumentException("has a BlobEndpoint with a port, so its path must be the account name"
                    + " (http://host:port/<AccountName>, as Azurite's)");
        }
        if (uri.getPort() == -1 && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("has a BlobEndpoint with a path but no port: the account goes in the"
                    + " host name (https://<AccountName>.blob.core.windows.net)");
        }
    }

    @Override
    public String toString() {
        return "AzureConnectionString[account=" + accountName + ", blobEndpoint=" + blobEndpoint + "]";
    }
}
