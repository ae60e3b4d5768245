/**
 * Raw downcall handles into libbpf and libc. Not API: used by {@code dev.wasmbpf.bpf} and its
 * {@code ringbuf}/{@code perf} packages only. Every entry point here assumes
 * {@link dev.wasmbpf.bpf.Libbpf#ensureLoaded()} has succeeded.
 */
package dev.wasmbpf.bpf.internal;
