package io.mailshot.kit.lifecycle;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * When started by the local launcher or a test ({@code mailshot.parent-watch=true}), the service stops
 * as soon as its parent process closes our stdin. A launcher that dies, even by SIGKILL, so never leaves
 * services behind. Off by default: in Kubernetes there is no parent to watch.
 */
@ApplicationScoped
public class ParentWatch {

    private static final Logger LOG = Logger.getLogger(ParentWatch.class);

    private final boolean enabled;

    public ParentWatch(@ConfigProperty(name = "mailshot.parent-watch", defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        // One daemon thread blocked on stdin for the JVM's lifetime: no managed executor should lend a thread for that.
        Thread watcher = new Thread(
                () -> {
                    InputStream in = System.in;
                    byte[] buffer = new byte[256];
                    try {
                        while (in.read(buffer) >= 0) {
                            // The parent never writes; anything read is ignored.
                        }
                    } catch (IOException e) {
                        // A broken pipe means the parent is gone as well.
                    }
                    LOG.info("parent process is gone; shutting down");
                    Quarkus.asyncExit();
                },
                "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
