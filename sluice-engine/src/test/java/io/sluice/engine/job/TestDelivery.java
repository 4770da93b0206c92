package io.sluice.engine.job;

import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.RecordOrigin;

/**
 * A delivery for dispatcher tests: exactly-once, nothing committed before, commits by record count
 * (an hour's interval) and at the end; every call a no-op. Tests override what they record.
 */
abstract class TestDelivery implements Delivery {
    @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) { }
    @Override public void commit(Checkpoint c) { }
    @Override public void abort() { }
    @Override public Checkpoint lastCommitted() { return null; }
    @Override public boolean exactlyOnce() { return true; }
    @Override public int commitIntervalMs() { return 3_600_000; }
    @Override public void close() { }
}
