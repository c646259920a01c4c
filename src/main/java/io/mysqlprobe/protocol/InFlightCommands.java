package io.mysqlprobe.protocol;

import java.util.ArrayDeque;

/**
 * The client commands whose responses are awaited, oldest first (a FIFO, so pipelined commands match their
 * responses), and the charging of server bytes to the one at the head.
 */
final class InFlightCommands {

    private final ArrayDeque<PendingCommand> queue = new ArrayDeque<>();

    /** The command whose response is being read, or null. */
    PendingCommand head() {
        return queue.peekFirst();
    }

    /** The command whose response is being read (a server handler runs only while there is one). */
    PendingCommand first() {
        return queue.getFirst();
    }

    /** Takes the head out, or null. */
    PendingCommand poll() {
        return queue.pollFirst();
    }

    /** A command was sent: its response follows the responses of those already in flight. */
    void push(PendingCommand c) {
        queue.addLast(c);
    }

    /** Forgets every command in flight; returns how many (the caller counts them as dropped). */
    int dropAll() {
        int n = queue.size();
        queue.clear();
        return n;
    }

    /**
     * Bytes of the server's response were lost while it was being read: takes the command out so it can still be
     * counted (the server did run it). Only when it is the one command in flight and its response had started.
     */
    PendingCommand takeCutResponse() {
        PendingCommand head = queue.peekFirst();
        if (head == null || queue.size() != 1 || !head.responseSeen) {
            return null;
        }
        return queue.pollFirst();
    }

    /**
     * Charges a server packet to the command in flight.
     *
     * @param checkSequence whether the first response packet must carry the request's sequence id + 1
     *                      (not under compression, where the compressed header carries the sequence)
     * @return false when the packet cannot start this command's response: the stream is out of step
     */
    boolean account(Packet p, boolean checkSequence) {
        PendingCommand head = queue.peekFirst();
        if (head == null) {
            return true;
        }
        if (checkSequence && !head.responseSeen && p.sequenceId != ((head.requestLastSequenceId + 1) & 0xFF)) {
            return false;
        }
        head.account(p);
        return true;
    }

    /** Rows the framer counted in bulk: what {@link #account} and a row handler do for each, at once. */
    void rows(int count, long wireBytes, long ts) {
        PendingCommand c = queue.getFirst();
        c.responseSeen = true;
        if (c.firstResponseTs == 0) {
            c.firstResponseTs = ts;
        }
        c.lastResponseTs = ts;
        c.bytesOut += wireBytes;
        c.rowsSent += count;
    }
}
