package dev.bifrost.apply.status;

import java.util.Collection;
import java.util.TreeSet;

/** A target name that is not configured. */
public class UnknownTargetException extends RuntimeException {

    private final Collection<String> known;

    UnknownTargetException(String name, Collection<String> known) {
        super("no target named '" + name + "'; the configured targets are " + new TreeSet<>(known));
        this.known = new TreeSet<>(known);
    }

    public Collection<String> known() {
        return known;
    }
}
