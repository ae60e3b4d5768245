package dev.wasmbpf.bench.harness;

/**
 * One consumer's measurements in one round.
 *
 * @param attachMs process start to the header line (printed right after attach)
 * @param attachCpuMs CPU (all threads, user + system) the consumer used until that line
 * @param warmUpCpuUsPerEvent consumer CPU per delivered event during the first, flat-out storm (JIT warm-up)
 * @param pacedCpuUsPerEvent consumer CPU per delivered event while the storm ran at the paced rate
 * @param pacedLost storm events (EXEC + EXIT of the target) generated but not printed, paced storm
 * @param maxExecsPerSecond the rate the flat-out storm reached with this consumer running
 * @param maxEventsPerSecond storm events printed per second of the flat-out storm
 * @param maxCpuUsPerEvent consumer CPU per delivered event during the flat-out storm
 * @param maxCpuPercent consumer CPU during the flat-out storm, percent of one vCPU
 * @param maxLost storm events not printed, flat-out storm
 * @param maxExpected storm events generated in the flat-out storm (2 per exec)
 * @param peakRssMiB VmHWM at the end
 */
record ConsumerRun(
        double attachMs,
        double attachCpuMs,
        double warmUpCpuUsPerEvent,
        double pacedCpuUsPerEvent,
        long pacedLost,
        double maxExecsPerSecond,
        double maxEventsPerSecond,
        double maxCpuUsPerEvent,
        double maxCpuPercent,
        long maxLost,
        long maxExpected,
        double peakRssMiB) {}
