package io.mysqlprobe.fingerprint;

import java.util.List;

/**
 * The template of a statement and what we know of it.
 *
 * @param id            stable 64-bit digest of {@code template} (same template, same id on every node)
 * @param template      normalised SQL: literals as {@code ?}, lists collapsed, comments stripped
 * @param statementType lower-case kind: select, insert, update, delete, replace, call, set, show, begin, ...
 * @param tables        tables the statement names (as written, schema-qualified when it was), may be empty
 */
public record Fingerprint(long id, String template, String statementType, List<String> tables) {

    /** The id as the report shows it: 16 lower-case hex digits. */
    public String idHex() {
        return Digest.hex(id);
    }
}
