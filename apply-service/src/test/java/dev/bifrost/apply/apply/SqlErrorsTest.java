package dev.bifrost.apply.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void connectionAndServerTroubleIsRetriable() {
        assertThat(SqlErrors.isRetriable(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(SqlErrors.isRetriable(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(SqlErrors.isRetriable(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(SqlErrors.isRetriable(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(SqlErrors.isRetriable(new SQLException("out of memory", "53200"))).isTrue();
        assertThat(SqlErrors.isRetriable(new SQLException("another applier holds the lock", "55P03"))).isTrue();
        assertThat(SqlErrors.isRetriable(new SQLTransientConnectionException("pool"))).isTrue();
        assertThat(SqlErrors.isRetriable(new SQLException("I/O error", null, new EOFException()))).isTrue();
        assertThat(SqlErrors.isRetriable(new IllegalStateException("wrapped", new SQLException("x", "08006"))))
                .isTrue();
    }

    @Test
    void badDataAndBadSchemaArePermanent() {
        assertThat(SqlErrors.isRetriable(new SQLException("invalid input syntax for type bigint", "22P02")))
                .isFalse();
        assertThat(SqlErrors.isRetriable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(SqlErrors.isRetriable(new SQLException("relation does not exist", "42P01"))).isFalse();
        assertThat(SqlErrors.isRetriable(new SQLException("password authentication failed", "28P01"))).isFalse();
        assertThat(SqlErrors.isRetriable(new IllegalArgumentException("not SQL"))).isFalse();
    }

    @Test
    void tellsAFailureOfTheTableFromAFailureOfTheRows() {
        assertThat(SqlErrors.isAboutTheTable(new SQLException("column does not exist", "42703"))).isTrue();
        assertThat(SqlErrors.isAboutTheTable(new SQLException("permission denied", "42501"))).isTrue();
        assertThat(SqlErrors.isAboutTheTable(new SQLException("not supported", "0A000"))).isTrue();
        assertThat(SqlErrors.isAboutTheTable(new SQLException("check constraint", "23514"))).isFalse();
        assertThat(SqlErrors.isAboutTheTable(new SQLException("invalid input syntax", "22P02"))).isFalse();
        assertThat(SqlErrors.isAboutTheTable(new SQLException("no state"))).isFalse();
    }
}
