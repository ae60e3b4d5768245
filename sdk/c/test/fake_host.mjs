// Runs sdk_selftest.wasm under Node's WASI with a scripted `wasm_bpf` host:
//   node fake_host.mjs sdk_selftest.wasm
// The host answers like the real one would for the cases the self-test drives, in Linux errno.
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const wasi = new WASI({ version: 'preview1', args: [file], env: {}, returnOnExit: true });
let instance;
const view = () => new DataView(instance.exports.memory.buffer);
const bytes = () => new Uint8Array(instance.exports.memory.buffer);
const cstr = (p) => { const m = bytes(); let e = p; while (m[e]) e++; return Buffer.from(m.slice(p, e)).toString(); };
const fds = { kv: 10, events: 12, '.rodata': 13, '.bss': 14 };
const EACCES = 13, ENOENT = 2, EEXIST = 17, EINVAL = 22;
let hostFailures = 0;
const expect = (ok, what) => { if (!ok) { hostFailures++; console.log(`HOST-FAIL ${what}`); } };

let loads = 0;
const wasmBpf = {
  wasm_load_bpf_object(ptr, size) {
    const elf = bytes().slice(ptr, ptr + size);
    if (elf[0] !== 0x7f) return 0n;
    loads++;
    if (loads === 2) {
      // Second load = the skeleton test, which set src_key = 3 before load.
      expect(rodataValue(elf) === 3, 'skeleton .rodata write reached the loaded ELF');
    }
    return BigInt(loads);
  },
  wasm_attach_bpf_program(handle, name, target) {
    return target && cstr(target) === 'denied' ? -EACCES : 0;
  },
  wasm_bpf_map_fd_by_name(handle, name) { return fds[cstr(name)] ?? -ENOENT; },
  wasm_bpf_map_operate(fd, cmd, key, value, nextKey, flags) {
    if (fd === 14 && cmd === 2) { expect(view().getBigUint64(value, true) === 77n, '.bss pushed at load'); return 0; }
    if (fd === 14 && cmd === 1) { view().setBigUint64(value, 0x5555n, true); return 0; }
    if (fd === 15 && cmd === 1) {
      // A per-CPU map of 12-byte values on 3 possible CPUs: 16 bytes each, the last CPU's all zero.
      for (let cpu = 0; cpu < 3; cpu++) bytes().fill(cpu === 2 ? 0 : 0x11 * (cpu + 1), value + cpu * 16, value + cpu * 16 + 16);
      return 0;
    }
    if (fd === 10 && cmd === 1) return -ENOENT;
    if (fd === 10 && cmd === 2) return flags === 1n ? -EEXIST : 0;
    return -EINVAL;
  },
  wasm_bpf_buffer_poll(handle, fd, sampleFunc, ctx, data, maxSize, timeoutMs) {
    const callback = instance.exports.__indirect_function_table.get(sampleFunc);
    for (let i = 0; i < 2; i++) {
      view().setBigUint64(data, BigInt(100 + i), true);
      const ret = callback(ctx, data, 8);
      if (ret < 0) return ret;
    }
    return 2;
  },
  wasm_close_bpf_object(handle) { return 0; },
};

// .rodata's bytes via the ELF64 section headers (what libbpf would read).
function rodataValue(elf) {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = Number(dv.getBigUint64(40, true)), shnum = dv.getUint16(60, true), shstrndx = dv.getUint16(62, true);
  const sh = (i) => shoff + i * 64;
  const strOff = Number(dv.getBigUint64(sh(shstrndx) + 24, true));
  for (let i = 0; i < shnum; i++) {
    let p = strOff + dv.getUint32(sh(i), true), name = '';
    while (elf[p]) name += String.fromCharCode(elf[p++]);
    if (name === '.rodata') return dv.getUint32(Number(dv.getBigUint64(sh(i) + 24, true)), true);
  }
  return -1;
}

const module = await WebAssembly.compile(readFileSync(file));
instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport, wasm_bpf: wasmBpf });
const code = wasi.start(instance);
console.log(hostFailures ? `HOST-FAILED ${hostFailures}` : 'HOST-OK');
process.exit(code || (hostFailures ? 1 : 0));
