//! The commands: `run` (plan → plugins → ingest → reconcile → outputs) and `plugins list`.

use std::fmt::Write as _;

use std::sync::Arc;

use qrecon_core::{Dataset, Severity};
use qrecon_rules::Pack;
use qrecon_rules::view::Run;
use serde_json::json;

use crate::cli::{FailOn, Format, PluginArgs, RunArgs};
use crate::ingest::{self, FileOutcome};
use crate::output::Report;
use crate::plan::{self, RunPlan};
use crate::plugins::Registry;
use crate::table;
use crate::{exit, print_err, print_out};

/// `qrecon run`.
pub fn run(args: &RunArgs) -> u8 {
    let plan = match plan::resolve(args) {
        Ok(p) => p,
        Err(e) => {
            print_err(&format!("error: {e}"));
            return exit::USAGE;
        }
    };
    let mut registry = Registry::discover(&plan.plugin_dirs);
    registry.mapped.clone_from(&plan.mappings);
    for r in &registry.refused {
        print_err(&format!(
            "warning: plugin {} refused: {}",
            r.path.display(),
            r.reason
        ));
    }
    if let Err(e) = check_pins(&plan, &registry) {
        print_err(&format!("error: {e}"));
        return exit::USAGE;
    }
    let Some(mut pack) = crate::rules::pack_for_run(plan.rules.as_deref()) else {
        return exit::USAGE;
    };
    pack.timed = std::env::var_os("QRECON_TIMINGS").is_some();
    match execute(&plan, &registry, &pack) {
        Ok(code) => code,
        Err(e) => {
            print_err(&format!("error: {e:#}"));
            exit::USAGE
        }
    }
}

pub(crate) fn check_pins(plan: &RunPlan, registry: &Registry) -> Result<(), String> {
    if registry.adapters.is_empty() {
        let dirs: Vec<String> = registry
            .searched
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        return Err(format!(
            "no adapter plugins found (searched {}); see `qrecon plugins list`",
            dirs.join(", ")
        ));
    }
    let unknown = plan.inputs.iter().find_map(|i| {
        i.adapter
            .as_deref()
            .filter(|n| !registry.knows(n))
            .map(|n| (i, n))
    });
    if let Some((input, name)) = unknown {
        return Err(format!(
            "input {} pins adapter {name}, which is not loaded (loaded: {})",
            input.display,
            registry.names()
        ));
    }
    Ok(())
}

/// A reconciled run, before diagnosis: the files read, the records and settings, the cases.
pub(crate) struct Reconciled {
    pub files: Vec<ingest::FileResult>,
    pub run: Arc<Run>,
    pub outcome: qrecon_core::Outcome,
    pub cases: Vec<qrecon_core::Case>,
}

/// Reads and parses the inputs, merges them and links every case (no rule is called).
pub(crate) fn reconcile(
    plan: &RunPlan,
    registry: &Registry,
    pool: &rayon::ThreadPool,
    clock: &mut Phases,
) -> Reconciled {
    let mut files = pool.install(|| ingest::ingest(&plan.inputs, registry, plan.settings.timezone));
    clock.lap("read and parse");
    let chunks = files
        .iter_mut()
        .filter_map(|f| match &mut f.outcome {
            FileOutcome::Parsed { chunk, .. } => chunk.take(),
            _ => None,
        })
        .collect();
    let data = pool.install(|| {
        Dataset::from_chunks(
            plan.inputs.iter().map(|i| i.display.clone()).collect(),
            chunks,
            crate::memory::release_free_memory,
        )
    });
    crate::memory::release_free_memory();
    clock.lap("merge");
    let mut outcome = pool.install(|| qrecon_core::engine::assemble(&data, &plan.settings));
    let cases = std::mem::take(&mut outcome.cases);
    crate::memory::release_free_memory();
    clock.lap("reconcile");
    for (stage, took) in &outcome.timings {
        clock.note(stage, *took);
    }
    let run = Arc::new(Run {
        data,
        settings: plan.settings.clone(),
    });
    Reconciled {
        files,
        run,
        outcome,
        cases,
    }
}

/// The worker pool of a run.
pub(crate) fn pool(plan: &RunPlan) -> anyhow::Result<rayon::ThreadPool> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads.unwrap_or(0))
        .build()?)
}

fn execute(plan: &RunPlan, registry: &Registry, pack: &Pack) -> anyhow::Result<u8> {
    let pool = pool(plan)?;
    let mut clock = Phases::start();
    let Reconciled {
        files,
        run,
        outcome,
        cases,
    } = reconcile(plan, registry, &pool, &mut clock);
    let report = Report {
        plan,
        registry,
        files: &files,
        run: &run,
        pack,
        outcome: &outcome,
    };
    let (summary, totals, alerts) = pool.install(|| {
        report.write(&cases, || {
            let started = std::time::Instant::now();
            let alerts = pack.alerts(&run, &outcome.groups, &cases);
            clock.note(
                "group rules (alerts, beside the case rules)",
                started.elapsed(),
            );
            alerts
        })
    })?;
    clock.lap("diagnose and write outputs");
    for (rule, s) in pack.case_rules().zip(&totals.rules.rules) {
        // Estimated from the calls timed (one in `TIME_EVERY`).
        if let Some(per_call) = s.nanos.checked_div(s.timed) {
            clock.note(
                &format!(
                    "rule {} ({} calls, {:.2} µs/call)",
                    rule.header.id,
                    s.calls,
                    std::time::Duration::from_nanos(per_call).as_secs_f64() * 1e6
                ),
                std::time::Duration::from_nanos(per_call.saturating_mul(s.calls)),
            );
        }
    }

    match plan.format {
        Format::Json => print_out(&format!("{}\n", serde_json::to_string_pretty(&summary)?)),
        Format::Text => print_out(&table::table(&summary, &plan.out)),
    }
    let threshold = plan.fail_on.map(|f| match f {
        FailOn::Info => Severity::Info,
        FailOn::Warn => Severity::Warn,
        FailOn::Critical => Severity::Critical,
    });
    let worst_alert = alerts.alerts.iter().map(|a| a.severity).max();
    let worst = totals.worst.max(worst_alert);
    let failing = threshold.is_some_and(|t| worst.is_some_and(|w| w >= t));
    // The process ends here: hand the big structures to the OS instead of freeing them
    // piece by piece.
    std::mem::forget(cases);
    std::mem::forget(outcome);
    std::mem::forget(run);
    std::mem::forget(files);
    Ok(if failing { exit::FINDINGS } else { exit::OK })
}

