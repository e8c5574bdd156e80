/** The changelog wire contract shared by capture-service and apply-service. */
@NullMarked
package dev.bifrost.model;

import org.jspecify.annotations.NullMarked;
