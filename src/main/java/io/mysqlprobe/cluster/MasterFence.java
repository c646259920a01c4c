package io.mysqlprobe.cluster;

import io.vertx.core.shareddata.Lock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.lock.EmbeddedClusteredLockManagerFactory;

/**
 * A master candidate's contest for the cluster-wide master lock, and the fence that decides whether the holder
 * may publish.
 *
 * <p>Who publishes: the holder of the lock, and only while its fence holds. The fence: (1) a heartbeat
 * every 200 ms; a gap of more than {@link #STALL_MS} (the process was frozen: {@code kill -STOP}, a long GC)
 * makes the master step down at once, before it can publish, and any frozen candidate waits until the
 * cluster has merged it back (or {@link #COOL_DOWN_MS}) before it contends again, so it never takes the lock in
 * a partition of its own; (2) the replicated master record: a master that finds another node's name in it
 * (after a partition heals, the merge keeps one value everywhere) steps down.
 */
final class MasterFence {

    private static final Logger LOG = Logger.getLogger(MasterFence.class.getName());
    /** Well below FD_ALL's 8 s timeout: any freeze long enough to get this node excluded is noticed. */
    static final long STALL_MS = 5000;

    static final long COOL_DOWN_MS = 30_000;
    /**
     * A candidate that finds itself alone when it joins, though seeds name other nodes, waits this long (two
     * of MERGE3's 5 s maximum intervals: a merge was seen to land 7.5 s after such a join) for a merge before it
     * contends: nodes that start together each form a view of one, and a master elected in a view of one loses
     * its lock in the merge, so a second candidate takes it and the first steps down.
     */
    static final long JOIN_GRACE_MS = 12_000;

    private static final long BEAT_MS = 200;
    /** Lock attempts (2 s each) that fail with no other candidate alive before the lock is released by force. */
    static final int STUCK_LOCK_ATTEMPTS = 3;
    /** Keys of the replicated master record. */
    private static final String MASTER = "master";

    private static final String PUBLISHED = "published";

    /** Called when this node becomes master ({@code true}) or stops being master ({@code false}). */
    interface RoleListener {
        void changed(boolean master, String previousPublishedStart);
    }

    private final String group;
    private final GossipTransport transport;
    private final NodeDirectory directory;
    private final Cache<String, String> masterRecord;
    private final RoleListener roles;
    private final Object fence = new Object();
    private volatile boolean closed;
    private volatile boolean master;
    private volatile Lock lock;
    private volatile long lastBeat = System.currentTimeMillis();
    private volatile long contendAfter;
    private volatile List<String> membersAtStall;

    /** @param roles told of each promotion and step-down (after the node's record says so, for a promotion) */
    MasterFence(String group, GossipTransport transport, NodeDirectory directory, RoleListener roles) {
        this.group = group;
        this.transport = transport;
        this.directory = directory;
        this.masterRecord = transport.cache(GossipConfig.MASTER_CACHE);
        this.roles = roles;
    }

