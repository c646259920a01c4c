package io.mysqlprobe.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Many wire-compatible MySQL "servers" on loopback, for the 500-backend benchmark: one selector thread,
 * one listening port per backend. It speaks just enough of the protocol for the monitor's connect and
 * ping: Initial Handshake v10 (mysql_native_password, no TLS), any credentials accepted with an OK_Packet,
 * OK_Packet to COM_PING and COM_QUERY, close on COM_QUIT. Run as its own process so the monitor's CPU is
 * measured alone: {@code java -cp … SimulatedBackends N} prints the N ports, one line, then serves.
 * See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 */
public final class SimulatedBackends {

    // capability flags (include/mysql_com.h)
    private static final int CLIENT_LONG_PASSWORD = 1;
    private static final int CLIENT_FOUND_ROWS = 2;
    private static final int CLIENT_LONG_FLAG = 4;
    private static final int CLIENT_CONNECT_WITH_DB = 8;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_TRANSACTIONS = 0x2000;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int CLIENT_MULTI_STATEMENTS = 0x10000;
    private static final int CLIENT_MULTI_RESULTS = 0x20000;
    private static final int CLIENT_PLUGIN_AUTH = 0x80000;
    private static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
    private static final int COM_QUIT = 0x01;
    private static final int SERVER_STATUS_AUTOCOMMIT = 0x0002;

    private static final class Conn {
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        boolean authenticated;
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        Selector selector = Selector.open();
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ServerSocketChannel ss = ServerSocketChannel.open();
            ss.bind(new InetSocketAddress("127.0.0.1", 0), 512);
            ss.configureBlocking(false);
            ss.register(selector, SelectionKey.OP_ACCEPT);
            ports.append(i == 0 ? "" : " ").append(((InetSocketAddress) ss.getLocalAddress()).getPort());
        }
        System.out.println(ports);
        System.out.flush();
        int threadId = 1;
        while (true) {
            selector.select();
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                try {
                    if (key.isAcceptable()) {
                        SocketChannel ch = ((ServerSocketChannel) key.channel()).accept();
                        if (ch == null) {
                            continue;
                        }
                        ch.configureBlocking(false);
                        ch.socket().setTcpNoDelay(true);
                        Conn c = new Conn();
                        c.out.add(greeting(threadId++));
                        ch.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, c);
                        continue;
                    }
                    SocketChannel ch = (SocketChannel) key.channel();
                    Conn c = (Conn) key.attachment();
                    if (key.isReadable()) {
                        if (ch.read(c.in) < 0) {
                            close(key);
                            continue;
                        }
                        if (!handle(c)) {
                            close(key);
                            continue;
                        }
                    }
                    while (!c.out.isEmpty()) {
                        ByteBuffer b = c.out.peek();
                        ch.write(b);
                        if (b.hasRemaining()) {
                            break;
                        }
                        c.out.poll();
                    }
                    key.interestOps(
                            c.out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                } catch (IOException e) {
                    close(key);
                }
            }
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // gone
        }
    }

    /** Answers every complete packet in the input buffer; false when the client quit. */
    private static boolean handle(Conn c) {
        c.in.flip();
        c.in.order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (c.in.remaining() >= 4) {
                int len = (c.in.get(c.in.position()) & 0xff)
                        | (c.in.get(c.in.position() + 1) & 0xff) << 8
                        | (c.in.get(c.in.position() + 2) & 0xff) << 16;
                int seq = c.in.get(c.in.position() + 3) & 0xff;
                if (c.in.remaining() < 4 + len) {
                    break;
                }
                int cmd = len > 0 ? c.in.get(c.in.position() + 4) & 0xff : -1;
                c.in.position(c.in.position() + 4 + len);
                if (c.authenticated && cmd == COM_QUIT) {
                    return false;
                }
                c.authenticated = true; // HandshakeResponse41: any credentials will do
                c.out.add(ok(seq + 1));
            }
            return true;
        } finally {
            c.in.compact();
        }
    }

    private static ByteBuffer greeting(int threadId) {
        ByteBuffer p = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        int caps = CLIENT_LONG_PASSWORD
                | CLIENT_FOUND_ROWS
                | CLIENT_LONG_FLAG
                | CLIENT_CONNECT_WITH_DB
                | CLIENT_PROTOCOL_41
                | CLIENT_TRANSACTIONS
                | CLIENT_SECURE_CONNECTION
                | CLIENT_MULTI_STATEMENTS
                | CLIENT_MULTI_RESULTS
                | CLIENT_PLUGIN_AUTH
                | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
        p.position(4);
        p.put((byte) 10); // protocol version
        p.put("5.7.99-simulated".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        p.putInt(threadId);
        p.put("abcdefgh".getBytes(StandardCharsets.US_ASCII)); // auth-plugin-data-part-1
        p.put((byte) 0); // filler
        p.putShort((short) caps);
        p.put((byte) 33); // utf8_general_ci
        p.putShort((short) SERVER_STATUS_AUTOCOMMIT);
        p.putShort((short) (caps >>> 16));
        p.put((byte) 21); // auth_plugin_data_len
        p.put(new byte[10]); // reserved
        p.put("ijklmnopqrst".getBytes(StandardCharsets.US_ASCII)).put((byte) 0); // auth-plugin-data-part-2
        p.put("mysql_native_password".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        return frame(p, 0);
    }

    private static ByteBuffer ok(int seq) {
        ByteBuffer p = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        p.position(4);
        p.put((byte) 0x00); // OK header
        p.put((byte) 0); // affected_rows (lenenc)
        p.put((byte) 0); // last_insert_id (lenenc)
        p.putShort((short) SERVER_STATUS_AUTOCOMMIT);
        p.putShort((short) 0); // warnings
        return frame(p, seq);
    }

    private static ByteBuffer frame(ByteBuffer p, int seq) {
        int len = p.position() - 4;
        p.put(0, (byte) len)
                .put(1, (byte) (len >>> 8))
                .put(2, (byte) (len >>> 16))
                .put(3, (byte) seq);
        p.flip();
        return p;
    }
}
