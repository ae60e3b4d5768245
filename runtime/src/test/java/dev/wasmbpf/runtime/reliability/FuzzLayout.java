package dev.wasmbpf.runtime.reliability;

/**
 * Where the fuzzer may aim in guest memory. A work pointer lies in [workStart, workEnd - MAX_WORK_LENGTH)
 * and gets at most {@link #MAX_WORK_LENGTH} bytes of room, so nothing the host legitimately writes
 * reaches the guards of {@code guardLength} bytes right before and right after the work area; low pointers
 * (0 and up) get at most {@code lowWriteLimit} bytes so they stay in memory nobody uses. A changed guard
 * byte is a host write outside the range it was given.
 */
record FuzzLayout(long workStart, long workEnd, int guardLength, int lowWriteLimit) {
    static final int MAX_WORK_LENGTH = 4096;

    FuzzLayout {
        if (workEnd - workStart < 4 * MAX_WORK_LENGTH || workStart < guardLength) {
            throw new IllegalArgumentException("work area too small");
        }
    }

    long guardBefore() {
        return workStart - guardLength;
    }

    long guardAfter() {
        return workEnd;
    }
}
