package io.mysqlprobe;

import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes a native image must keep for reflection: the report records are serialised and parsed by our own
 * Jackson mapper ({@link io.mysqlprobe.report.ReportJson}), which Quarkus does not see. JNA and pcap4j are
 * configured in {@code META-INF/native-image/io.mysqlprobe/mysql-probe/}.
 */
@RegisterForReflection(
        targets = {
            Report.class,
            Report.Window.class,
            Report.Source.class,
            Report.CaptureSection.class,
            TemplateSnapshot.class,
            TemplateSnapshot.Latency.class,
            SlowSample.class
        })
final class NativeRegistrations {
    private NativeRegistrations() {}
}
