package io.mysqlprobe.aggregate;

import io.mysqlprobe.fingerprint.Digest;
import io.mysqlprobe.fingerprint.Fingerprint;
import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.fingerprint.Redactor;
import io.mysqlprobe.protocol.Command;
import io.mysqlprobe.protocol.PreparedPlaceholder;
import io.mysqlprobe.protocol.StatementRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Templates for every command: SQL-carrying commands (COM_QUERY, COM_STMT_EXECUTE) by their fingerprint,
 * COM_STMT_PREPARE as {@code prepare <template>}, everything else as pt-query-digest names it:
 * {@code administrator command: Ping} (MySQL's {@code command_name[]} strings). Thread-safe.
 */
public final class SqlTemplater implements Templater {

    private static final Map<Command, String> ADMIN_NAMES = new EnumMap<>(Map.ofEntries(
            Map.entry(Command.COM_SLEEP, "Sleep"),
            Map.entry(Command.COM_QUIT, "Quit"),
            Map.entry(Command.COM_INIT_DB, "Init DB"),
            Map.entry(Command.COM_QUERY, "Query"),
            Map.entry(Command.COM_FIELD_LIST, "Field List"),
            Map.entry(Command.COM_CREATE_DB, "Create DB"),
            Map.entry(Command.COM_DROP_DB, "Drop DB"),
            Map.entry(Command.COM_REFRESH, "Refresh"),
            Map.entry(Command.COM_SHUTDOWN, "Shutdown"),
            Map.entry(Command.COM_STATISTICS, "Statistics"),
            Map.entry(Command.COM_PROCESS_INFO, "Processlist"),
            Map.entry(Command.COM_CONNECT, "Connect"),
            Map.entry(Command.COM_PROCESS_KILL, "Kill"),
            Map.entry(Command.COM_DEBUG, "Debug"),
            Map.entry(Command.COM_PING, "Ping"),
            Map.entry(Command.COM_TIME, "Time"),
            Map.entry(Command.COM_DELAYED_INSERT, "Delayed insert"),
            Map.entry(Command.COM_CHANGE_USER, "Change user"),
            Map.entry(Command.COM_BINLOG_DUMP, "Binlog Dump"),
            Map.entry(Command.COM_TABLE_DUMP, "Table Dump"),
            Map.entry(Command.COM_CONNECT_OUT, "Connect Out"),
            Map.entry(Command.COM_REGISTER_SLAVE, "Register Slave"),
            Map.entry(Command.COM_STMT_PREPARE, "Prepare"),
            Map.entry(Command.COM_STMT_EXECUTE, "Execute"),
            Map.entry(Command.COM_STMT_SEND_LONG_DATA, "Long Data"),
            Map.entry(Command.COM_STMT_CLOSE, "Close stmt"),
            Map.entry(Command.COM_STMT_RESET, "Reset stmt"),
            Map.entry(Command.COM_SET_OPTION, "Set option"),
            Map.entry(Command.COM_STMT_FETCH, "Fetch"),
            Map.entry(Command.COM_DAEMON, "Daemon"),
            Map.entry(Command.COM_BINLOG_DUMP_GTID, "Binlog Dump GTID"),
            Map.entry(Command.COM_RESET_CONNECTION, "Reset Connection")));

    private final Fingerprinter fingerprinter;
    /** Set in a {@link #forOneThread} view: the fingerprinter with that thread's shape table. */
    private final Fingerprinter.Local local;

    private final Redactor redactor;
    private final Map<Command, Fingerprint> admin;

    public SqlTemplater(Fingerprinter fingerprinter) {
        this.fingerprinter = fingerprinter;
        this.local = null;
        this.redactor = new Redactor();
        this.admin = new EnumMap<>(Command.class);
        this.prepared = new Prepared[PREPARED_SLOTS];
        this.placeholders = new ConcurrentHashMap<>();
        ADMIN_NAMES.forEach((c, name) -> {
            String t = "administrator command: " + name;
            admin.put(c, new Fingerprint(Digest.of(t), t, "admin", List.of()));
        });
    }

    private SqlTemplater(SqlTemplater shared, Fingerprinter.Local local) {
        this.fingerprinter = shared.fingerprinter;
        this.local = local;
        this.redactor = shared.redactor;
        this.admin = shared.admin;
        this.prepared = shared.prepared;
        this.placeholders = shared.placeholders;
    }

    /** Shares everything with this one but uses {@link Fingerprinter#local()}: for one decode worker. */
    @Override
    public SqlTemplater forOneThread() {
        return new SqlTemplater(this, fingerprinter.local());
    }

    private Fingerprint fingerprint(String sql) {
        return local != null ? local.fingerprint(sql) : fingerprinter.fingerprint(sql);
    }

    private String templateOf(String sql) {
        return local != null ? local.templateOf(sql) : fingerprinter.templateOf(sql);
    }

    public Fingerprinter fingerprinter() {
        return fingerprinter;
    }

    @Override
    public Fingerprint template(StatementRecord r) {
        Command c = r.command();
        if (r.sql() != null
                && (c == Command.COM_STMT_EXECUTE
                        || c == Command.COM_STMT_FETCH
                        || c == Command.COM_STMT_BULK_EXECUTE)) {
            if (PreparedPlaceholder.is(r.sql())) {
                return placeholder(r.sql());
            }
            return fingerprinter.ofTemplate(preparedTemplate(r.sql()));
        }
        if (r.sql() != null && c == Command.COM_QUERY) {
            return fingerprint(r.sql());
        }
        if (r.sql() != null && c == Command.COM_STMT_PREPARE) {
            Fingerprint f = fingerprint(r.sql());
            String t = "prepare " + f.template();
            return new Fingerprint(Digest.of(t), t, "prepare", f.tables());
        }
        Fingerprint f = c == null ? null : admin.get(c);
        return f != null ? f : admin.get(Command.COM_SLEEP);
    }

    /**
     * The template of a prepared statement's text. Every execution carries the very String the decoder kept
     * from the prepare, so its template is remembered by identity in a small lossy table (a slot holds one
     * text; a collision just normalises again) and normalising, the costliest step of a cache hit, runs
     * once per prepared statement rather than once per execution. The table is shared by the workers:
     * each slot holds an immutable pair published with release/acquire ordering.
     */
    private String preparedTemplate(String sql) {
        int slot = System.identityHashCode(sql) & (PREPARED_SLOTS - 1);
        Prepared p = (Prepared) PREPARED.getAcquire(prepared, slot);
        if (p != null && p.sql == sql) {
            return p.template;
        }
        String template = templateOf(sql);
        PREPARED.setRelease(prepared, slot, new Prepared(sql, template));
        return template;
    }

    private record Prepared(String sql, String template) {}

    /**
     * A statement id prepared before the capture and not named by the server: its {@link PreparedPlaceholder}
     * text is the template, verbatim (it is not SQL: normalising would turn its counts into {@code ?}), of type
     * {@code execute}, with the tables of its result. Bounded: the table is cleared when full.
     */
    private Fingerprint placeholder(String text) {
        Fingerprint f = placeholders.get(text);
        if (f == null) {
            if (placeholders.size() >= MAX_PLACEHOLDERS) {
                placeholders.clear();
            }
            f = new Fingerprint(Digest.of(text), text, "execute", PreparedPlaceholder.tables(text));
            placeholders.put(text, f);
        }
        return f;
    }

    private static final int MAX_PLACEHOLDERS = 4096;
    /** Shared by every view of one templater. */
    private final Map<String, Fingerprint> placeholders;

    private static final int PREPARED_SLOTS = 4096;
    private static final VarHandle PREPARED = MethodHandles.arrayElementVarHandle(Prepared[].class);
    /** Shared by every view of one templater. */
    private final Prepared[] prepared;

    @Override
    public String redact(String sql) {
        return PreparedPlaceholder.is(sql) ? sql : redactor.redact(sql); // a placeholder holds no literal
    }
}
