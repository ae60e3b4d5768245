package dev.wasmbpf.runtime.abi;

import dev.wasmbpf.bpf.BpfMap;
import dev.wasmbpf.bpf.BpfObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BPF object a guest loaded, with the buffer pollers it created. Closing it destroys the pollers, then
 * the object (which detaches every link made through its programs and closes its maps).
 *
 * <p>A guest may close the object from inside a sample callback of one of its own polls. The poll's reader
 * is still working on the object's ring then, so the close takes effect when the outermost poll of the
 * object returns; until then {@link #closing()} tells the poll to stop delivering.
 */
final class LoadedObject implements AutoCloseable {
    private final long handle;
    private final BpfObject object;
    private final Map<Integer, BufferPoller> pollersByMapFd = new LinkedHashMap<>();
    private int pollDepth;
    private boolean closeRequested;

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

    /** A poll of one of this object's maps begins (polls of different maps may nest through callbacks). */
    void enterPoll() {
        pollDepth++;
    }

    /** A poll returns; the object closes now if the guest closed it during the outermost one. */
    void exitPoll() {
        if (--pollDepth == 0 && closeRequested) {
            closeNow();
        }
    }

    /** The guest has closed the object, but a poll of it has not returned yet. */
    boolean closing() {
        return closeRequested;
    }

    @Override
    public void close() {
        if (pollDepth > 0) {
            closeRequested = true;
            return;
        }
        closeNow();
    }

    private void closeNow() {
        for (BufferPoller poller : pollersByMapFd.values()) {
            poller.close();
        }
        pollersByMapFd.clear();
        object.close();
    }
}
