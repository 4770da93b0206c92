package io.sluice.sink.kafka;

/** Where a record comes from ("shop.t at mysql-bin.000003:4711"), described only when Kafka refuses it. */
@FunctionalInterface
public interface RecordOrigin {
    String describe();
}
