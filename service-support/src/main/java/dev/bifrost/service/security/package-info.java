@NullMarked
package dev.bifrost.service.security;

import org.jspecify.annotations.NullMarked;
