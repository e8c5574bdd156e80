package dev.bifrost.bench;

/** One database on one of the local PostgreSQL servers. */
record Target(String name, int port, String database) {

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String toString() {
        return database + "@" + port;
    }
}
