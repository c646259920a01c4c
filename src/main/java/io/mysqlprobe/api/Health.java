package io.mysqlprobe.api;

import io.mysqlprobe.pipeline.PipelineView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** {@code /q/health/live}, {@code /q/health/ready}, {@code /q/health/started}. */
public final class Health {

    private Health() {}

    /** Live while every capture thread and decode worker runs. */
    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        private final PipelineView probe;

        public Live(PipelineView probe) {
            this.probe = probe;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("pipeline")
                    .status(probe.alive())
                    .withData("devices", String.join(",", probe.openDevices()))
                    .build();
        }
    }

    /** Ready when every configured device is open. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        private final PipelineView probe;

        public Ready(PipelineView probe) {
            this.probe = probe;
        }

        @Override
        public HealthCheckResponse call() {
            var b = HealthCheckResponse.named("capture")
                    .status(probe.started() && probe.deviceErrors().isEmpty());
            probe.deviceErrors().forEach(b::withData);
            return b.build();
        }
    }

    @Startup
    @ApplicationScoped
    public static class Started implements HealthCheck {
        private final PipelineView probe;

        public Started(PipelineView probe) {
            this.probe = probe;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("started").status(probe.started()).build();
        }
    }
}
