package io.sluice.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the stack trace the Kafka client logs when one of its threads runs out of heap. That happens
 * when target.bootstrapServers names a port that is no plaintext Kafka listener (an HTTP port, a TLS
 * listener): the client reads the reply's first bytes as a frame size ("HTTP" = 1.2 GB). Sluice then
 * reports the address in one line (the call times out and ListenerProbe says what answered).
 * Other uncaught exceptions of Kafka's threads are still logged.
 */
public final class KafkaThreadOutOfMemoryFilter extends TurboFilter {

    private static final String KAFKA_THREAD_LOGGER = "org.apache.kafka.common.utils.KafkaThread";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (logger == null || !KAFKA_THREAD_LOGGER.equals(logger.getName())) return FilterReply.NEUTRAL;
        Throwable thrown = t;
        if (thrown == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
            thrown = last; // slf4j's "{}" call with the exception as last argument
        }
        return thrown instanceof OutOfMemoryError ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
