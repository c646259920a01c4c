package io.mysqlprobe.monitor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Socket factory handed to the MariaDB driver ({@code socketFactory} option) so the monitor gets hold of
 * the socket of a connection being opened on this thread: the check's {@link Guard} can then close it
 * at the deadline, which aborts a connect or a query at the millisecond whatever phase it is stuck in
 * (TCP connect, greeting, authentication, result). The driver's own per-read timeouts stay as a backstop.
 */
public final class DeadlineSocketFactory extends SocketFactory {

    private static final ThreadLocal<Guard> CURRENT = new ThreadLocal<>();

    /** Sockets created on this thread until {@link #release()} are attached to {@code guard}. */
    static void capture(Guard guard) {
        CURRENT.set(guard);
    }

    static void release() {
        CURRENT.remove();
    }

    @Override
    public Socket createSocket() {
        Socket s = new Socket();
        Guard g = CURRENT.get();
        if (g != null) {
            g.attach(s);
        }
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }

    /** Closes its socket when the deadline passes; remembers that it did. */
    static final class Guard {
        private Socket socket;
        private boolean expired;

        synchronized void attach(Socket s) {
            socket = s;
            if (expired) {
                closeQuietly(s);
            }
        }

        synchronized Socket socket() {
            return socket;
        }

        synchronized void expire() {
            expired = true;
            if (socket != null) {
                closeQuietly(socket);
            }
        }

        synchronized boolean expired() {
            return expired;
        }

        synchronized void reset() {
            expired = false;
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
