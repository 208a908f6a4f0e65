package dev.cratereactive.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Row;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import tools.jackson.databind.JsonNode;

/**
 * Consumes the big result once in this JVM and reports its heap: run by the suite in a fresh JVM with a given
 * {@code -Xmx} and {@code -XX:+ExitOnOutOfMemoryError} (exit code 3 = out of memory), against the out-of-process
 * {@link BenchServer}, so that the heap holds only the client's data.
 *
 * <p>Prints one line: {@code MEMORY-RESULT rows=<n> seconds=<s> peakUsedMiB=<sum of the heap pools' peaks>
 * maxLiveMiB=<largest heap occupancy right after a GC> gcs=<count> nettyDirectMiB=<in use at the end>}. The
 * first figure depends on how lazily the collector runs (with a large heap, garbage piles up before a GC); the
 * second is what the consumer kept reachable.
 *
 * <p>Arguments: {@code ours|jdk <node url> <expected rows>}.
 */
public final class MemoryProbe {

    /** Prefix of the result line. */
    static final String RESULT = "MEMORY-RESULT";

    private MemoryProbe() {
    }

    public static void main(String[] args) {
        String client = args[0];
        String url = args[1];
        long expected = Long.parseLong(args[2]);
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).collect(Collectors.toList());
        Set<String> heapPoolNames = heapPools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        AtomicLong maxLive = new AtomicLong();
        AtomicLong gcs = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long live = 0;
                for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPoolNames.contains(pool.getKey())) {
                        live += pool.getValue().getUsed();
                    }
                }
                gcs.incrementAndGet();
                maxLive.accumulateAndGet(live, Math::max);
            }, null, null);
        }

        long rows;
        long start;
        if (client.equals("ours")) {
            try (CrateClient crate = CrateClient.create(url)) {
                heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
                start = System.nanoTime();
                long[] checksum = new long[1];
                Long count = crate.sql(BenchData.BIG_STATEMENT)
                    .doOnNext(row -> checksum[0] += touch(row))
                    .count()
                    .block();
                rows = count == null ? -1 : count;
                System.err.println("checksum " + checksum[0]);
            }
        } else {
            Baseline jdk = new Baseline(url);
            java.net.http.HttpRequest request = jdk.request(Baseline.statement(BenchData.BIG_STATEMENT));
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            start = System.nanoTime();
            JsonNode all = jdk.send(request).get("rows");
            long checksum = 0;
            for (JsonNode row : all) {
                checksum += row.get(0).asLong() + row.get(1).asString().length() + (long) row.get(2).asDouble();
            }
            rows = all.size();
            System.err.println("checksum " + checksum);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Check.count("memory probe " + client, expected, rows);
        long peakUsed = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long direct = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
            ? provider.metric().usedDirectMemory() : -1;
        System.out.printf("%s rows=%d seconds=%.2f peakUsedMiB=%.1f maxLiveMiB=%.1f gcs=%d nettyDirectMiB=%.1f%n",
            RESULT, rows, seconds, mib(peakUsed), mib(maxLive.get()), gcs.get(), mib(direct));
        System.exit(0);
    }

    private static long touch(Row row) {
        return (Long) row.get(0) + ((String) row.get(1)).length() + ((Double) row.get(2)).longValue();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
