package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RowCleanerTest {

    private static final List<String> HEADER = List.of("ANO_EMISSAO", "MES_EMISSAO", "UF", "MUNICÍPIO",
            "STATUS_REGISTRO", "ESPECIE_ARMA", "MARCA_ARMA", "CALIBRE_ARMA", "SEXO", "CATEGORIA", "TOTAL");

    private final RowCleaner cleaner = new RowCleaner(Dataset.REGISTROS,
            HeaderMatcher.match(Dataset.REGISTROS, HEADER));
    private final String[] values = new String[11];

    private String clean(String line) {
        return cleaner.clean(line.split(";", -1), values);
    }

    @Test
    void aGoodRowIsCleaned() {
        assertThat(clean(" 2023 ;03; sp ;  SÃO   PAULO ;ATIVO;REVÓLVER;TAURUS;.38;m;CIDADÃO;007")).isNull();
        assertThat(values).containsExactly("2023", "3", "SP", "Sao Paulo", "Ativo", "Revolver", "Taurus", ".38", "M",
                "Cidadao", "7");
    }

    @Test
    void blanksBecomeNull() {
        assertThat(clean("2023;3;;  ;ATIVO;PISTOLA;;   ;;CIDADÃO;1")).isNull();
        assertThat(values).containsExactly("2023", "3", null, null, "Ativo", "Pistola", null, null, null, "Cidadao",
                "1");
    }

    @Test
    void aWrongFieldCountIsRejected() {
        assertThat(clean("2023;3;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO")).isEqualTo(
                "expected 11 fields, found 10");
        assertThat(clean("2023;3;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;1;x")).isEqualTo(
                "expected 11 fields, found 12");
    }

    @Test
    void aNonIntegerTotalIsRejected() {
        assertThat(clean("2023;3;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;dois"))
                .isEqualTo("total: 'dois' is not an integer");
        assertThat(clean("2023;3;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;1,5"))
                .isEqualTo("total: '1,5' is not an integer");
        assertThat(clean("2023;3;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;")).isEqualTo("total is empty");
        assertThat(clean("2023;3;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;-2")).isEqualTo("total: -2 is negative");
    }

    @Test
    void anImpossibleMonthOrYearIsRejected() {
        assertThat(clean("2023;13;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;1"))
                .isEqualTo("mes_missao: 13 is not a month (1 to 12)");
        assertThat(clean("2023;0;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;1"))
                .isEqualTo("mes_missao: 0 is not a month (1 to 12)");
        assertThat(clean("23;1;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;1"))
                .isEqualTo("ano_emissao: 23 is not a plausible year");
    }

    @Test
    void anOversizeValueIsRejected() {
        assertThat(clean("2023;1;SPX;SANTOS;ATIVO;PISTOLA;TAURUS;.380;M;CIDADÃO;1"))
                .isEqualTo("uf: 'SPX' is longer than 2 characters");
        assertThat(clean("2023;1;SP;SANTOS;ATIVO;PISTOLA;TAURUS;.380;MASCULINO;CIDADÃO;1"))
                .isEqualTo("sexo: 'Masculino' is longer than 1 character");
    }
}
