// SPDX-License-Identifier: Apache-2.0
//! rust-bootstrap: the bootstrap example in Rust. Loads bootstrap.bpf.o through its Rust
//! skeleton, optionally sets the minimum process duration (a .rodata constant, set before load
//! so the verifier sees it), and prints one line per exec and per exit, as the C `bootstrap` does.

use std::time::{SystemTime, UNIX_EPOCH};
use wasm_bpf::{from_bytes, Errno};

mod skel {
    include!(env!("WASM_BPF_SKEL"));
}

use skel::types::event;

struct Options {
    verbose: bool,
    min_duration_ms: u64,
}

fn usage(prog: &str) -> String {
    format!(
        "Usage: {} [-d MIN-DURATION-MS] [-v] [-h]\n\
         Trace process start and exits, with how long each process lived.\n\
         \n\
         \x20 -d MIN-DURATION-MS  only report exits of processes that lived at least this long\n\
         \x20 -v                  verbose: report what the program does on stderr\n\
         \x20 -h                  show this help\n",
        prog
    )
}

/// `Ok(None)` for -h, `Err(message)` for a usage error.
fn parse_options(args: &[String]) -> Result<Option<Options>, String> {
    let mut opts = Options { verbose: false, min_duration_ms: 0 };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-h" | "--help" => return Ok(None),
            "-v" => opts.verbose = true,
            "-d" => {
                i += 1;
                let value = args.get(i).ok_or("option requires an argument -- 'd'")?;
                opts.min_duration_ms = match value.parse::<u64>() {
                    Ok(ms) if ms > 0 => ms,
                    _ => return Err(format!("Invalid duration: {}", value)),
                };
            }
            other if other.starts_with('-') => return Err(format!("invalid option -- '{}'", other.trim_start_matches('-'))),
            other => return Err(format!("Unexpected argument: {}", other)),
        }
        i += 1;
    }
    Ok(Some(opts))
}

/// The time of day as HH:MM:SS. WASI has no time zone, so this is UTC (as the C guest's
/// localtime() is under wasi-libc).
fn time_of_day() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) % 86_400;
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// A NUL-terminated C string field.
fn c_str(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

fn handle_event(sample: &[u8]) {
    // Shorter than the struct: not one of ours, ignore it (the C guest does the same).
    let e: event = match from_bytes(sample) {
        Some(e) => e,
        None => return,
    };
    // Fields of a packed struct are copied out before formatting (no references to them).
    let (pid, ppid, exit_code, duration_ns) = (e.pid, e.ppid, e.exit_code, e.duration_ns);
    let (comm, filename) = (c_str(&e.comm), c_str(&e.filename));
    let ts = time_of_day();
    if e.exit_event != 0 {
        let mut line = format!("{:<8} {:<5} {:<16} {:<7} {:<7} [{}]", ts, "EXIT", comm, pid, ppid, exit_code);
        if duration_ns != 0 {
            line.push_str(&format!(" ({}ms)", duration_ns / 1_000_000));
        }
        println!("{}", line);
    } else {
        println!("{:<8} {:<5} {:<16} {:<7} {:<7} {}", ts, "EXEC", comm, pid, ppid, filename);
    }
}

fn run(opts: &Options) -> Result<(), String> {
    let mut open = skel::OpenSkel::open().map_err(|e| format!("Failed to open BPF skeleton: {}", e))?;
    open.rodata().map_err(|e| format!("Failed to set .rodata: {}", e))?.min_duration_ns = opts.min_duration_ms * 1_000_000;
    if opts.verbose {
        eprintln!("loading bootstrap.bpf.o ({} bytes), min_duration_ns = {}", skel::OBJECT.len(), opts.min_duration_ms * 1_000_000);
    }
    let skel = open.load().map_err(|e| format!("Failed to load and verify BPF skeleton: {}", e))?;
    let attached = skel.attach().map_err(|e| format!("Failed to attach BPF skeleton: {}", e))?;
    if opts.verbose {
        eprintln!("attached {} programs", attached);
    }

    // Attached: events from now on wait in the ring buffer, so the header comes first.
    println!("{:<8} {:<5} {:<16} {:<7} {:<7} {}", "TIME", "EVENT", "COMM", "PID", "PPID", "FILENAME/EXIT CODE");
    let mut rb = skel.obj.buffer("rb", handle_event).map_err(|e| format!("Failed to open ring buffer: {}", e))?;

    // The runtime ends the module at a host call on Ctrl-C, releasing every kernel object.
    loop {
        match rb.poll(100) {
            Ok(_) => {}
            Err(Errno::EINTR) => return Ok(()),
            Err(e) => return Err(format!("Error polling ring buffer: {}", e)),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let prog = args.first().map(String::as_str).unwrap_or("rust-bootstrap");
    let opts = match parse_options(args.get(1..).unwrap_or(&[])) {
        Ok(Some(opts)) => opts,
        Ok(None) => {
            print!("{}", usage(prog));
            return;
        }
        Err(message) => {
            eprintln!("{}\n{}", message, usage(prog));
            std::process::exit(1);
        }
    };
    if let Err(message) = run(&opts) {
        eprintln!("{}", message);
        std::process::exit(1);
    }
}
