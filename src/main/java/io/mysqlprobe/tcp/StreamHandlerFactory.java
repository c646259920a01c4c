package io.mysqlprobe.tcp;

/** Creates the protocol-level handler for a connection the flow table starts tracking. */
@FunctionalInterface
public interface StreamHandlerFactory {

    /**
     * @param sawHandshake true when the flow began with a SYN we captured, so the server greeting
     *                     is expected; false for a connection already open when capture started
     */
    StreamHandler open(FlowKey key, long tsMicros, boolean sawHandshake);

    /**
     * The worker's periodic sweep, at packet time {@code nowMicros}: handlers that hold work for a quiet
     * connection (statements waiting for a lookup) release what is due. Runs on the worker's thread.
     */
    default void sweep(long nowMicros) {}
}
