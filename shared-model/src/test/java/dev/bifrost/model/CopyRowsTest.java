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
                + "3\t\\b\\f\\v\\101\\x42\\x4a!\t\\\\\n"
                + "4\tx\\Ny\t\\N\\N\n";
        List<String[]> rows = new CopyRows(4, text.getBytes(StandardCharsets.UTF_8)).values(3);

        assertThat(rows).containsExactly(
                new String[] {"1", "São Paulo\ttab", null},
                new String[] {"2", "\\N is text\r\n", ""},
                new String[] {"3", "\b\f\u000bABJ!", "\\"},
                new String[] {"4", "xNy", "NN"});
    }

    @Test
    void findsWhereEachLineStarts() {
        byte[] data = "1\ta\\nb\n22\tc\n\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new CopyRows(3, data).lineStarts()).containsExactly(0, 7, 12, 13);
        assertThat(new CopyRows(0, new byte[0]).lineStarts()).containsExactly(0);
    }

    @Test
    void rejectsRowsThatDoNotMatchTheDeclaredCountOrTheTable() {
        byte[] twoRows = "1\ta\n2\tb\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new CopyRows(3, twoRows).values(2)).isInstanceOf(ChangelogFormatException.class)
                .hasMessageContaining("2 complete lines where the header declares 3");
        assertThatThrownBy(() -> new CopyRows(3, twoRows).lineStarts())
                .isInstanceOf(ChangelogFormatException.class);
        assertThatThrownBy(() -> new CopyRows(1, twoRows).lineStarts())
                .isInstanceOf(ChangelogFormatException.class);
        assertThatThrownBy(() -> new CopyRows(2, twoRows).values(3)).isInstanceOf(ChangelogFormatException.class)
                .hasMessageContaining("line 1 holds 2 values where the table has 3 columns");
        byte[] cutShort = "1\ta\n2\tb".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new CopyRows(2, cutShort).values(2)).isInstanceOf(ChangelogFormatException.class);
        assertThatThrownBy(() -> new CopyRows(2, cutShort).lineStarts()).isInstanceOf(ChangelogFormatException.class);
        assertThat(new CopyRows(0, new byte[0]).values(2)).isEmpty();
    }
}
