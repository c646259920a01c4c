/**
 * The protocol stage: one {@link io.mysqlprobe.protocol.MysqlConnectionDecoder} per TCP connection turns
 * the two reassembled byte streams into {@link io.mysqlprobe.protocol.StatementRecord}s.
 *
 * <h2>Shape</h2>
 * <pre>
 * onData(dir) ─► PacketInput: [CompressedFrameReader] ─► PacketFramer ─► handler table by State, per direction:
 *     client: ConnectionPhase (handshake response, auth data) · CommandPhase (commands via CommandParsers)
 *     server: ConnectionPhase (greeting, auth result) · ResponseReader (responses to the command in flight)
 *   every handler returns its direction's next state; SyncControl owns the moves of both directions at once
 *   (lost sync, resync probe, gaps, TLS, give up, close); Session holds what the connection knows and emits.
 * </pre>
 * Framing is apart from meaning: {@link io.mysqlprobe.protocol.PacketFramer} joins 0xFFFFFF
 * continuation packets and keeps only a bounded prefix of each packet (1 MiB client, 64 KiB server),
 * so result sets of any size are counted, never buffered. Every field read goes through
 * {@link io.mysqlprobe.protocol.PacketReader}, fenced to the packet; a read past the end is a value
 * ({@code overrun()}), never an exception. Rows are counted, not read: the framer skips whole row packets by
 * their headers, and when the capture thread's {@link io.mysqlprobe.protocol.RowHints} came with the segment (it
 * walked the headers while the bytes were in its cache) a run of rows is taken from the hint without touching them.
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li><b>CLIENT_DEPRECATE_EOF unknown</b> (handshake not seen): after the column definitions a
 * 5-byte 0xFE packet is an EOF_Packet (so no DEPRECATE_EOF); anything else means DEPRECATE_EOF. An
 * OK_Packet with 0xFE header is at least 7 bytes, and a row starting with 0xFE is at least 0xFFFFFF
 * bytes, so the three cannot be confused. The answer is remembered for the connection.</li>
 * <li><b>Gaps and decode errors</b>: commands in flight are dropped and counted
 * ({@code commandsDropped}), the connection goes UNSYNCED and resyncs on the next client chunk that
 * starts with sequence id 0, a known command and a plausible length ({@link
 * io.mysqlprobe.protocol.ResyncProbe}); the first response packet must then carry sequence id 1, or
 * the connection goes UNSYNCED again. A compressed connection cannot find a frame boundary again:
 * it becomes UNDECODABLE (counted).</li>
 * <li><b>Multi-statement COM_QUERY</b>: split on top-level {@code ;}; each result that ends with
 * SERVER_MORE_RESULTS_EXISTS while statements remain yields its own record (request time = end of
 * the previous result). Extra results (CALL) fold into the last statement's record; a single
 * result (e.g. CREATE PROCEDURE … BEGIN …; END) keeps the whole text.</li>
 * <li><b>Records</b> carry the user/db in effect when the command was sent; COM_INIT_DB, {@code USE},
 * COM_CHANGE_USER change them on OK. bytesIn/bytesOut are MySQL packet bytes (headers included,
 * after decompression). Commands without a response (COM_QUIT, COM_STMT_CLOSE,
 * COM_STMT_SEND_LONG_DATA) are emitted at once with response timestamps 0.</li>
 * <li><b>Prepared statements</b>: id → SQL remembered at COM_STMT_PREPARE_OK (bounded: 4096
 * statements, 4 Mi characters); MariaDB's id 0xFFFFFFFF means the statement just prepared (Connector/J
 * pipelines PREPARE and EXECUTE). Unknown ids give {@code /* unknown prepared statement id=N *\/}
 * and a counter. COM_STMT_EXECUTE's parameter block is read by type ({@link
 * io.mysqlprobe.protocol.ExecuteParameters}) into SQL literals carried by the record (never into the
 * template): with new_params_bound_flag 0 the types of the last execute that sent them are used; the
 * parameter count is COM_STMT_PREPARE_OK's, or the SQL's {@code ?} count while it has not arrived. A block
 * that cannot be read leaves the parameters null; the statement is still counted. MariaDB
 * COM_STMT_BULK_EXECUTE is one record under the prepared template (values not decoded).</li>
 * <li><b>Text prepared statements</b> ({@link io.mysqlprobe.protocol.TextPreparedStatements}):
 * {@code PREPARE name FROM 'text'} is remembered on OK (1024 names, 1 Mi characters per connection);
 * {@code EXECUTE name [USING …]} becomes a record with the prepared text and the USING expressions as
 * parameters; an unknown name (or one prepared from a user variable) gives
 * {@code /* unknown prepared statement name=N *\/}. Resolved per statement of a multi-statement query.</li>
 * <li><b>Session lookup</b>: a connection whose handshake was not seen asks the {@link
 * io.mysqlprobe.protocol.SessionLookup} at resync and then at most once per second of packet time while
 * user or db is unknown, filling only what is unknown; it stops once both are known or COM_CHANGE_USER
 * tells them.</li>
 * </ul>
 */
package io.mysqlprobe.protocol;
