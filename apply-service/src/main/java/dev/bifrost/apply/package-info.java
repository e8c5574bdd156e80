@NullMarked
package dev.bifrost.apply;

import org.jspecify.annotations.NullMarked;
