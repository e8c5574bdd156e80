package dev.bifrost.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    @Test
    void decodesEveryEscapeOfCopyTextAndTellsNullFromTheText() {
        String text = "1\tSão Paulo\\ttab\t\\N\n"
                + "2\t\\\\N is text\\r\\n\t\n"
                + "3\t\\b\\f\\v\\101\\x42\\x4a!\t\\\\\n";
        List<String[]> rows = new CopyRows(3, text.getBytes(StandardCharsets.UTF_8)).values();

        assertThat(rows).containsExactly(
                new String[] {"1", "São Paulo\ttab", null},
                new String[] {"2", "\\N is text\r\n", ""},
                new String[] {"3", "\b\f\u000bABJ!", "\\"});
    }

    @Test
    void rejectsRowsThatDoNotMatchTheDeclaredCount() {
        byte[] twoRows = "1\ta\n2\tb\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new CopyRows(3, twoRows).values()).isInstanceOf(ChangelogFormatException.class)
                .hasMessageContaining("2 complete lines where the header declares 3");
        byte[] cutShort = "1\ta\n2\tb".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new CopyRows(2, cutShort).values()).isInstanceOf(ChangelogFormatException.class);
        assertThat(new CopyRows(0, new byte[0]).values()).isEmpty();
    }
}
