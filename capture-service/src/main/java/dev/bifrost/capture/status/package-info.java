@NullMarked
package dev.bifrost.capture.status;

import org.jspecify.annotations.NullMarked;