/// `qrecon plugins list`.
pub fn plugins_list(args: &PluginArgs) -> u8 {
    let dirs = plan::plugin_dirs_without_config(&args.plugin_dirs);
    let registry = Registry::discover(&dirs);
    match args.format {
        Format::Json => {
            let doc = json!({
                "searched": dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
                "adapters": registry.adapters.iter().map(|a| json!({
                    "name": a.plugin.name, "version": a.plugin.version,
                    "abi": format!("{}.{}", a.plugin.abi.0, a.plugin.abi.1),
                    "sdk_version": a.plugin.sdk_version, "rustc": a.plugin.rustc_version,
                    "kinds": a.plugin.kinds, "formats": a.plugin.formats,
                    "description": a.plugin.description, "path": a.path.display().to_string(),
                })).collect::<Vec<_>>(),
                "refused": registry.refused.iter().map(|r| json!({
                    "path": r.path.display().to_string(), "reason": r.reason,
                })).collect::<Vec<_>>(),
            });
            print_out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ));
        }
        Format::Text => print_out(&plugins_table(&registry)),
    }
    exit::OK
}

fn plugins_table(registry: &Registry) -> String {
    let mut s = String::new();
    let searched: Vec<String> = registry
        .searched
        .iter()
        .map(|d| d.display().to_string())
        .collect();
    let _ = writeln!(s, "searched: {}", searched.join(", "));
    let _ = writeln!(
        s,
        "\n{:<22} {:<8} {:<5} {:<10} {:<60} path",
        "adapter", "version", "abi", "kinds", "formats"
    );
    for a in &registry.adapters {
        let p = &a.plugin;
        let _ = writeln!(
            s,
            "{:<22} {:<8} {:<5} {:<10} {:<60} {}",
            p.name,
            p.version,
            format!("{}.{}", p.abi.0, p.abi.1),
            p.kinds,
            p.formats,
            a.path.display()
        );
    }
    if !registry.refused.is_empty() {
        let _ = writeln!(s, "\nrefused:");
        for r in &registry.refused {
            let _ = writeln!(s, "  {}: {}", r.path.display(), r.reason);
        }
    }
    s
}

/// Phase timings, printed to stderr when `QRECON_TIMINGS` is set (for benchmarks).
pub(crate) struct Phases {
    on: bool,
    last: std::time::Instant,
    /// The process's CPU seconds at `last`: user and system.
    last_cpu: (f64, f64),
}

impl Phases {
    pub(crate) fn start() -> Self {
        Self {
            on: std::env::var_os("QRECON_TIMINGS").is_some(),
            last: std::time::Instant::now(),
            last_cpu: cpu_seconds(),
        }
    }

    fn note(&self, stage: &str, took: std::time::Duration) {
        if self.on {
            print_err(&format!("timing:   {stage}: {:.3} s", took.as_secs_f64()));
        }
    }

    fn lap(&mut self, phase: &str) {
        let now = std::time::Instant::now();
        let cpu = if self.on { cpu_seconds() } else { (0.0, 0.0) };
        if self.on {
            print_err(&format!(
                "timing: {phase}: {:.3} s (cpu {:.2} s, system {:.2} s, resident {} MB)",
                (now - self.last).as_secs_f64(),
                cpu.0 + cpu.1 - self.last_cpu.0 - self.last_cpu.1,
                cpu.1 - self.last_cpu.1,
                resident_mb()
            ));
        }
        self.last = now;
        self.last_cpu = cpu;
    }
}

/// CPU seconds the process has used over all its threads, in user and in system code
/// (Linux; 0 elsewhere), for the timing lines: on a shared machine they vary less than wall
/// time, and the system part shows what page faults and copies cost.
fn cpu_seconds() -> (f64, f64) {
    // Fields 14 and 15 of /proc/self/stat, in clock ticks (100 per second on Linux); the
    // command name (field 2) may hold spaces, so fields are counted after its `)`.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let mut rest = s.get(s.rfind(')')? + 1..)?.split_whitespace().skip(11);
            let user = rest.next()?.parse::<u32>().ok()?;
            let system = rest.next()?.parse::<u32>().ok()?;
            Some((f64::from(user) / 100.0, f64::from(system) / 100.0))
        })
        .unwrap_or((0.0, 0.0))
}

/// Resident memory in MB (Linux; 0 elsewhere), for the timing lines.
fn resident_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
