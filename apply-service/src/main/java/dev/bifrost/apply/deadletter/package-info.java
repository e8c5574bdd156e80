@NullMarked
package dev.bifrost.apply.deadletter;

import org.jspecify.annotations.NullMarked;
