package io.mysqlprobe.capture;

/**
 * Reads packets a batch per libpcap call into a byte chunk ({@link PcapBatch}); an interface so a test can stand
 * in a reader that fails and watch the capture go on packet by packet.
 */
interface BatchReader extends AutoCloseable {

    /** Opens a reader on the libpcap handle at {@code pcap}; records are at most {@code snaplen} bytes. */
    interface Factory {
        BatchReader open(long pcap, int snaplen);
    }

    /**
     * Reads the packets ready now into {@code chunk} from {@code at} (or a fresh chunk when they don't fit),
     * handing each to {@code out}; returns how many, 0 when none, negative when libpcap reports an error or a stop.
     */
    int read(byte[] chunk, int at, PcapBatch.Records out);

    /** The chunk the last read wrote into. */
    byte[] lastChunk();

    /** Where the last read's data ends in {@link #lastChunk()}. */
    int lastEnd();

    /** Waits up to {@code timeoutMillis} for packets; false when it could not wait (the caller sleeps instead). */
    boolean awaitPackets(int timeoutMillis);

    @Override
    void close();
}
