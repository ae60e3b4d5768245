package dev.wasmbpf.runtime;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.NameCustomSection;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovers the Wasm frames of a trap from the JVM stack: Chicory's compiler emits one JVM method
 * {@code func_N} per Wasm function N, and the module's name section (when present) names them.
 */
final class WasmStackTrace {
    private static final Pattern COMPILED_FUNCTION = Pattern.compile("func_(\\d+)");
    private static final int MAX_FRAMES = 64;

    private WasmStackTrace() {}

    static List<String> of(Throwable trap, WasmModule module) {
        NameCustomSection names = module.nameSection();
        List<String> frames = new ArrayList<>();
        String previous = null;
        for (StackTraceElement element : trap.getStackTrace()) {
            Matcher matcher = COMPILED_FUNCTION.matcher(element.getMethodName());
            if (!matcher.matches()) {
                continue;
            }
            int index = Integer.parseInt(matcher.group(1));
            String name = names == null ? null : names.nameOfFunction(index);
            String frame = (name == null ? "func[" + index + "]" : name + " (func[" + index + "])");
            // Compiled calls may pass through a bridge method of the same name: keep one frame per call.
            if (!frame.equals(previous)) {
                frames.add(frame);
            }
            previous = frame;
            if (frames.size() == MAX_FRAMES) {
                break;
            }
        }
        return frames;
    }
}
