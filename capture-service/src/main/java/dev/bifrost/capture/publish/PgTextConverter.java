package dev.bifrost.capture.publish;

import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.data.SpecialValueDecimal;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PGobject;

/**
 * A Debezium custom converter that hands over, as PostgreSQL text, the values that Debezium's own conversions
 * would change: arrays (as the server sent them: any dimension, NULL elements, every element type), bit strings
 * (Debezium keeps neither their length nor leading zeros), geometric types, numeric NaN and infinities, date and
 * timestamp infinities and BC dates, intervals, composites, multiranges and the other types Debezium does not
 * know. Every other type keeps Debezium's conversion, which {@link ValueText} turns back into text.
 *
 * <p>Not recoverable through Debezium: the offset of a {@code timetz} value, which its decoder normalises to UTC
 * before any converter sees it (the instant is kept).
 */
public final class PgTextConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    private static final Set<String> TYPES = Set.of("bit", "varbit", "point", "line", "lseg", "box", "path",
            "polygon", "circle", "numeric", "date", "timestamp", "timestamptz", "interval", "tsquery", "pg_lsn",
            "int4multirange", "int8multirange", "nummultirange", "datemultirange", "tsmultirange", "tstzmultirange");

    @Override
    public void configure(Properties properties) {
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName() == null ? "" : column.typeName().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("_") || TYPES.contains(type) || column.jdbcType() == Types.STRUCT) {
            registration.register(SchemaBuilder.string().optional(), PgTextConverter::text);
        }
    }

    static @Nullable String text(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (UnchangedToastedReplicationMessageColumn.isUnchangedToastedValue(value)) {
            return ValueText.UNAVAILABLE;
        }
        return switch (value) {
            case String s -> s;
            // pgjdbc's PgArray keeps the server's text and returns it
            case java.sql.Array array -> array.toString();
            case PGobject object -> object.getValue();
            case SpecialValueDecimal special -> special.getDecimalValue().map(BigDecimal::toPlainString)
                    .orElseGet(() -> special.equals(SpecialValueDecimal.NOT_A_NUMBER) ? "NaN"
                            : special.equals(SpecialValueDecimal.POSITIVE_INF) ? "Infinity" : "-Infinity");
            case BigDecimal decimal -> decimal.toPlainString();
            case LocalDate date -> date.equals(PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE) ? "infinity"
                    : date.equals(PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE) ? "-infinity"
                    : ValueText.date(date);
            case Instant instant -> instant.equals(PostgresValueConverter.POSITIVE_INFINITY_INSTANT) ? "infinity"
                    : instant.equals(PostgresValueConverter.NEGATIVE_INFINITY_INSTANT) ? "-infinity"
                    : ValueText.timestamp(instant);
            case OffsetDateTime time -> time.equals(PostgresValueConverter.POSITIVE_INFINITY_OFFSET_DATE_TIME)
                    ? "infinity" : time.equals(PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME) ? "-infinity"
                    : ValueText.timestamp(time.toInstant()) + "+00";
            case byte[] bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            default -> value.toString();
        };
    }
}
