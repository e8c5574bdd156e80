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
}
