@NullMarked
package dev.bifrost.apply.apply;

import org.jspecify.annotations.NullMarked;
