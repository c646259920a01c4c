package io.mysqlprobe.capture;

/**
 * Reads packets a batch per libpcap call into pooled byte chunks ({@link PcapBatch}); an interface so a test can stand
 * in a reader that fails and watch the capture go on packet by packet.
 */
interface BatchReader extends AutoCloseable {

    /** Receives each packet of a batch, whichever reader read it: {@code data[offset, offset + caplen)} holds it. */
    interface Records {
        void record(long tsMicros, byte[] data, int offset, int caplen, int wireLength);
    }

    /** Opens a reader on the libpcap handle at {@code pcap}; records are at most {@code snaplen} bytes. */
    interface Factory {
        BatchReader open(long pcap, int snaplen);
    }

    /**
     * Reads the packets ready now into {@code into}'s chunks, handing each to {@code out}; returns how many, 0 when
     * none, negative when libpcap reports an error or a stop.
     */
    int read(ChunkWriter into, Records out);

    /** Waits up to {@code timeoutMillis} for packets; false when it could not wait (the caller sleeps instead). */
    boolean awaitPackets(int timeoutMillis);

    @Override
    void close();
}
