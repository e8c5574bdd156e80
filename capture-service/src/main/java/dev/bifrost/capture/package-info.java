@NullMarked
package dev.bifrost.capture;

import org.jspecify.annotations.NullMarked;
