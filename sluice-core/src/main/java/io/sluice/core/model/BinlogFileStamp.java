package io.sluice.core.model;

/**
 * Which binlog file a checkpoint's position is in, beyond its name: the server whose binlog it is ({@code server},
 * its identity) and when the file was created there ({@code created}, epoch seconds: the header time of the file's
 * FORMAT_DESCRIPTION event). A file of the same name written after a binlog reset has another creation time.
 */
public record BinlogFileStamp(String server, long created) {}
