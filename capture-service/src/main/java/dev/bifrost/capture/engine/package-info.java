@NullMarked
package dev.bifrost.capture.engine;

import org.jspecify.annotations.NullMarked;
