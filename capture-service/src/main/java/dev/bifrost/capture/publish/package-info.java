@NullMarked
package dev.bifrost.capture.publish;

import org.jspecify.annotations.NullMarked;
