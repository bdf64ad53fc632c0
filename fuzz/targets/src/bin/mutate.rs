//! The seeded mutation runner: every target, the same inputs for the same
//! seed, a failure on any panic, broken invariant or heap over its bound.
//!
//! ```text
//! xzqh-mutate [--seed N] [--inputs N] [--artifacts DIR] [TARGET...]
//! xzqh-mutate --write-corpus DIR      # the seeds, for cargo-fuzz
//! xzqh-mutate --replay FILE TARGET    # one input again
//! ```
//!
//! `--inputs` is per target (default 20,000); the seed defaults to 0. A
//! failing input is written to `DIR/TARGET/seed-N-input-M` (default
//! `fuzz/artifacts`) and the runner exits with status 1 after every target
//! ran.

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use xzqh_fuzz_targets::mutate::{Rng, mutate};
use xzqh_fuzz_targets::{TARGETS, Target, heap, take_worst, target, warm_up};

#[global_allocator]
static ALLOC: heap::Counting = heap::Counting;

struct Args {
    seed: u64,
    inputs: u64,
    artifacts: PathBuf,
    targets: Vec<&'static Target>,
    write_corpus: Option<PathBuf>,
    replay: Option<PathBuf>,
}

fn usage(problem: &str) -> ! {
    eprintln!("xzqh-mutate: {problem}");
    eprintln!(
        "usage: xzqh-mutate [--seed N] [--inputs N] [--artifacts DIR] [TARGET...]\n       \
         xzqh-mutate --write-corpus DIR\n       xzqh-mutate --replay FILE TARGET"
    );
    eprintln!(
        "targets: {}",
        TARGETS.iter().map(|t| t.name).collect::<Vec<_>>().join(" ")
    );
    std::process::exit(2)
}

fn args() -> Args {
    let mut a = Args {
        seed: 0,
        inputs: 20_000,
        artifacts: PathBuf::from("fuzz/artifacts"),
        targets: Vec::new(),
        write_corpus: None,
        replay: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .unwrap_or_else(|| usage(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--seed" => {
                a.seed = value("--seed")
                    .parse()
                    .unwrap_or_else(|_| usage("--seed takes a number"))
            }
            "--inputs" => {
                a.inputs = value("--inputs")
                    .parse()
                    .unwrap_or_else(|_| usage("--inputs takes a number"))
            }
            "--artifacts" => a.artifacts = value("--artifacts").into(),
            "--write-corpus" => a.write_corpus = Some(value("--write-corpus").into()),
            "--replay" => a.replay = Some(value("--replay").into()),
            "-h" | "--help" => usage("help"),
            name => match target(name) {
                Some(t) => a.targets.push(t),
                None => usage(&format!("unknown target or option `{name}`")),
            },
        }
    }
    if a.targets.is_empty() {
        a.targets = TARGETS.iter().collect();
    }
    a
}

/// Runs one input, returning the panic message if it failed.
fn run(t: &Target, data: &[u8]) -> Result<(), String> {
    panic::catch_unwind(AssertUnwindSafe(|| (t.run)(data))).map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic without a message".to_owned())
    })
}

fn main() -> ExitCode {
    let a = args();
    if let Some(dir) = &a.write_corpus {
        for t in TARGETS {
            let d = dir.join(t.name);
            std::fs::create_dir_all(&d).expect("create the corpus directory");
            for (i, seed) in (t.seeds)().iter().enumerate() {
                std::fs::write(d.join(format!("seed-{i}")), seed).expect("write a seed");
            }
        }
        println!("seeds written to {}", dir.display());
        return ExitCode::SUCCESS;
    }
    if !heap::installed() {
        eprintln!("xzqh-mutate: the counting allocator is not installed");
        return ExitCode::FAILURE;
    }
    warm_up();
    if let Some(file) = &a.replay {
        let data =
            std::fs::read(file).unwrap_or_else(|e| usage(&format!("{}: {e}", file.display())));
        let mut failed = false;
        for t in &a.targets {
            match run(t, &data) {
                Ok(()) => println!("{}: ok", t.name),
                Err(m) => {
                    println!("{}: FAILED: {m}", t.name);
                    failed = true;
                }
            }
        }
        return if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        };
    }
    // The default hook would print each panic with its backtrace: the
    // runner reports them itself.
    panic::set_hook(Box::new(|_| {}));
    let start = Instant::now();
    let mut failures = 0u64;
    for t in &a.targets {
        let seeds = (t.seeds)();
        let mut rng = Rng::new(a.seed ^ fnv(t.name));
        let (mut bytes, mut largest) = (0u64, 0usize);
        take_worst();
        let began = Instant::now();
        let mut failed_here = 0u64;
        for i in 0..a.inputs {
            // Each seed itself first, then mutations.
            let data = match seeds.get(i as usize) {
                Some(s) => s.clone(),
                None => mutate(&mut rng, &seeds),
            };
            bytes += data.len() as u64;
            largest = largest.max(data.len());
            let result = run(t, &data);
            if let Err(message) = result {
                failures += 1;
                failed_here += 1;
                let dir = a.artifacts.join(t.name);
                let path = dir.join(format!("seed-{}-input-{i}", a.seed));
                let saved = std::fs::create_dir_all(&dir)
                    .and_then(|()| std::fs::write(&path, &data))
                    .map(|()| path.display().to_string())
                    .unwrap_or_else(|e| format!("(not saved: {e})"));
                println!(
                    "{}: input {i} ({} bytes) failed: {message}\n  saved as {saved}",
                    t.name,
                    data.len()
                );
                if failed_here >= 10 {
                    println!("{}: stopping after 10 failures", t.name);
                    break;
                }
            }
        }
        let (worst, peak, len) = take_worst();
        println!(
            "{:<16} {} inputs, {:.1} MB, largest {} bytes; worst call: {:.0}% of its heap bound ({} bytes for {} bytes of input); {:.1} s",
            t.name,
            a.inputs,
            bytes as f64 / 1e6,
            largest,
            100.0 * worst,
            peak,
            len,
            began.elapsed().as_secs_f64()
        );
    }
    println!(
        "seed {}: {} targets, {} failures, {:.1} s",
        a.seed,
        a.targets.len(),
        failures,
        start.elapsed().as_secs_f64()
    );
    if failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// FNV-1a of a target's name: each target gets its own stream for one seed.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
