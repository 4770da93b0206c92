package io.sluice.it.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Ends every {@code bin/sluice} process a test started and left running, passed or failed.
 * Registered for every test class by auto-detection (META-INF/services, junit-platform.properties).
 */
public final class EndSluiceProcesses implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        int killed = SluiceProcess.killAll();
        if (killed > 0) System.out.println(context.getDisplayName() + ": killed " + killed + " sluice process(es) left running");
    }
}
