package dev.bifrost.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** Debezium's values back to PostgreSQL's text input. */
class ValueTextTest {

    private static Schema named(String name, Schema.Type type) {
        return SchemaBuilder.type(type).name(name).optional().build();
    }

    @Test
    void timestampsKeepTheirPrecisionAndEveryYearPostgresAccepts() {
        Schema micro = named("io.debezium.time.MicroTimestamp", Schema.Type.INT64);
        assertThat(ValueText.of(micro, 1_700_000_000_123_456L)).isEqualTo("2023-11-14T22:13:20.123456");
        // regression: microseconds times 1,000 overflowed past 2262 (year 33712 arrived as 2146)
        assertThat(ValueText.of(micro, 1_000_000_000_000_000_000L)).startsWith("33658-");
        assertThat(ValueText.of(micro, -62_135_596_800_000_001L)).isEqualTo("0001-12-31T23:59:59.999999 BC");
        assertThat(ValueText.of(named("io.debezium.time.Timestamp", Schema.Type.INT64), 1_500L))
                .isEqualTo("1970-01-01T00:00:01.500");
        assertThat(ValueText.of(named("io.debezium.time.NanoTimestamp", Schema.Type.INT64), 1L))
                .isEqualTo("1970-01-01T00:00:00.000000001");
    }

    @Test
    void datesTimesDecimalsBytesBitsAndArrays() {
        assertThat(ValueText.of(named("io.debezium.time.Date", Schema.Type.INT32), 19_000)).isEqualTo("2022-01-08");
        assertThat(ValueText.of(named("io.debezium.time.MicroTime", Schema.Type.INT64), 86_400_000_000L))
                .isEqualTo("24:00:00");
        assertThat(ValueText.of(Decimal.schema(2), new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ValueText.of(Schema.OPTIONAL_BYTES_SCHEMA, new byte[] {0x0a, (byte) 0xff})).isEqualTo("\\x0aff");
        assertThat(ValueText.of(named("io.debezium.data.Bits", Schema.Type.BYTES), new byte[] {0b101})).isEqualTo(
                "00000101");
        Schema texts = SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build();
        assertThat(ValueText.of(texts, Arrays.asList("a,b", "c\"d", null, "e\\f")))
                .isEqualTo("{\"a,b\",\"c\\\"d\",NULL,\"e\\\\f\"}");
        Schema hstore = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build();
        assertThat(ValueText.of(hstore, Map.of("k", "v"))).isEqualTo("\"k\"=>\"v\"");
        assertThat(ValueText.of(Schema.OPTIONAL_STRING_SCHEMA, null)).isNull();
    }

    @Test
    void recognisesTheUnchangedToastPlaceholderInEveryShapeItTakes() {
        assertThat(ValueText.isUnavailable(ValueText.UNAVAILABLE)).isTrue();
        assertThat(ValueText.isUnavailable(ValueText.UNAVAILABLE.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ValueText.isUnavailable(List.of(ValueText.UNAVAILABLE))).isTrue();
        assertThat(ValueText.isUnavailable("__bifrost_unchanged_toast")).isFalse();
        assertThat(ValueText.isUnavailable(List.of(ValueText.UNAVAILABLE, "x"))).isFalse();
        assertThat(ValueText.isUnavailable(null)).isFalse();
    }
}
