package io.sluice.app.cli;

import io.sluice.core.error.SluiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceLockTest {

    @TempDir Path dir;

    @Test
    void aSecondHolderOfTheSameJobIsRefusedNamingTheFirst() {
        try (InstanceLock first = InstanceLock.acquire(dir, "orders", "k1:9092,k2:9092")) {
            SluiceException e = assertThrows(SluiceException.class, () -> InstanceLock.acquire(dir, "orders", "k2:9092, k1:9092"));
            assertTrue(e.oneLine().startsWith("job orders is already running on this host (pid " + ProcessHandle.current().pid()
                    + ", started "), e.oneLine());
            assertTrue(e.oneLine().endsWith(") Fix: stop it first"), e.oneLine());
        }
        InstanceLock.acquire(dir, "orders", "k1:9092,k2:9092").close(); // released with its holder
    }

    @Test
    void theSameJobIntoAnotherKafkaClusterIsAnotherJob() {
        try (InstanceLock one = InstanceLock.acquire(dir, "orders", "k1:9092");
             InstanceLock other = InstanceLock.acquire(dir, "orders", "backup:9092")) {
            assertNotEquals(InstanceLock.fileName("orders", "k1:9092"), InstanceLock.fileName("orders", "backup:9092"));
            assertEquals(InstanceLock.fileName("orders", "A:1,b:2"), InstanceLock.fileName("orders", " b:2,a:1 "));
        }
    }
}
