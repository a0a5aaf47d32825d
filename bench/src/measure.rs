//! Taking measurements: criterion for per-operation figures, median wall time for whole runs,
//! and the machine they were taken on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Bencher, Criterion, SamplingMode};
use serde::Serialize;

/// One per-operation figure: criterion's mean time per iteration and its 95% interval.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Estimate {
    /// Mean nanoseconds per iteration.
    pub mean_ns: f64,
    /// Lower bound of the 95% confidence interval.
    pub low_ns: f64,
    /// Upper bound.
    pub high_ns: f64,
}

impl Estimate {
    /// Iterations per second at the mean.
    pub fn per_second(&self) -> f64 {
        if self.mean_ns > 0.0 {
            1e9 / self.mean_ns
        } else {
            0.0
        }
    }
}

pub struct Bench {
    pub quick: bool,
    criterion: Criterion,
    dir: PathBuf,
}

impl Bench {
    pub fn new(quick: bool, dir: PathBuf) -> Self {
        let (warm_up, measurement) = if quick {
            (Duration::from_millis(300), Duration::from_secs(1))
        } else {
            (Duration::from_secs(1), Duration::from_secs(3))
        };
        let criterion = Criterion::default()
            .without_plots()
            .warm_up_time(warm_up)
            .measurement_time(measurement)
            .sample_size(if quick { 20 } else { 50 })
            .nresamples(if quick { 10_000 } else { 100_000 });
        Bench {
            quick,
            criterion,
            dir,
        }
    }

    /// Measures `routine` with criterion as `group/name` and reads back its estimate.
    pub fn op<F>(&mut self, group: &str, name: &str, routine: F) -> Estimate
    where
        F: FnMut(&mut Bencher<'_>),
    {
        let mut benchmark = self.criterion.benchmark_group(group);
        benchmark.bench_function(name, routine);
        benchmark.finish();
        read_estimate(&self.dir.join(group).join(name)).unwrap_or_else(|why| {
            crate::peers::fatal(&format!("no criterion estimate for {group}/{name}: {why}"))
        })
    }

    /// Like [`Bench::op`] with a shorter measurement (the per-family costs behind the
    /// catalogue's floor).
    pub fn op_short<F>(&mut self, group: &str, name: &str, routine: F) -> Estimate
    where
        F: FnMut(&mut Bencher<'_>),
    {
        let mut benchmark = self.criterion.benchmark_group(group);
        benchmark
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_secs(if self.quick { 1 } else { 2 }));
        benchmark.bench_function(name, routine);
        benchmark.finish();
        read_estimate(&self.dir.join(group).join(name)).unwrap_or_else(|why| {
            crate::peers::fatal(&format!("no criterion estimate for {group}/{name}: {why}"))
        })
    }

    /// Measures a whole run (a catalogue, tenths of a second or more) with criterion: ten
    /// samples of one run each (flat sampling), after a warm-up run.
    pub fn whole_run<F>(&mut self, group: &str, name: &str, routine: F) -> Estimate
    where
        F: FnMut(&mut Bencher<'_>),
    {
        let measurement = if self.quick {
            Duration::from_secs(2)
        } else {
            Duration::from_secs(6)
        };
        let mut benchmark = self.criterion.benchmark_group(group);
        benchmark
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(100))
            .measurement_time(measurement);
        benchmark.bench_function(name, routine);
        benchmark.finish();
        read_estimate(&self.dir.join(group).join(name)).unwrap_or_else(|why| {
            crate::peers::fatal(&format!("no criterion estimate for {group}/{name}: {why}"))
        })
    }
}

/// criterion's `new/estimates.json` for one benchmark.
fn read_estimate(dir: &Path) -> Result<Estimate, String> {
    let path = dir.join("new").join("estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mean = &json["mean"];
    let number = |value: &serde_json::Value| value.as_f64().ok_or("not a number".to_owned());
    Ok(Estimate {
        mean_ns: number(&mean["point_estimate"])?,
        low_ns: number(&mean["confidence_interval"]["lower_bound"])?,
        high_ns: number(&mean["confidence_interval"]["upper_bound"])?,
    })
}

/// What the figures were measured on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub rustc: String,
    pub os: String,
}

pub fn machine() -> Machine {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let rustc =
        std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--version")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| "unknown".into());
    Machine {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu,
        rustc,
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    }
}
