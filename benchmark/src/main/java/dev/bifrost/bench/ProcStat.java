package dev.bifrost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak memory of a process, from {@code /proc} (Linux). */
final class ProcStat {

    /** USER_HZ, the unit of the times in {@code /proc/<pid>/stat}: 100 on every Linux architecture in use. */
    static final double TICKS_PER_SECOND = 100.0;

    /** A process's identity (pid and start time, so that a reused pid is not mistaken for it) and CPU ticks. */
    record Sample(long pid, long startTime, long cpuTicks) {
    }

    private ProcStat() {
    }

    /** utime + stime of {@code pid}, or null if it is gone. */
    static Sample sample(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        // the command name (field 2) may contain spaces: fields are counted after its closing parenthesis
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        long startTime = Long.parseLong(fields[19]);
        return new Sample(pid, startTime, utime + stime);
    }

    static double cpuSeconds(long pid) {
        Sample sample = sample(pid);
        return sample == null ? 0 : sample.cpuTicks() / TICKS_PER_SECOND;
    }

    /** VmHWM (peak resident set size) in bytes; 0 if the process is gone. */
    static long peakRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
