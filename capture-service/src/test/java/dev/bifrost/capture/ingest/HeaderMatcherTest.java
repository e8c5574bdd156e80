package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderMatcherTest {

    @Test
    void foldsAccentsQuotesCaseAndSeparators() {
        assertThat(HeaderMatcher.fold("\"MUNICÍPIO\"")).isEqualTo("MUNICIPIO");
        assertThat(HeaderMatcher.fold(" município ")).isEqualTo("MUNICIPIO");
        assertThat(HeaderMatcher.fold("'Espécie Arma'")).isEqualTo("ESPECIE_ARMA");
        assertThat(HeaderMatcher.fold("Mês-Emissão")).isEqualTo("MES_EMISSAO");
        assertThat(HeaderMatcher.fold("TIPO_OCORRÊNCIA")).isEqualTo("TIPO_OCORRENCIA");
        assertThat(HeaderMatcher.fold("MAIS_1000_MIL_HAB")).isEqualTo("MAIS_1000_MIL_HAB");
    }

    @Test
    void matchesColumnsInAnyOrderAndIgnoresOthers() {
        List<String> header = List.of("TOTAL", "Observação", "CATEGORIA", "SEXO", "CALIBRE_ARMA", "MARCA_ARMA",
                "ESPÉCIE_ARMA", "STATUS_REGISTRO", "\"MUNICÍPIO\"", "uf", "MES_EMISSAO", "ANO_EMISSAO");
        HeaderMatcher.Header matched = HeaderMatcher.match(Dataset.REGISTROS, header);
        // ano_emissao, mes_missao, uf, municipio, status_registro, especie, marca, calibre, sexo, categoria, total
        assertThat(matched.positions()).containsExactly(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 0);
        assertThat(matched.fieldCount()).isEqualTo(12);
        assertThat(matched.ignored()).containsExactly("Observação");
    }

    @Test
    void acceptsBothSpellingsOfTheIssueMonth() {
        List<String> portes = List.of("ANO_EMISSAO", "MES_MISSAO", "UF", "MUNICIPIO", "TIPO", "STATUS", "ABRANGENCIA",
                "ESPECIE_ARMA", "MARCA_ARMA", "CALIBRE_ARMA", "SEXO", "TOTAL");
        assertThat(HeaderMatcher.match(Dataset.PORTES, portes).positions()[1]).isEqualTo(1);
        List<String> respelled = portes.stream().map(h -> h.equals("MES_MISSAO") ? "MES_EMISSAO" : h).toList();
        assertThat(HeaderMatcher.match(Dataset.PORTES, respelled).positions()[1]).isEqualTo(1);
    }

    @Test
    void aMissingColumnIsNamed() {
        List<String> header = List.of("ANO_OCORRENCIA", "MES_OCORRENCIA", "UF", "MUNICIPIO", "ESPECIE_ARMA",
                "MARCA_ARMA", "TIPO_OCORRENCIA", "TOTAL");
        assertThatThrownBy(() -> HeaderMatcher.match(Dataset.OCORRENCIAS, header))
                .isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("not a ocorrencias file")
                .hasMessageContaining("CALIBRE_ARMA, MAIS_1000_MIL_HAB");
    }

    @Test
    void aColumnNamedTwiceIsRefused() {
        List<String> header = List.of("ANO_EMISSAO", "MES_MISSAO", "MES_EMISSAO", "UF", "MUNICIPIO", "TIPO", "STATUS",
                "ABRANGENCIA", "ESPECIE_ARMA", "MARCA_ARMA", "CALIBRE_ARMA", "SEXO", "TOTAL");
        assertThatThrownBy(() -> HeaderMatcher.match(Dataset.PORTES, header))
                .isInstanceOf(RejectedFileException.class).hasMessageContaining("twice");
    }
}