    /** Starts the heartbeat on {@code timer}; the join itself is no freeze. */
    void startHeartbeat(ScheduledExecutorService timer) {
        lastBeat = System.currentTimeMillis();
        timer.scheduleWithFixedDelay(this::beat, BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts contending for the lock; alone after the join though seeds name others → first waits for a merge. */
    void startContending(boolean waitForMerge) {
        if (waitForMerge) {
            membersAtStall = transport.members();
            contendAfter = System.currentTimeMillis() + JOIN_GRACE_MS;
            LOG.info("gossip: alone after joining though seeds name other nodes; waiting up to " + JOIN_GRACE_MS
                    + " ms for a merge before contending for master");
        }
        Thread t = new Thread(this::contend, "gossip-master-lock");
        t.setDaemon(true);
        t.start();
    }

    private String lockName() {
        return "mysql-probe.master." + group;
    }

    /** The fence's heartbeat: a long gap means this process was frozen; a frozen master steps down. */
    private void beat() {
        synchronized (fence) {
            long now = System.currentTimeMillis();
            long gap = now - lastBeat;
            lastBeat = now;
            if (gap > STALL_MS) {
                stall(gap);
            }
        }
    }

    /**
     * After a freeze this node's view is stale: the others have excluded it. It must not take the lock in a
     * partition of its own, so it contends again only once it sees a new view with another master candidate
     * in it (the merge), or after {@link #COOL_DOWN_MS}.
     */
    private void stall(long gap) {
        membersAtStall = transport.members();
        contendAfter = System.currentTimeMillis() + COOL_DOWN_MS;
        if (master) {
            stepDown("this process was frozen for " + gap + " ms");
        } else {
            LOG.warning("gossip: this process was frozen for " + gap + " ms; not contending for master until "
                    + "the cluster has merged it back");
        }
    }

    private boolean mayContend() {
        List<String> stale = membersAtStall;
        if (stale == null) {
            return true;
        }
        List<String> now = transport.members();
        boolean merged = !now.equals(stale) && directory.otherCandidateIn(now, transport.nodeId());
        if (merged || System.currentTimeMillis() >= contendAfter) {
            membersAtStall = null;
            return true;
        }
        return false;
    }

    private void contend() {
        int failedAlone = 0;
        while (!closed) {
            try {
                if (master || !mayContend()) {
                    Thread.sleep(200);
                    continue;
                }
                Lock l = transport
                        .vertx()
                        .sharedData()
                        .getLockWithTimeout(lockName(), 2000)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                failedAlone = 0;
                promote(l);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // timed out waiting: the lock is held by the master; try again
                if (closed) {
                    return;
                }
                failedAlone = directory.otherCandidateIn(transport.members(), transport.nodeId()) ? 0 : failedAlone + 1;
                if (failedAlone >= STUCK_LOCK_ATTEMPTS) {
                    forceReleaseStuckLock();
                    failedAlone = 0;
                }
            }
        }
    }

    /**
     * The lock is held, yet no other master candidate is alive: its holder died or froze while the view was
     * changing (seen after a kill -STOP, a merge and a kill -9 in a row on an overloaded machine), and
     * Infinispan kept the ownership. Released by force through Infinispan's clustered lock manager (Vert.x
     * has no such call) so this node can take over; should another candidate be alive unseen, the master
     * record's fence makes one of the two step down.
     */
    private void forceReleaseStuckLock() {
        try {
            boolean released = EmbeddedClusteredLockManagerFactory.from(transport.caches())
                    .forceRelease(lockName())
                    .get(5, TimeUnit.SECONDS);
            LOG.warning("gossip: the master lock stayed held with no other master candidate alive; "
                    + (released ? "force-released it" : "force release refused"));
        } catch (Exception e) {
            LOG.warning("gossip: could not force-release a stuck master lock: " + e);
        }
    }

    private void promote(Lock l) {
        String previous;
        synchronized (fence) {
            if (closed || System.currentTimeMillis() - lastBeat > STALL_MS) {
                l.release();
                return;
            }
            lock = l;
            previous = masterRecord.get(PUBLISHED);
            masterRecord.put(MASTER, transport.nodeId());
            master = true;
        }
        LOG.info("gossip: this node is now the master of " + group + " (last window published by the previous "
                + "master: " + previous + ")");
        roles.changed(true, previous);
    }

    private void stepDown(String why) {
        Lock l;
        synchronized (fence) {
            if (!master) {
                return;
            }
            master = false;
            l = lock;
            lock = null;
        }
        LOG.warning("gossip: stepping down as master: " + why);
        try {
            if (l != null) {
                l.release();
            }
        } catch (RuntimeException e) {
            LOG.fine("lock release after step-down: " + e);
        }
        roles.changed(false, null);
    }

    /**
     * May this node broadcast the window starting at {@code startMs} now? True only for the lock holder whose
     * fence holds; records the window as published so a successor knows where to resume.
     */
    boolean mayPublish(long startMs) {
        synchronized (fence) {
            if (!master) {
                return false;
            }
            long now = System.currentTimeMillis();
            if (now - lastBeat > STALL_MS) {
                long gap = now - lastBeat;
                lastBeat = now;
                stall(gap);
                return false;
            }
            String owner = masterRecord.get(MASTER);
            if (owner != null && !owner.equals(transport.nodeId())) {
                stepDown("the master record names " + owner);
                return false;
            }
            masterRecord.putAsync(PUBLISHED, Long.toString(startMs));
            return true;
        }
    }

    /** The node id the replicated master record names (null before any master). */
    String masterId() {
        return masterRecord.get(MASTER);
    }

    boolean isMaster() {
        return master;
    }

    /** Steps down (when master) and stops contending. */
    void close() {
        if (master) {
            stepDown("leaving the cluster");
        }
        closed = true;
    }
}
