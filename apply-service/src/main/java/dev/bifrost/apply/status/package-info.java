@NullMarked
package dev.bifrost.apply.status;

import org.jspecify.annotations.NullMarked;
