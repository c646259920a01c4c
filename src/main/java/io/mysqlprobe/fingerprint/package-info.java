/**
 * SQL → template, stable id, statement type and tables (DESIGN §2 "fingerprint"). Plain Java: no CDI, no
 * logging, no clock; every class is thread-safe.
 *
 * <ul>
 *   <li>{@link io.mysqlprobe.fingerprint.SqlNormalizer} — the template, in one pass of the shared lexer
 *       (no regular expressions); about 2 M short statements (44 chars on average) per CPU-second.</li>
 *   <li>{@link io.mysqlprobe.fingerprint.Redactor} — the statement with literals hidden but its shape kept,
 *       for report samples when {@code report.raw_sql} is off. Same lexer.</li>
 *   <li>{@link io.mysqlprobe.fingerprint.Digest} — the 64-bit id: the last 16 hex digits of MD5(template),
 *       i.e. the last 16 digits of pt-query-digest's query ID for the same template.</li>
 *   <li>{@link io.mysqlprobe.fingerprint.Fingerprinter} — normalise, then a bounded, striped LRU cache of
 *       {@link io.mysqlprobe.fingerprint.Fingerprint}s keyed by template; on a miss, digest, type from the
 *       lexer, tables from jsqlparser (time-bounded, on the template) or the lexer. Counters in
 *       {@link io.mysqlprobe.fingerprint.Fingerprinter.Stats}. No statement is ever dropped. Templates longer
 *       than 4 KiB (configurable) are cached under their digest and shown cut, to bound memory.</li>
 * </ul>
 *
 * <p>Decisions (see each class, and {@code src/test/resources/fingerprint/README.md} for every difference from
 * pt-fingerprint 3.2.1, each checked by {@code CorpusTest}):
 * <ul>
 *   <li>{@code NULL} is a value ({@code ?}) except after {@code IS}, {@code NOT}, {@code DEFAULT} where it
 *       is syntax; {@code TRUE}/{@code FALSE} stay keywords.</li>
 *   <li>Comments are stripped; optimizer hints {@code /*+ *}{@code /} are kept (they change plans);
 *       executable comments {@code /*!NNNNN *}{@code /} are unwrapped (their content is code).</li>
 *   <li>Keywords and variable names are lower-cased; identifiers keep their case; {@code "..."} is a string.</li>
 *   <li>Literal-only {@code IN (..)} / {@code VALUES (..)} become {@code in(?+)} / {@code values(?+)} (the
 *       pt-fingerprint form); later rows of a multi-row VALUES are dropped.</li>
 * </ul>
 */
package io.mysqlprobe.fingerprint;
