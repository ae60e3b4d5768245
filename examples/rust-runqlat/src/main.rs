// SPDX-License-Identifier: Apache-2.0
//! rust-runqlat: the runqlat example in Rust. Loads runqlat.bpf.o (the C example's BPF side),
//! then every interval walks the `hists` hash map with get-next-key + lookup, prints each
//! histogram as a log2 histogram and deletes them, so each interval starts from zero.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wasm_bpf::{Errno, Map};

mod skel {
    include!(env!("WASM_BPF_SKEL"));
}

use skel::types::hist;

/// Without an interval, print this often: Ctrl-C stops a Wasm module at once, there is no
/// "print on exit" as the native tool does.
const DEFAULT_INTERVAL_S: u64 = 5;

#[derive(Default)]
struct Options {
    timestamp: bool,
    milliseconds: bool,
    per_process: bool,
    per_thread: bool,
    verbose: bool,
    pid: i32,
    interval: u64,
    times: u64, // 0: forever
}

fn usage(prog: &str) -> String {
    format!(
        "Usage: {p} [-h] [-T] [-m] [-P] [-L] [-p PID] [-v] [interval] [count]\n\
         Summarize run queue (scheduler) latency as a histogram.\n\
         \n\
         \x20 interval    seconds between histograms (default {d})\n\
         \x20 count       number of histograms, then exit (default: until stopped)\n\
         \x20 -T          include a timestamp with each histogram\n\
         \x20 -m          millisecond histogram (default: microseconds)\n\
         \x20 -P          one histogram per process ID\n\
         \x20 -L          one histogram per thread ID\n\
         \x20 -p PID      only trace this process\n\
         \x20 -v          verbose: report what the program does on stderr\n\
         \x20 -h          show this help\n\
         \n\
         Examples:\n\
         \x20 {p}            # summarize run queue latency every {d} s\n\
         \x20 {p} 1 10       # print 1 second summaries, 10 times\n\
         \x20 {p} -mT 1      # 1s summaries, milliseconds, and timestamps\n\
         \x20 {p} -P         # show each PID separately\n",
        p = prog,
        d = DEFAULT_INTERVAL_S
    )
}

/// `Ok(None)` for -h, `Err(message)` for a usage error. Short flags may be combined (-mT).
fn parse_options(args: &[String]) -> Result<Option<Options>, String> {
    let mut opts = Options { interval: DEFAULT_INTERVAL_S, ..Options::default() };
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg.len() > 1 && arg.starts_with('-') {
            for (n, flag) in arg[1..].char_indices() {
                match flag {
                    'T' => opts.timestamp = true,
                    'm' => opts.milliseconds = true,
                    'P' => opts.per_process = true,
                    'L' => opts.per_thread = true,
                    'v' => opts.verbose = true,
                    'h' => return Ok(None),
                    'p' => {
                        // -pPID or -p PID
                        let rest = &arg[1 + n + 1..];
                        let value = if rest.is_empty() {
                            i += 1;
                            args.get(i).map(String::as_str).ok_or("option requires an argument -- 'p'")?
                        } else {
                            rest
                        };
                        opts.pid = match value.parse::<i32>() {
                            Ok(pid) if pid > 0 => pid,
                            _ => return Err(format!("Invalid PID: {}", value)),
                        };
                        break;
                    }
                    other => return Err(format!("invalid option -- '{}'", other)),
                }
            }
        } else {
            positional.push(arg.as_str());
        }
        i += 1;
    }
    if opts.per_process && opts.per_thread {
        return Err("-P and -L are mutually exclusive".to_string());
    }
    let mut positional = positional.into_iter();
    if let Some(v) = positional.next() {
        opts.interval = match v.parse::<u64>() {
            Ok(s) if s > 0 && s <= i32::MAX as u64 => s,
            _ => return Err(format!("Invalid interval: {}", v)),
        };
    }
    if let Some(v) = positional.next() {
        opts.times = match v.parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ => return Err(format!("Invalid count: {}", v)),
        };
    }
    if let Some(v) = positional.next() {
        return Err(format!("Unexpected argument: {}", v));
    }
    Ok(Some(opts))
}

fn stars(val: u32, val_max: u32, width: u64) -> String {
    let num = (val.min(val_max) as u64 * width / val_max as u64) as usize;
    let mut s = "*".repeat(num);
    s.push_str(&" ".repeat(width as usize - num));
    if val > val_max {
        s.push('+');
    }
    s
}

