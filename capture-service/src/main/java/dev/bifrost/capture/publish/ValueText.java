package dev.bifrost.capture.publish;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Turns the values of Debezium change events back into PostgreSQL's text input form, so that the apply
 * side can bind every value as text and cast it to the column's type. The Debezium configuration is chosen
 * so that these conversions are lossless: decimals as strings, times in microseconds, intervals as ISO 8601
 * (which PostgreSQL accepts), binary as bytes. The values those conversions would change arrive as text already
 * ({@link PgTextConverter}); the conversions here serve the rest, and the same types under a domain.
 */
public final class ValueText {

    /** Debezium's stand-in for an unchanged TOASTed value; configured so it cannot be mistaken for data. */
    public static final String UNAVAILABLE = "__bifrost_unchanged_toast__";

    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(StandardCharsets.UTF_8);
    private static final HexFormat HEX = HexFormat.of();

    private ValueText() {
    }

    /** Whether a value is Debezium's placeholder for an unchanged TOASTed value. */
    static boolean isUnavailable(@Nullable Object value) {
        if (value instanceof String s) {
            return UNAVAILABLE.equals(s);
        }
        if (value instanceof byte[] b) {
            return Arrays.equals(UNAVAILABLE_BYTES, b);
        }
        if (value instanceof ByteBuffer b) {
            return b.remaining() == UNAVAILABLE_BYTES.length && ByteBuffer.wrap(UNAVAILABLE_BYTES).equals(b);
        }
        if (value instanceof List<?> list) {
            return list.size() == 1 && isUnavailable(list.get(0));
        }
        return false;
    }

    /** The PostgreSQL text form of a value of a field with the given Connect schema; null for NULL. */
    static @Nullable String of(Schema schema, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            String text = named(name, value);
            if (text != null) {
                return text;
            }
        }
        return switch (schema.type()) {
            case BYTES -> "\\x" + HEX.formatHex(bytes(value));
            case ARRAY -> array(schema.valueSchema(), (List<?>) value);
            case MAP -> hstore((Map<?, ?>) value);
            // both boolean and bit(1) arrive as Connect booleans; '1' and '0' are input to either
            case BOOLEAN -> ((Boolean) value) ? "1" : "0";
            default -> value.toString();
        };
    }

    private static @Nullable String named(String name, Object value) {
        return switch (name) {
            case "io.debezium.time.Date" -> date(LocalDate.ofEpochDay(((Number) value).longValue()));
            case "io.debezium.time.Time" -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
            case "io.debezium.time.MicroTime" -> time(((Number) value).longValue() * 1_000L);
            case "io.debezium.time.NanoTime" -> time(((Number) value).longValue());
            case "io.debezium.time.Timestamp" -> timestamp(((Number) value).longValue(), 1_000L);
            case "io.debezium.time.MicroTimestamp" -> timestamp(((Number) value).longValue(), 1_000_000L);
            case "io.debezium.time.NanoTimestamp" -> timestamp(((Number) value).longValue(), 1_000_000_000L);
            case "org.apache.kafka.connect.data.Decimal" -> ((BigDecimal) value).toPlainString();
            case "org.apache.kafka.connect.data.Date" -> LocalDate.ofInstant(((java.util.Date) value).toInstant(),
                    ZoneOffset.UTC).toString();
            case "org.apache.kafka.connect.data.Timestamp" -> LocalDateTime.ofInstant(
                    ((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
            case "io.debezium.data.Bits" -> value instanceof byte[] b ? bits(b) : null;
            default -> null;
        };
    }

    private static String time(long nanoOfDay) {
        // PostgreSQL's time type allows 24:00:00, which LocalTime cannot hold
        return nanoOfDay >= 86_400_000_000_000L ? "24:00:00" : LocalTime.ofNanoOfDay(nanoOfDay).toString();
    }

    /** A timestamp of {@code units} per second since the epoch; split first, so that no year overflows. */
    private static String timestamp(long sinceEpoch, long unitsPerSecond) {
        return timestamp(Instant.ofEpochSecond(Math.floorDiv(sinceEpoch, unitsPerSecond),
                Math.floorMod(sinceEpoch, unitsPerSecond) * (1_000_000_000L / unitsPerSecond)));
    }

    /** An instant as a PostgreSQL timestamp (UTC), BC years included. */
    static String timestamp(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        // ISO prints years past 9999 with a plus and years before 1 as negative; PostgreSQL wants neither
        return t.getYear() > 0 ? unsigned(t.toString()) : t.withYear(1 - t.getYear()) + " BC";
    }

    static String date(LocalDate d) {
        return d.getYear() > 0 ? unsigned(d.toString()) : d.withYear(1 - d.getYear()) + " BC";
    }

    private static String unsigned(String iso) {
        return iso.charAt(0) == '+' ? iso.substring(1) : iso;
    }

    private static String bits(byte[] littleEndian) {
        StringBuilder sb = new StringBuilder(littleEndian.length * 8);
        for (int i = littleEndian.length * 8 - 1; i >= 0; i--) {
            sb.append((littleEndian[i / 8] >> (i % 8) & 1) == 1 ? '1' : '0');
        }
        return sb.toString();
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
        return (byte[]) value;
    }

    private static String array(Schema elementSchema, List<?> values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String element = of(elementSchema, values.get(i));
            if (element == null) {
                sb.append("NULL");
            } else {
                quoteInto(sb, element);
            }
        }
        return sb.append('}').toString();
    }

    private static String hstore(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            quoteInto(sb, String.valueOf(entry.getKey()));
            sb.append("=>");
            if (entry.getValue() == null) {
                sb.append("NULL");
            } else {
                quoteInto(sb, entry.getValue().toString());
            }
        }
        return sb.toString();
    }

    private static void quoteInto(StringBuilder sb, String text) {
        sb.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
