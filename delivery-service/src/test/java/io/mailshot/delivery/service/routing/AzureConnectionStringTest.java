package io.mailshot.delivery.service.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AzureConnectionStringTest {

    private static final String KEY = "c2VjcmV0LWtleS1ieXRlcw==";

    @Test
    void azurePortalFormGivesTheAccountEndpoint() {
        AzureConnectionString parsed = AzureConnectionString.parse("DefaultEndpointsProtocol=https;AccountName=acme;"
                + "AccountKey=" + KEY + ";EndpointSuffix=core.windows.net");
        assertEquals("acme", parsed.accountName());
        assertEquals(KEY, parsed.accountKey());
        assertEquals("https://acme.blob.core.windows.net", parsed.blobEndpoint());
        assertFalse(parsed.toString().contains(KEY));
    }

    @Test
    void explicitBlobEndpointWins() {
        AzureConnectionString parsed = AzureConnectionString.parse("accountname=devstoreaccount1;AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1/;");
        assertEquals("http://127.0.0.1:10000/devstoreaccount1", parsed.blobEndpoint());
    }

    @Test
    void refusalsNeverRepeatTheString() {
        for (String bad : new String[] {
            "",
            "AccountName=acme",
            "AccountName=acme;AccountKey=not base64 " + KEY,
            "AccountName=ACME;AccountKey=" + KEY,
            "UseDevelopmentStorage=true",
            "AccountName=acme;AccountKey=" + KEY + ";BlobEndpoint=ftp://x",
            "no-equals-sign",
            "AccountName=acme;SharedAccessSignature=sv=1&sig=" + KEY
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> AzureConnectionString.parse(bad), bad);
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
        }
    }
}
