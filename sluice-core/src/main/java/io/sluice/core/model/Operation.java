package io.sluice.core.model;

/** The operations Sluice emits; names match the DTS Avro {@code Operation} enum symbols. */
public enum Operation { INSERT, UPDATE, DELETE, DDL, BEGIN, COMMIT, HEARTBEAT, INIT }
