package dev.bifrost.apply.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableWriterTest {

    @Test
    void arrayLiteralsQuoteEveryElementAndEscapeOnlyQuotesAndBackslashes() {
        String literal = TableWriter.arrayLiteral(new String[] {"plain", null, "say \"hi\"", "C:\\dir", "", "NULL",
                "{a,b}", "tab\tnew\nline"});

        assertThat(literal).isEqualTo("{\"plain\",NULL,\"say \\\"hi\\\"\",\"C:\\\\dir\",\"\",\"NULL\",\"{a,b}\","
                + "\"tab\tnew\nline\"}");
    }

    @Test
    void copyValuesEscapeWhatCopyTextFormatReadsAsSyntax() {
        StringBuilder out = new StringBuilder();
        for (String value : new String[] {"plain", null, "C:\\dir", "tab\there", "new\nline\r", "\\N", ""}) {
            TableWriter.copyValue(out, value);
            out.append('|');
        }

        assertThat(out).hasToString("plain|\\N|C:\\\\dir|tab\\there|new\\nline\\r|\\\\N||");
    }
}
