package io.sluice.it.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class or method that disturbs what other classes use: stops or restarts a shared server,
 * changes one of its global variables, damages bin/sluice's class-data archive. Surefire runs these in
 * a second execution with one fork, after the two parallel forks of the other classes ended
 * ({@code sluice-it/pom.xml}, docs/testing.md). A new test that stops, restarts or reconfigures anything
 * shared must carry this tag (what stops only {@code kafka2} or a Connect worker takes {@link Exclusive} instead).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(RunsAlone.TAG)
public @interface RunsAlone {
    String TAG = "runs-alone";
}
