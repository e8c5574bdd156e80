@NullMarked
package dev.bifrost.apply.consume;

import org.jspecify.annotations.NullMarked;
