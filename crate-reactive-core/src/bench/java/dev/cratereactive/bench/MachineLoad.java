package dev.cratereactive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was during the run, and how much of that was not us: the machine's busy CPU time
 * ({@code /proc/stat}) minus this JVM's and its waited-for children's (the benchmark forks, the server, the
 * probes: {@code /proc/self/stat}), over the wall time. Linux only; elsewhere it reports nothing.
 */
final class MachineLoad {

    /** USER_HZ: the unit of both files, 100 on every Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long startNanos = System.nanoTime();
    private final long machineStart = machineBusyTicks();
    private final long ownStart = ownTicks();
    private final String loadAtStart = loadAverage();

    /** @return the 1, 5 and 15 minute load averages, or "n/a" */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** @return the load average when this monitor started */
    String loadAtStart() {
        return loadAtStart;
    }

    /** @return a one-line summary of the run so far */
    String summary() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long machine = machineBusyTicks() - machineStart;
        long own = ownTicks() - ownStart;
        if (machineStart < 0 || ownStart < 0) {
            return String.format("wall %.0f s (no /proc: CPU use unknown)", seconds);
        }
        double machineCores = machine / TICKS_PER_SECOND / seconds;
        double ownCores = own / TICKS_PER_SECOND / seconds;
        return String.format("wall %.0f s; machine busy %.2f cores on average, of which this suite %.2f and other "
            + "processes %.2f; load average now %s", seconds, machineCores, ownCores,
            Math.max(0, machineCores - ownCores), loadAverage());
    }

    private static long machineBusyTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ownTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            // after "pid (comm) ": state(0) ... utime(11) stime(12) cutime(13) cstime(14)
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
