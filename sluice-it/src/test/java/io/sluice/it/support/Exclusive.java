package io.sluice.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A test class (or method) that needs a shared server to itself: it stops or restarts it ({@code kafka2},
 * the Connect cluster's workers), or needs it undisturbed by those that do. Only one holder of a name
 * runs at a time; everything else (the other surefire fork's classes) runs meanwhile. A file lock
 * {@code <servers dir>/<name>.lock} is held from before the class's first test to after its last (a
 * method's: around the method); a holder in the other fork, or in another checkout on the same servers,
 * waits for it. The OS releases the lock if the JVM dies.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Exclusive.Lock.class)
public @interface Exclusive {

    /** Which shared server: {@code kafka2} or {@code connect-cluster}. */
    String value();

    final class Lock implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Lock.class);

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            take(context, context.getRequiredTestClass(), "class");
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            release(context, "class");
        }

        @Override
        public void beforeEach(ExtensionContext context) throws IOException {
            take(context, context.getRequiredTestMethod(), "method"); // only a method's own annotation: the class's is held already
        }

        @Override
        public void afterEach(ExtensionContext context) throws IOException {
            release(context, "method");
        }

        private static void take(ExtensionContext context, AnnotatedElement element, String level) throws IOException {
            Exclusive exclusive = element.getAnnotation(Exclusive.class);
            if (exclusive == null) return;
            String dir = System.getenv("SLUICE_SERVERS_DIR");
            Path file = (dir == null || dir.isEmpty() ? Servers.root().resolve(".servers") : Path.of(dir)).resolve(exclusive.value() + ".lock");
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long t0 = System.nanoTime();
            FileLock lock = channel.lock();
            long waited = (System.nanoTime() - t0) / 1_000_000_000;
            if (waited > 0) System.out.println(context.getDisplayName() + ": waited " + waited + " s for " + exclusive.value());
            context.getStore(NS).put(level, lock);
        }

        private static void release(ExtensionContext context, String level) throws IOException {
            FileLock lock = context.getStore(NS).remove(level, FileLock.class);
            if (lock != null) {
                lock.release();
                lock.channel().close();
            }
        }
    }
}
