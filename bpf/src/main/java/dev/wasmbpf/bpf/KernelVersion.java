package dev.wasmbpf.bpf;

/** A Linux release such as 5.8, the first one that has a BPF feature. */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    public static KernelVersion of(int major, int minor) {
        return new KernelVersion(major, minor);
    }

    @Override
    public int compareTo(KernelVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
