package io.mailshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailshot.launcher.FormatMatrix.Encoding;
import io.mailshot.launcher.MatrixProfiles.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The hand-written expectations of the matrix's profiles are consistent with the encodings they claim. */
class MatrixProfilesTest {

    @Test
    void everyExpectationFitsItsEncodingAndOnlyWhatDoesNotFitIsChanged() {
        List<String> problems = new ArrayList<>();
        for (MatrixProfiles.Profile profile : MatrixProfiles.all()) {
            for (Value value : profile.values().values()) {
                if (value == null) {
                    continue;
                }
                String neutral = "=+-@".indexOf(value.input().charAt(0)) >= 0 ? "'" + value.input() : value.input();
                for (Encoding encoding : Encoding.values()) {
                    String expected = value.expected(encoding);
                    if (!encoding.charset.newEncoder().canEncode(expected)) {
                        problems.add(encoding + " cannot hold " + expected);
                    }
                    if (encoding.charset.newEncoder().canEncode(neutral) && !expected.equals(neutral)) {
                        problems.add(encoding + " holds " + neutral + " as it is, not as " + expected);
                    }
                    if (!encoding.charset.newEncoder().canEncode(neutral) && expected.equals(neutral)) {
                        problems.add(encoding + " cannot hold " + neutral + ": it must be transliterated");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theProfilesStressWhatTheMatrixIsAbout() {
        List<MatrixProfiles.Profile> profiles = MatrixProfiles.all();
        List<String> inputs = profiles.stream()
                .flatMap(p -> p.values().values().stream())
                .filter(Objects::nonNull)
                .map(Value::input)
                .toList();
        for (String needle : List.of("€", "\"", ",", ";", "|", "\t", "\n", "\r\n", "🎉", "\u0301", "Œ", "ł")) {
            assertTrue(inputs.stream().anyMatch(s -> s.contains(needle)), "some value holds " + needle);
        }
        assertEquals(
                MatrixProfiles.COUNT,
                profiles.stream().map(MatrixProfiles.Profile::id).distinct().count());
    }
}
