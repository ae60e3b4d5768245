package dev.wasmbpf.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The startup time line: offsets from the origin, each step kept once, the last attach before ready. */
class StartupTimelineTest {
    private static final long ORIGIN = 1_000_000_000L;

    @Test
    void stepsAreMillisecondsFromTheOriginAndKeptTheFirstTime() {
        StartupTimeline timeline = new StartupTimeline(ORIGIN);
        timeline.mark(StartupTimeline.Step.RESOLVED, ORIGIN + 1_500_000);
        timeline.mark(StartupTimeline.Step.RESOLVED, ORIGIN + 9_000_000);
        timeline.openAndLoad(Duration.ofNanos(12_345_000));
        timeline.openAndLoad(Duration.ofMillis(99));
        Map<String, Object> body = timeline.describe();
        assertEquals(ORIGIN, body.get("originMonotonicNs"));
        assertEquals(1.5, body.get("resolvedMs"), "the first mark stays");
        assertEquals(12.345, body.get("libbpfOpenLoadMs"), "the first object's load");
        assertNull(body.get("readyMs"), "not reached");
        assertTrue(body.containsKey("readyMs"), "a step not reached is there, null");
        assertFalse(timeline.reached(StartupTimeline.Step.READY));
    }

    @Test
    void attachedIsTheLastAttachBeforeReady() {
        StartupTimeline timeline = new StartupTimeline(ORIGIN);
        timeline.mark(StartupTimeline.Step.ATTACHED, ORIGIN + 1_000_000);
        timeline.mark(StartupTimeline.Step.ATTACHED, ORIGIN + 2_000_000);
        timeline.mark(StartupTimeline.Step.READY, ORIGIN + 3_000_000);
        // An attach once the module runs (e.g. later on in its event loop) is not part of its start.
        timeline.mark(StartupTimeline.Step.ATTACHED, ORIGIN + 8_000_000);
        assertEquals(2.0, timeline.describe().get("attachedMs"));
        assertEquals(3.0, timeline.describe().get("readyMs"));
    }
}
