package io.mailshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watcher's text: bars, figures, rate and time left as the service estimates them, and the final report. */
class RunDisplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode run(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void aStageWithATotalShowsItsBarPercentRateAndTimeLeft() throws Exception {
        JsonNode run = run("{'status':'EXTRACTING','progress':{'current':{'stage':'EXTRACTING','unit':'rows',"
                + "'done':5000,'total':10000,'ratePerSecond':1249.6,'etaSeconds':4}}}");
        assertEquals(
                "EXTRACTING [###############...............]  50.0%  5,000/10,000 rows  1,250 rows/s  0:04 left",
                RunDisplay.line(run));
        assertEquals("EXTRACTING", RunDisplay.stage(run));
    }

    @Test
    void withoutATotalOrAnEstimateItSaysSoInsteadOfGuessing() throws Exception {
        JsonNode run = run("{'status':'RESOLVING','progress':{'current':{'stage':'RESOLVING','unit':'profiles',"
                + "'done':300,'total':null,'ratePerSecond':null,'etaSeconds':null}}}");
        assertEquals(
                "RESOLVING  [..............................]    ?   300 of ? profiles  time left unknown",
                RunDisplay.line(run));
    }

    @Test
    void bytesAreShownInBinaryUnitsAndStagingBesideTheRows() throws Exception {
        JsonNode delivering = run("{'status':'DELIVERING','progress':{'current':{'stage':'DELIVERING','unit':'bytes',"
                + "'done':1572864,'total':3145728,'ratePerSecond':524288.0,'etaSeconds':3723}}}");
        assertEquals(
                "DELIVERING [###############...............]  50.0%  1.5 MiB/3.0 MiB  512.0 KiB/s" + "  1:02:03 left",
                RunDisplay.line(delivering));
        JsonNode staging = run("{'status':'EXTRACTING','progress':{'partsStaged':2,'bytesStaged':2048,"
                + "'current':{'stage':'EXTRACTING','unit':'rows','done':10,'total':10,'etaSeconds':0}}}");
        assertTrue(
                RunDisplay.line(staging).endsWith("0:00 left  (staged 2 part(s), 2.0 KiB)"), RunDisplay.line(staging));
    }

    @Test
    void aBarNeverOverflows() {
        assertEquals("[" + "#".repeat(RunDisplay.BAR_WIDTH) + "]", RunDisplay.bar(1.0));
        assertEquals("[" + ".".repeat(RunDisplay.BAR_WIDTH) + "]", RunDisplay.bar(0));
        assertEquals(RunDisplay.BAR_WIDTH + 2, RunDisplay.bar(0.999).length());
    }

    @Test
    void aRunWithoutAStageUnderWayShowsItsStatus() throws Exception {
        assertEquals("REQUESTED ", RunDisplay.line(run("{'status':'REQUESTED','progress':{'current':null}}")));
        assertFalse(RunDisplay.isFinal(run("{'status':'DELIVERING'}")));
        assertTrue(RunDisplay.isFinal(run("{'status':'CANCELLED'}")));
    }

    @Test
    void theReportNamesCountsFilesDeliveryAndTheFailure() throws Exception {
        JsonNode delivered = run("{'id':'r1','status':'DELIVERED','counts':{'targeted':10,'streamed':9,"
                + "'excluded':{'noConsent':1,'noAddress':0,'suppressed':0,'duplicate':0,'holdout':0},"
                + "'exported':9,'seedRows':0,'rejected':0,'delivered':9},"
                + "'files':[{'name':'a.csv','rows':9,'bytes':120,'sha256':'ab'}],'manifest':'a.manifest.json',"
                + "'delivery':{'destination':'s3://inbox/out','location':'s3://inbox/out/a.csv',"
                + "'attempts':[{'attempt':1,'succeeded':true,'error':null}]},'error':null}");
        assertEquals(
                List.of(
                        "run r1: DELIVERED",
                        "  counts:   targeted=10 streamed=9 excluded(no consent=1 no address=0 suppressed=0 duplicate=0"
                                + " holdout=0) exported=9 seeds=0 rejected=0 delivered=9",
                        "  file:     a.csv  rows=9  bytes=120  sha256=ab",
                        "  manifest: a.manifest.json",
                        "  delivery: s3://inbox/out -> s3://inbox/out/a.csv",
                        "  attempt 1: succeeded"),
                RunDisplay.report(delivered));
        JsonNode failed = run("{'id':'r2','status':'FAILED','counts':{},'files':[],'delivery':{'destination':null,"
                + "'attempts':[]},'error':'the audience is empty'}");
        List<String> report = RunDisplay.report(failed);
        assertEquals("run r2: FAILED", report.get(0));
        assertEquals("  failure:  the audience is empty", report.get(report.size() - 1));
    }
}
