package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.BpfObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The BPF objects of one module instance, by handle. Handles count 1, 2, 3 … and are never reused, so a
 * stale handle can't reach a newer object. Map fds are indexed too: a guest may operate only on maps of its
 * own objects, never on arbitrary host fds.
 */
public final class ObjectRegistry implements AutoCloseable {
    private final Map<Long, LoadedObject> objects = new LinkedHashMap<>();
    private final Map<Integer, BpfMap> mapsByFd = new HashMap<>();
    private long nextHandle = 1;

    long register(BpfObject object) {
        long handle = nextHandle++;
        objects.put(handle, new LoadedObject(handle, object));
        for (BpfMap map : object.maps()) {
            mapsByFd.put(map.fd(), map);
        }
        return handle;
    }

    LoadedObject get(long handle) {
        return objects.get(handle);
    }

    /** A map of one of this instance's objects, or null. */
    BpfMap mapByFd(int fd) {
        return mapsByFd.get(fd);
    }

    /** Closes one object; false when the handle is unknown. */
    boolean close(long handle) {
        LoadedObject loaded = objects.remove(handle);
        if (loaded == null) {
            return false;
        }
        forgetMaps(loaded);
        loaded.close();
        return true;
    }

    public int size() {
        return objects.size();
    }

    /** Closes everything still open, newest first (the reverse of creation, as libbpf users would). */
    @Override
    public void close() {
        List<LoadedObject> open = new ArrayList<>(objects.values());
        objects.clear();
        mapsByFd.clear();
        RuntimeException first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void forgetMaps(LoadedObject loaded) {
        for (BpfMap map : loaded.object().maps()) {
            mapsByFd.remove(map.fd());
        }
    }
}
