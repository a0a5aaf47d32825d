//! `cargo xtask bench`: how fast the harness is, each figure next to a baseline measured in the
//! same run (see the README's "Benchmarks" and `reports/bench.md`).
//!
//! Every figure is a criterion mean with its 95% interval: per operation for the crypto floor,
//! the authenticators, RP verification and the fuzz targets; per whole run (ten flat samples)
//! for the catalogue and the HTTP path.
#![forbid(unsafe_code)]

mod measure;
mod peers;
mod sections;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Benchmarks of the harness against its crypto floor and its peers; writes bench.md and
/// bench.json.
#[derive(Debug, Parser)]
struct Args {
    /// Directory for bench.md and bench.json.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Shorter measurements (seconds instead of minutes); noisier figures.
    #[arg(long)]
    quick: bool,
    /// Where criterion keeps its measurements (the xtask points `CRITERION_HOME` there too).
    #[arg(long)]
    criterion_dir: Option<PathBuf>,
    /// Only the sections whose name contains this (floor, authenticator, rp, catalogue, http,
    /// fuzz); all when absent. A partial run writes its files under `--out` as well.
    #[arg(long)]
    only: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let criterion_dir = args
        .criterion_dir
        .clone()
        .or_else(|| std::env::var_os("CRITERION_HOME").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target/criterion"));
    let mut bench = measure::Bench::new(args.quick, criterion_dir);
    let results = sections::run_all(&mut bench, args.only.as_deref());
    let machine = measure::machine();
    let json = sections::to_json(&results, &machine, args.quick);
    let md = sections::to_markdown(&results, &machine, args.quick);
    if let Err(err) = std::fs::create_dir_all(&args.out)
        .and_then(|()| {
            std::fs::write(
                args.out.join("bench.json"),
                serde_json::to_string_pretty(&json).unwrap_or_default() + "\n",
            )
        })
        .and_then(|()| std::fs::write(args.out.join("bench.md"), &md))
    {
        eprintln!("cannot write {}: {err}", args.out.display());
        return ExitCode::from(2);
    }
    println!("{md}");
    println!(
        "wrote {} and {}",
        args.out.join("bench.md").display(),
        args.out.join("bench.json").display()
    );
    ExitCode::SUCCESS
}
