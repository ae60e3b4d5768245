package dev.wasmbpf.runtime.reliability;

import java.util.ArrayList;
import java.util.List;

/** Where a module's sections start: their id byte, size and first byte of content (for targeted mutations). */
record WasmSections(int idOffset, int id, int sizeOffset, int contentOffset, int size) {
    static List<WasmSections> of(byte[] wasm) {
        List<WasmSections> sections = new ArrayList<>();
        int at = 8;
        while (at < wasm.length) {
            int id = wasm[at] & 0xFF;
            int sizeOffset = at + 1;
            long size = 0;
            int shift = 0;
            int p = sizeOffset;
            while (p < wasm.length) {
                int b = wasm[p++] & 0xFF;
                size |= (long) (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            sections.add(new WasmSections(at, id, sizeOffset, p, (int) size));
            at = p + (int) size;
        }
        return sections;
    }
}
