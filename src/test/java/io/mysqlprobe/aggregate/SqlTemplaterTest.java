package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.fingerprint.Fingerprint;
import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.protocol.Command;
import io.mysqlprobe.protocol.StatementRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTemplaterTest {

    private final Fingerprinter fingerprinter = new Fingerprinter();
    private final SqlTemplater templater = new SqlTemplater(fingerprinter);

    private static StatementRecord of(Command c, String sql) {
        return new StatementRecord(
                null, 1, "u", "d", c, sql, 0, 0, 0, true, 0, null, null, 0, 0, 0, 0, 0, 0, null, false);
    }

    @Test
    void aOneThreadViewGivesWhatTheSharedTemplaterGives() {
        Templater view = templater.forOneThread();
        for (int i = 0; i < 3000; i++) {
            String sql = "SELECT c FROM sbtest" + (i % 7) + " WHERE id=" + i + (i % 3 == 0 ? " AND k='" + i + "'" : "");
            for (Command c : List.of(Command.COM_QUERY, Command.COM_STMT_PREPARE, Command.COM_STMT_EXECUTE)) {
                assertEquals(templater.template(of(c, sql)), view.template(of(c, sql)), c + " " + sql);
            }
        }
        assertEquals(templater.redact("select 'secret'"), view.redact("select 'secret'"));
    }

    @Test
    void executionsOfPreparedTextsGetTheFingerprintOfTheirTextWhateverTheSlotsHold() {
        // more distinct texts than the remembered-template table has slots, executed repeatedly by identity
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            texts.add(new StringBuilder("SELECT c FROM sbtest")
                    .append(i % 97)
                    .append(" WHERE id = ?")
                    .append(i % 2 == 0 ? "" : " AND k" + i + " = ?")
                    .toString());
        }
        for (int round = 0; round < 3; round++) {
            for (String sql : texts) {
                Fingerprint viaExecute = templater.template(of(Command.COM_STMT_EXECUTE, sql));
                assertEquals(fingerprinter.fingerprint(sql), viaExecute, sql);
            }
        }
        // an equal text in another String (another connection's prepare) gets the same template
        String a = new String("select * from t where id = ?");
        String b = new String("select * from t where id = ?");
        assertEquals(
                templater.template(of(Command.COM_STMT_EXECUTE, a)).id(),
                templater.template(of(Command.COM_STMT_EXECUTE, b)).id());
        assertEquals(
                templater
                        .template(of(Command.COM_QUERY, "SELECT * FROM t WHERE id = 5"))
                        .id(),
                templater.template(of(Command.COM_STMT_EXECUTE, a)).id());
    }

    @Test
    void adminCommandsAndPreparesAreNamedLikePtQueryDigest() {
        assertEquals(
                "administrator command: Ping",
                templater.template(of(Command.COM_PING, null)).template());
        assertEquals(
                "prepare select * from t where id = ?",
                templater
                        .template(of(Command.COM_STMT_PREPARE, "SELECT * FROM t WHERE id = ?"))
                        .template());
    }

    @Test
    void placeholdersAreTemplatesVerbatimApartFromCommentsAndRealSql() {
        String text = "prepared statement (2 params) -> shop.t(id, name)";
        for (Templater t : List.of(templater, templater.forOneThread())) {
            Fingerprint p = t.template(of(Command.COM_STMT_EXECUTE, text));
            assertEquals(text, p.template(), "not normalised: the counts stay");
            assertEquals("execute", p.statementType());
            assertEquals(List.of("shop.t"), p.tables());
            assertEquals(p, t.template(of(Command.COM_STMT_FETCH, text)));
            assertEquals(text, t.redact(text));
            Fingerprint comment = t.template(of(Command.COM_QUERY, "-- x"));
            assertEquals(Fingerprinter.COMMENT_ONLY, comment.template());
            Fingerprint asQuery = t.template(of(Command.COM_QUERY, text)); // a client sending the text as SQL
            org.junit.jupiter.api.Assertions.assertNotEquals(p.id(), asQuery.id());
            org.junit.jupiter.api.Assertions.assertNotEquals(p.id(), comment.id());
            org.junit.jupiter.api.Assertions.assertNotEquals(
                    "", t.template(of(Command.COM_STMT_EXECUTE, "")).template());
        }
    }
}
