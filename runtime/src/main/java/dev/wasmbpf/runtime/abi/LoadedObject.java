package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.BpfObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BPF object a guest loaded, with the buffer pollers it created. Closing it destroys the pollers, then
 * the object (which detaches every link made through its programs and closes its maps).
 */
final class LoadedObject implements AutoCloseable {
    private final long handle;
    private final BpfObject object;
    private final Map<Integer, BufferPoller> pollersByMapFd = new LinkedHashMap<>();

    LoadedObject(long handle, BpfObject object) {
        this.handle = handle;
        this.object = object;
    }

    long handle() {
        return handle;
    }

    BpfObject object() {
        return object;
    }

    BufferPoller poller(int mapFd) {
        return pollersByMapFd.get(mapFd);
    }

    void addPoller(int mapFd, BufferPoller poller) {
        pollersByMapFd.put(mapFd, poller);
    }

    /** The map with this fd, when it belongs to this object. */
    BpfMap mapByFd(int fd) {
        return object.mapByFd(fd).orElse(null);
    }

    @Override
    public void close() {
        for (BufferPoller poller : pollersByMapFd.values()) {
            poller.close();
        }
        pollersByMapFd.clear();
        object.close();
    }
}
