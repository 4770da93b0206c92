package io.sluice.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SLUICE_LOG_FORMAT selects the appender of the shipped logback.xml: a text line, or a line of JSON. */
class LogFormatTest {

    @AfterEach
    void clear() {
        System.clearProperty(LogFormat.VARIABLE);
    }

    /**
     * Configures a fresh logback context from the jar's logback.xml and returns the line the root
     * logger's appender writes for one WARN event (its encoder's bytes: what goes to stderr).
     */
    private static String logOneLine(String message) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            Logger logger = context.getLogger("io.sluice.engine.job.SyncJob");
            Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            var appender = (ConsoleAppender<ILoggingEvent>) appenders.next();
            assertEquals("STDERR", appender.getName());
            assertFalse(appenders.hasNext(), "one appender");
            assertEquals("System.err", appender.getTarget());
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "{} \"quoted\"", null, new Object[] {message});
            return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        } finally {
            context.stop();
        }
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        assertNull(LogFormat.select("JSON"));
        String out = logOneLine("lag 3 s");
        String[] lines = out.split("\n");
        assertEquals(1, lines.length, out);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertEquals("WARN", line.get("level").asText(), out);
        assertEquals("io.sluice.engine.job.SyncJob", line.get("loggerName").asText(), out);
        assertEquals("lag 3 s \"quoted\"", line.get("formattedMessage").asText(), out);
        assertTrue(line.get("timestamp").asLong() > 0, out);
    }

    @Test
    void textIsTheDefault() throws Exception {
        assertNull(LogFormat.select(null));
        String out = logOneLine("lag 3 s");
        assertTrue(out.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  SyncJob - lag 3 s \"quoted\"\\R"), out);
    }

    @Test
    void anUnknownFormatIsOneLineWithTheFix() {
        String problem = LogFormat.select("xml");
        assertNotNull(problem);
        assertEquals("SLUICE_LOG_FORMAT=xml is not a log format. Fix: set it to text or json (or unset it for text)", problem);
        assertNull(System.getProperty(LogFormat.VARIABLE));
    }
}
