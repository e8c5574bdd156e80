@NullMarked
package dev.bifrost.apply.schema;

import org.jspecify.annotations.NullMarked;
