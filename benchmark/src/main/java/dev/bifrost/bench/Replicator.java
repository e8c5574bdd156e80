package dev.bifrost.bench;

import java.util.List;
import java.util.Map;

/** A replication system under test, driven phase by phase; only one runs at a time. */
interface Replicator {

    /** {@code bifrost} or {@code native}: the key of its figures. */
    String name();

    /** The databases it replicates {@code raw.registros} into. */
    List<Target> targets();

    /** Once, before the phases: whatever must exist on the servers. */
    void prepare() throws Exception;

    /** Leaves nothing of an earlier phase: no slot, publication or subscription of its own, empty targets. */
    void reset(String phase) throws Exception;

    /**
     * Starts what stands ready on the target side before replication is set up, as a subscriber's server
     * does (Bifrost: apply-service, until healthy); nothing for native replication.
     */
    default void startTargetSide() throws Exception {
    }

    /** Starts replicating: an initial copy of the source table, then streaming. Returns at once. */
    void start() throws Exception;

    /** Waits until it is running and streaming (the phase then proves it with a row). */
    void awaitReady() throws Exception;

    /** Stops the apply side; changes keep accumulating (in Kafka, or in the source's WAL). */
    void pauseApply() throws Exception;

    void resumeApply() throws Exception;

    /**
     * Changes to {@code raw.registros} made durable outside the source (Bifrost: acknowledged by Kafka) since
     * start; -1 where there is no such stage (native replication decodes only while a subscription is enabled).
     */
    long capturedChanges() throws Exception;

    /** Figures about the last start, relative to {@code startedAt} (nanoTime), e.g. when the services were up. */
    Map<String, Object> startFigures(long startedAt);

    /** Stops it and drops its slots and subscriptions; safe to call when not started. */
    void teardown() throws Exception;
}
