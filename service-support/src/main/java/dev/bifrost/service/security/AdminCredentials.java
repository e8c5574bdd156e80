package dev.bifrost.service.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The management credentials, from the environment ({@code BIFROST_ADMIN_USER}, {@code BIFROST_ADMIN_PASSWORD});
 * never committed. Without a password, management writes are refused.
 *
 * @param adminUser     user name for management writes over HTTP Basic
 * @param adminPassword its password
 */
@ConfigurationProperties("bifrost.security")
public record AdminCredentials(String adminUser, @Nullable String adminPassword) {

    public boolean configured() {
        return adminPassword != null && !adminPassword.isBlank();
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + adminUser + "]";
    }
}
