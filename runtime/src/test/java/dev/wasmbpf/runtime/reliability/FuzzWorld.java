package dev.wasmbpf.runtime.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fuzzer knows about the instance under attack: the BPF object handles it holds open and their map
 * fds (so that some calls reach real maps and real programs), handles it closed, and where the guest keeps
 * a loadable object and its sample callback. Everything else the fuzzer passes is made up.
 */
final class FuzzWorld {
    final Map<Long, List<Integer>> openHandles = new LinkedHashMap<>();
    final List<Long> closedHandles = new ArrayList<>();
    long objectAddress;
    int objectLength;
    /** Bytes to write at objectAddress before a real load (host mode); null when the guest holds them. */
    byte[] objectBytes;

    int callbackIndex;
    int realLoadsLeft;
    int realAttachesLeft;

    boolean isOpenHandle(long handle) {
        return openHandles.containsKey(handle);
    }

    boolean isOpenFd(long fd) {
        return openHandles.values().stream().anyMatch(fds -> fds.contains((int) fd));
    }

    List<Integer> openFds() {
        return openHandles.values().stream().flatMap(List::stream).toList();
    }

    /** Learns from a call's result: new handles, map fds, closed objects. */
    void observe(FuzzCall call, long result) {
        long[] a = call.args();
        switch (call.op()) {
            case LOAD -> {
                if (result > 0) {
                    openHandles.put(result, new ArrayList<>());
                }
            }
            case MAP_FD_BY_NAME -> {
                List<Integer> fds = openHandles.get(a[0]);
                if (fds != null && result >= 0 && !fds.contains((int) result)) {
                    fds.add((int) result);
                }
            }
            case CLOSE -> {
                if (result == 0 && openHandles.remove(a[0]) != null) {
                    closedHandles.add(a[0]);
                }
            }
            default -> {}
        }
    }
}