/// The bcc/libbpf-tools histogram: one line per slot up to the last non-empty one.
fn print_log2_hist(vals: &[u32], val_type: &str) {
    let idx_max = match vals.iter().rposition(|&v| v > 0) {
        Some(i) => i,
        None => return,
    };
    let val_max = vals.iter().copied().max().unwrap_or(0);
    println!("{:5}{:<19} : count    distribution", "", val_type);
    for (i, &v) in vals.iter().enumerate().take(idx_max + 1) {
        let mut low = (1u64 << (i + 1)) >> 1;
        let high = (1u64 << (i + 1)) - 1;
        if low == high {
            low -= 1;
        }
        println!("{:>10} -> {:<10} : {:<8} |{}|", low, high, v, stars(v, val_max, 40));
    }
}

fn comm(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// Prints every histogram of the map (get-next-key + lookup), then deletes them all, as the
/// original does. Returns the number of samples read.
fn print_and_clear_hists(hists: &Map<'_>, opts: &Options) -> Result<u64, String> {
    let units = if opts.milliseconds { "msecs" } else { "usecs" };
    let mut total = 0u64;
    let mut histograms = 0;
    for key in hists.keys::<u32>() {
        let key = key.map_err(|e| format!("Failed to iterate histograms: {}", e))?;
        // None: deleted under us (cannot happen here, but harmless): go on.
        let h: hist = match hists.lookup(&key).map_err(|e| format!("Failed to look up histogram: {}", e))? {
            Some(h) => h,
            None => continue,
        };
        let slots = h.slots; // copied out of the packed struct
        if opts.per_process {
            println!("\npid = {} {}", key, comm(&h.comm));
        } else if opts.per_thread {
            println!("\ntid = {} {}", key, comm(&h.comm));
        }
        print_log2_hist(&slots, units);
        total += slots.iter().map(|&v| v as u64).sum::<u64>();
        histograms += 1;
    }
    // Deleting a key makes get-next-key of it restart from the first: each pass removes one.
    while let Some(key) = hists.next_key::<u32>(None).map_err(|e| format!("Failed to iterate histograms: {}", e))? {
        match hists.delete(&key) {
            Ok(_) => {}
            Err(e) => return Err(format!("Failed to delete histogram: {}", e)),
        }
    }
    // Not in the original: lets a reader check the histograms against what was read.
    println!("total = {} samples in {} histogram{}", total, histograms, if histograms == 1 { "" } else { "s" });
    Ok(total)
}

fn run(opts: &Options) -> Result<(), String> {
    let mut open = skel::OpenSkel::open().map_err(|e| format!("Failed to open BPF skeleton: {}", e))?;
    {
        let rodata = open.rodata().map_err(|e| format!("Failed to set .rodata: {}", e))?;
        rodata.targ_per_process = opts.per_process as u8;
        rodata.targ_per_thread = opts.per_thread as u8;
        rodata.targ_ms = opts.milliseconds as u8;
        rodata.targ_tgid = opts.pid;
    }
    let skel = open.load().map_err(|e| format!("Failed to load and verify BPF skeleton: {}", e))?;
    let attached = skel.attach().map_err(|e| format!("Failed to attach BPF skeleton: {}", e))?;
    if opts.verbose {
        eprintln!("attached {} programs", attached);
    }
    let maps = skel.maps().map_err(|e: Errno| format!("Failed to find the maps: {}", e))?;

    println!("Tracing run queue latency... Hit Ctrl-C to end.");
    // The runtime ends the module inside sleep on Ctrl-C, releasing every kernel object.
    let mut round = 0;
    loop {
        std::thread::sleep(Duration::from_secs(opts.interval));
        println!();
        if opts.timestamp {
            let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) % 86_400;
            println!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
        }
        print_and_clear_hists(&maps.hists, opts)?;
        round += 1;
        if opts.times != 0 && round >= opts.times {
            return Ok(());
        }
    }
}

/// argv[0] is the module's path as given: show its last component.
fn prog_name(argv0: &str) -> &str {
    argv0.rsplit('/').next().unwrap_or(argv0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let prog = prog_name(args.first().map(String::as_str).unwrap_or("rust-runqlat")).to_string();
    let opts = match parse_options(args.get(1..).unwrap_or(&[])) {
        Ok(Some(opts)) => opts,
        Ok(None) => {
            print!("{}", usage(&prog));
            return;
        }
        Err(message) => {
            eprintln!("{}\nTry '{} -h' for more information.", message, prog);
            std::process::exit(1);
        }
    };
    if let Err(message) = run(&opts) {
        eprintln!("{}", message);
        // libbpf-tools: any failure is exit status 1.
        std::process::exit(1);
    }
}
