package io.sluice.engine.job;

import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.RecordOrigin;

/** A {@link Delivery} whose calls to Kafka {@link KafkaWaits} watches, so that one Kafka does not answer gets reported. */
final class WatchedDelivery implements Delivery {

    private final Delivery delivery;
    private final KafkaWaits waits;
    private final String committing;

    WatchedDelivery(Delivery delivery, KafkaWaits waits) {
        this.delivery = delivery;
        this.waits = waits;
        this.committing = delivery.exactlyOnce() ? "committing a transaction of records and checkpoint"
                : "waiting for Kafka to acknowledge the records sent before saving the checkpoint";
    }

    @Override
    public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
        waits.begin("sending records");
        boolean answered = false;
        try { // no lambda per record: this is the dispatcher's hot path
            delivery.send(topic, partition, key, value, origin);
            answered = true;
        } finally {
            waits.end(answered);
        }
    }

    @Override
    public boolean releasesValueOnSend() { return delivery.releasesValueOnSend(); }

    @Override
    public void commit(Checkpoint checkpoint) {
        waits.call(committing, () -> {
            delivery.commit(checkpoint);
            return null;
        });
    }

    @Override
    public void abort() {
        waits.call("aborting the open transaction", () -> {
            delivery.abort();
            return null;
        });
    }

    @Override
    public Checkpoint lastCommitted() {
        return waits.call("reading the last checkpoint", delivery::lastCommitted);
    }

    @Override public boolean exactlyOnce() { return delivery.exactlyOnce(); }

    @Override public int commitIntervalMs() { return delivery.commitIntervalMs(); }

    @Override public boolean commitsWhenCaughtUp() { return delivery.commitsWhenCaughtUp(); }

    @Override public void close() { delivery.close(); }
}
