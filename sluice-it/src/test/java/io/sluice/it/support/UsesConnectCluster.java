package io.sluice.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A class that uses the shared two-worker Connect cluster ({@link ConnectCluster}): these kill, stop and
 * restart its workers or need them undisturbed, so only one such class runs at a time. The classes of the
 * other surefire fork run meanwhile (they do not use the cluster): a file lock in the servers directory
 * is held from before the class's first test to after its last, and a class of the other fork (or of
 * another checkout on the same servers) waits for it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(UsesConnectCluster.Lock.class)
public @interface UsesConnectCluster {

    final class Lock implements BeforeAllCallback, AfterAllCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Lock.class);

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            String dir = System.getenv("SLUICE_SERVERS_DIR");
            Path file = (dir == null || dir.isEmpty() ? Servers.root().resolve(".servers") : Path.of(dir)).resolve("connect-cluster.lock");
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long t0 = System.nanoTime();
            FileLock lock = channel.lock(); // released by afterAll, or by the OS if this JVM dies
            long waited = (System.nanoTime() - t0) / 1_000_000_000;
            if (waited > 0) System.out.println(context.getDisplayName() + ": waited " + waited + " s for the Connect cluster");
            context.getStore(NS).put("lock", lock);
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            FileLock lock = context.getStore(NS).remove("lock", FileLock.class);
            if (lock != null) {
                lock.release();
                lock.channel().close();
            }
        }
    }
}
