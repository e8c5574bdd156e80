package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextCleanerTest {

    @Test
    void transliteratesToAscii() {
        assertThat(TextCleaner.ascii("SÃO JOSÉ DOS CAMPOS")).isEqualTo("SAO JOSE DOS CAMPOS");
        assertThat(TextCleaner.ascii("REVÓLVER")).isEqualTo("REVOLVER");
        assertThat(TextCleaner.ascii("CAÇADOR DE SUBSISTÊNCIA")).isEqualTo("CACADOR DE SUBSISTENCIA");
        assertThat(TextCleaner.ascii("Nº 1ª ação°")).isEqualTo("No 1a acaoo");
        assertThat(TextCleaner.ascii("GOIÂNIA\u00A0")).isEqualTo("GOIANIA ");
        assertThat(TextCleaner.ascii("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ"))
                .isEqualTo("AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyy");
    }

    @Test
    void titleCasesLikeThePythonPipeline() {
        assertThat(TextCleaner.titleCase("SAO PAULO")).isEqualTo("Sao Paulo");
        assertThat(TextCleaner.titleCase("alta floresta d'oeste")).isEqualTo("Alta Floresta D'Oeste");
        assertThat(TextCleaner.titleCase("SMITH & WESSON")).isEqualTo("Smith & Wesson");
        assertThat(TextCleaner.titleCase("E.R. AMANTINO")).isEqualTo("E.R. Amantino");
        assertThat(TextCleaner.titleCase("9MM")).isEqualTo("9Mm");
        assertThat(TextCleaner.titleCase(".380")).isEqualTo(".380");
    }

    @Test
    void cleansTextTrimmedSqueezedAndTitled() {
        assertThat(TextCleaner.text("  SÃO   JOSÉ  DOS CAMPOS ")).isEqualTo("Sao Jose Dos Campos");
        assertThat(TextCleaner.text("revólver")).isEqualTo("Revolver");
        assertThat(TextCleaner.text("\tPISTOLA\t")).isEqualTo("Pistola");
        assertThat(TextCleaner.text("   ")).isNull();
        assertThat(TextCleaner.text("")).isNull();
    }

    @Test
    void cleansCodesUpperCase() {
        assertThat(TextCleaner.code(" sp ")).isEqualTo("SP");
        assertThat(TextCleaner.code("s")).isEqualTo("S");
        assertThat(TextCleaner.code(" ")).isNull();
    }
}
