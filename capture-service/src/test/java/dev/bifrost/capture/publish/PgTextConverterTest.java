package dev.bifrost.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.data.SpecialValueDecimal;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.postgresql.geometric.PGbox;
import org.postgresql.geometric.PGpoint;

class PgTextConverterTest {

    @Test
    void numericSpecialValuesAreThePostgresqlSpellings() {
        assertThat(PgTextConverter.text(SpecialValueDecimal.NOT_A_NUMBER)).isEqualTo("NaN");
        assertThat(PgTextConverter.text(SpecialValueDecimal.POSITIVE_INF)).isEqualTo("Infinity");
        assertThat(PgTextConverter.text(SpecialValueDecimal.NEGATIVE_INF)).isEqualTo("-Infinity");
        assertThat(PgTextConverter.text(new SpecialValueDecimal(new BigDecimal("-1234567.8910"))))
                .isEqualTo("-1234567.8910");
        assertThat(PgTextConverter.text(new BigDecimal("1E-20"))).isEqualTo("0.00000000000000000001");
    }

    @Test
    void infinitiesAndBcDatesOfDatesAndTimestamps() {
        assertThat(PgTextConverter.text(PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE)).isEqualTo("infinity");
        assertThat(PgTextConverter.text(PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE)).isEqualTo("-infinity");
        assertThat(PgTextConverter.text(PostgresValueConverter.POSITIVE_INFINITY_INSTANT)).isEqualTo("infinity");
        assertThat(PgTextConverter.text(PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME))
                .isEqualTo("-infinity");
        assertThat(PgTextConverter.text(LocalDate.of(-4712, 1, 1))).isEqualTo("4713-01-01 BC");
        assertThat(PgTextConverter.text(Instant.parse("+294276-12-31T23:59:59.999999Z")))
                .isEqualTo("294276-12-31T23:59:59.999999");
        assertThat(PgTextConverter.text(OffsetDateTime.of(2024, 2, 29, 1, 2, 3, 4000, ZoneOffset.UTC)))
                .isEqualTo("2024-02-29T01:02:03.000004+00");
    }

    @Test
    void geometricValuesAndTextPassAsThePostgresqlText() {
        assertThat(PgTextConverter.text(new PGpoint(1.5, -2))).isEqualTo("(1.5,-2.0)");
        assertThat(PgTextConverter.text(new PGbox(1, 1, 0, 0))).isEqualTo("(1.0,1.0),(0.0,0.0)");
        assertThat(PgTextConverter.text("000101")).isEqualTo("000101");
        assertThat(PgTextConverter.text(null)).isNull();
    }

    @Test
    void anUnchangedToastedValueIsTheCapturesPlaceholder() {
        assertThat(PgTextConverter.text(UnchangedToastedReplicationMessageColumn.UNCHANGED_TOAST_VALUE))
                .isEqualTo(ValueText.UNAVAILABLE);
        assertThat(PgTextConverter.text(UnchangedToastedReplicationMessageColumn.UNCHANGED_TEXT_ARRAY_TOAST_VALUE))
                .isEqualTo(ValueText.UNAVAILABLE);
    }
}
