package io.mysqlprobe.monitor;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Monitor module as a CDI bean. The integrator calls {@link #apply} at start-up and on every change of
 * the {@code monitor:} section; state changes are fired as CDI events ({@link MonitorEvent}, asynchronous
 * observers) so the websocket can forward them. All work happens on the monitor's own threads, never on
 * the Vert.x event loop.
 */
@ApplicationScoped
public class MonitorService {

    private final MonitorEngine engine = new MonitorEngine();

    @Inject
    Event<MonitorEvent> events;

    @jakarta.annotation.PostConstruct
    void init() {
        engine.addListener(e -> events.fireAsync(e));
    }

    /** First call starts (when enabled); later calls reconfigure live. */
    public void apply(MonitorConfig config) {
        engine.apply(config);
    }

    @PreDestroy
    public void stop() {
        engine.stop();
    }

    public void addListener(Consumer<MonitorEvent> listener) {
        engine.addListener(listener);
    }

    public MonitorConfig config() {
        return engine.config();
    }

    public List<HostgroupManager.ServerView> servers() {
        return engine.servers();
    }

    public MonitorEngine.Threads threads() {
        return engine.threads();
    }

    public MonitorEngine engine() {
        return engine;
    }
}
