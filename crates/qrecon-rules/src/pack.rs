//! A rule pack ready to diagnose a run: the sandboxed engine, the case rules in priority
//! order, and the dispatch that calls only the rules whose `when` fits a case. This is the
//! only place a case's findings come from.

use std::sync::Arc;

use qrecon_core::{Case, Finding};
use rhai::Engine;

use crate::alert::{Alert, GroupFailure};
use crate::error::RuleError;
use crate::eval::{self, Probe};
use crate::header::Scope;
use crate::rule::{Rule, RuleSet};
use crate::view::{CaseView, Run, Session};

/// A rule that failed on one case: it threw, read what is not there, or ran out of operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFailure {
    /// The rule's id.
    pub rule: &'static str,
    /// What went wrong, with the position in the rule where Rhai knows it.
    pub message: String,
}

/// What the pack says about one case.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Findings, most important first (priority, then code).
    pub findings: Vec<Finding>,
    /// Rules that failed on the case; the other rules' findings stand.
    pub failures: Vec<RuleFailure>,
}

/// What each case rule did over some cases: calls, findings, errors and time (by call order).
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Per case rule, in [`Pack::case_rules`] order.
    pub rules: Vec<RuleStats>,
}

/// One rule's counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct RuleStats {
    /// Cases it was called for (its `when` fitted).
    pub calls: u64,
    /// Findings it returned.
    pub findings: u64,
    /// Cases it failed on.
    pub errors: u64,
    /// Of those, cases it ran out of operations on.
    pub runaways: u64,
    /// Cases it was not called for because it had been switched off.
    pub skipped: u64,
    /// Time spent in the calls timed (1 in [`TIME_EVERY`]; not deterministic: for the timings
    /// output only).
    pub nanos: u64,
    /// Calls timed.
    pub timed: u64,
}

/// With timings on, one call in this many is timed: reading the clock around every call
/// cost a tenth of what the cheapest rules cost.
pub const TIME_EVERY: u64 = 16;

thread_local! {
    /// Case-rule calls on this thread, to time one in [`TIME_EVERY`].
    static CALLS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether to time this call: every [`TIME_EVERY`]th case-rule call on the thread, whatever
/// the rule (so rare rules are timed too).
fn time_this_call() -> bool {
    CALLS.with(|n| {
        let k = n.get().wrapping_add(1);
        n.set(k);
        k % TIME_EVERY == 0
    })
}

impl Stats {
    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &Stats) {
        if self.rules.len() < other.rules.len() {
            self.rules.resize(other.rules.len(), RuleStats::default());
        }
        for (a, b) in self.rules.iter_mut().zip(&other.rules) {
            a.calls += b.calls;
            a.findings += b.findings;
            a.errors += b.errors;
            a.runaways += b.runaways;
            a.skipped += b.skipped;
            a.nanos += b.nanos;
            a.timed += b.timed;
        }
    }
}

/// What the group rules said.
#[derive(Debug, Default)]
pub struct Alerts {
    /// Alerts, sorted by id.
    pub alerts: Vec<Alert>,
    /// Group rules that failed on a group.
    pub failures: Vec<GroupFailure>,
    /// Groups each group rule was called for.
    pub calls: Vec<(&'static str, u64)>,
}

/// What one case rule did with one case, for `qrecon explain`.
#[derive(Debug)]
pub enum Traced {
    /// Not called: its `when` does not fit (why).
    NotCalled(String),
    /// Called; it found nothing to say.
    Silent,
    /// Called; its findings.
    Fired(Vec<Finding>),
    /// Called; it failed.
    Failed(String),
}

/// Where `print` and `debug` of rules go.
type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// Compiled rules and the engine that runs them.
///
/// Each thread that diagnoses gets its own engine and its own compiled copy of the case
/// rules (made on its first case): Rhai's functions and script literals are reference
/// counted, and threads sharing one engine spend most of a rule call contending for those
/// counters.
pub struct Pack {
    id: u64,
    files: Vec<(String, String)>,
    log: Log,
    engine: Engine,
    /// Every rule, by id.
    pub set: RuleSet,
    /// Case rules in the order they are called (priority, then id).
    case_rules: Vec<Rule>,
    /// Group rules in the order they are called (priority, then id).
    group_rules: Vec<Rule>,
    /// Whether rule calls are timed (for the timings output).
    pub timed: bool,
    /// Case rules switched off for the rest of the run (by call order).
    off: Vec<std::sync::atomic::AtomicBool>,
}

/// Within one batch of cases ([`Stats`] per batch), a rule that ran out of operations this
/// many times is not called again in that batch: a runaway loop costs a bounded time.
pub const RUNAWAYS_PER_BATCH: u64 = 5;

/// One thread's engine and case rules.
struct Local {
    pack: u64,
    engine: Engine,
    /// The same engine with the group rules' operation budget.
    group_engine: Engine,
    rules: Vec<Rule>,
    group_rules: Vec<Rule>,
    /// Per case rule: its findings when it reads nothing of the case ([`eval::Constant`]).
    known: Vec<Option<eval::Constant>>,
    /// Which case rules fit each kind of case seen so far ([`Fitting`]).
    fitting: Fitting,
}

/// The case rules whose `when` a case fits, in call order, remembered per marks, status and
/// provider: a run's million cases come in a few dozen such kinds, and one lookup is cheaper
/// than asking every rule.
#[derive(Default)]
struct Fitting {
    /// By marks and status, then a short list by provider.
    kinds: rustc_hash::FxHashMap<(u32, Option<qrecon_core::Status>), Vec<ByProvider>>,
}

/// A provider (or none) and the rules that fit its cases.
type ByProvider = (Option<Box<str>>, Box<[usize]>);

/// Kinds remembered at most (beyond them every rule is asked, as without the memo).
const FITTING_KINDS: usize = 4096;

impl Fitting {
    fn get(&mut self, rules: &[Rule], probe: &Probe<'_>) -> std::borrow::Cow<'_, [usize]> {
        let all = || {
            (0..rules.len())
                .filter(|&i| eval::fits(&rules[i], probe))
                .collect::<Box<[usize]>>()
        };
        let full = self.kinds.len() >= FITTING_KINDS;
        let by_provider = match self.kinds.entry((probe.marks(), probe.status())) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(_) if full => {
                return std::borrow::Cow::Owned(all().into_vec());
            }
            std::collections::hash_map::Entry::Vacant(e) => e.insert(Vec::new()),
        };
        let known = by_provider
            .iter()
            .position(|(p, _)| p.as_deref() == probe.provider());
        let at = if let Some(at) = known {
            at
        } else {
            by_provider.push((probe.provider().map(Box::from), all()));
            by_provider.len() - 1
        };
        std::borrow::Cow::Borrowed(&by_provider[at].1)
    }
}

thread_local! {
    static LOCAL: std::cell::RefCell<Option<Local>> = const { std::cell::RefCell::new(None) };
}

impl Pack {
    /// Compiles `files` (`(path, text)` pairs); every error is returned together.
    pub fn load(
        files: &[(String, String)],
        log: impl Fn(&str) + Send + Sync + 'static,
    ) -> Result<Self, Vec<RuleError>> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let log: Log = Arc::new(log);
        let engine = Self::engine_with(&log);
        let set = RuleSet::load(&engine, files)?;
        let order = |a: &Rule, b: &Rule| {
            (a.header.priority, &a.header.id).cmp(&(b.header.priority, &b.header.id))
        };
        let (mut case_rules, mut group_rules): (Vec<Rule>, Vec<Rule>) = set
            .rules
            .values()
            .cloned()
            .partition(|r| r.header.scope == Scope::Case);
        case_rules.sort_by(order);
        group_rules.sort_by(order);
        Ok(Pack {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            files: files.to_vec(),
            log,
            engine,
            off: case_rules
                .iter()
                .map(|_| std::sync::atomic::AtomicBool::new(false))
                .collect(),
            set,
            case_rules,
            group_rules,
            timed: false,
        })
    }

    fn engine_with(log: &Log) -> Engine {
        let log = log.clone();
        crate::sandbox::engine(move |s| log(s))
    }

    fn group_engine_with(log: &Log) -> Engine {
        let log = log.clone();
        crate::sandbox::group_engine(move |s| log(s))
    }

    /// This thread's engine and case rules, compiled from the same files.
    fn local(&self) -> Result<Local, String> {
        let engine = Self::engine_with(&self.log);
        let compile = |list: &[Rule]| {
            list.iter()
                .map(|r| {
                    let text = self
                        .files
                        .iter()
                        .find(|(p, _)| *p == r.path)
                        .map(|(_, t)| t.as_str())
                        .unwrap_or_default();
                    crate::rule::compile(&engine, &r.path, text).map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let rules = compile(&self.case_rules)?;
        let group_rules = compile(&self.group_rules)?;
        Ok(Local {
            pack: self.id,
            group_engine: Self::group_engine_with(&self.log),
            engine,
            known: vec![None; rules.len()],
            rules,
            group_rules,
            fitting: Fitting::default(),
        })
    }

    /// Makes `run` the run this thread's rules read until the returned session is dropped;
    /// open one per batch of cases on each thread.
    pub fn session(run: &Arc<Run>) -> Session {
        Session::enter(run)
    }

    /// Case rules in call order.
    pub fn case_rules(&self) -> impl Iterator<Item = &Rule> {
        self.case_rules.iter()
    }

    /// Stops calling the case rule at `index` (call order) for the rest of the run; the
    /// cases it would have been called for get a rule error saying so. The host decides this
    /// between batches, so outputs stay the same whatever the thread count.
    pub fn switch_off(&self, index: usize) {
        if let Some(flag) = self.off.get(index) {
            flag.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Whether the case rule at `index` is switched off.
    pub fn is_off(&self, index: usize) -> bool {
        self.off
            .get(index)
            .is_some_and(|f| f.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Diagnoses one case: calls every case rule whose `when` fits it. Runs inside a
    /// [`Session`] of the case's run (see [`Pack::session`]).
    pub fn diagnose(&self, case: &Case, stats: &mut Stats) -> Verdict {
        let failed = |message: String| Verdict {
            findings: Vec::new(),
            failures: vec![RuleFailure {
                rule: "qrecon",
                message,
            }],
        };
        self.with_local(|local| {
            crate::view::with_run(|run| self.diagnose_in(local, run, case, stats))
                .map_err(|_| "no run is active: diagnose runs inside Pack::session".to_owned())
        })
        .unwrap_or_else(failed)
    }

    /// Calls `f` with this thread's compiled rules (compiling them on first use).
    fn with_local<T>(&self, f: impl FnOnce(&mut Local) -> Result<T, String>) -> Result<T, String> {
        LOCAL.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.as_ref().is_none_or(|l| l.pack != self.id) {
                *slot = Some(self.local()?);
            }
            match slot.as_mut() {
                Some(local) => f(local),
                None => Err("no rules compiled on this thread".to_owned()),
            }
        })
    }

    /// Every case rule, in call order, with what it did for `case` and why (inside a
    /// [`Session`]); the marks dispatch saw.
    pub fn trace(&self, case: &Case) -> (Vec<&'static str>, Vec<(&Rule, Traced)>) {
        let Ok(probe) = crate::view::with_run(|run| {
            let p = Probe::of(case, &run.data, &run.settings);
            (
                p.marks(),
                self.case_rules
                    .iter()
                    .map(|r| p.why_not(r))
                    .collect::<Vec<_>>(),
            )
        }) else {
            return (Vec::new(), Vec::new());
        };
        let (marks, why) = probe;
        let traced = self
            .case_rules
            .iter()
            .zip(why)
            .map(|(rule, why)| {
                let t = match why {
                    Some(reason) => Traced::NotCalled(reason),
                    None => match eval::run(&self.engine, rule, &CaseView::new(case.clone())) {
                        Ok(found) if found.is_empty() => Traced::Silent,
                        Ok(found) => Traced::Fired(found),
                        Err(f) => Traced::Failed(f.message),
                    },
                };
                (rule, t)
            })
            .collect();
        (eval::mark_names(marks), traced)
    }

    /// Group rules in call order.
    pub fn group_rules(&self) -> impl Iterator<Item = &Rule> {
        self.group_rules.iter()
    }

    /// Runs every group rule on the groups its `when` fits; alerts come back sorted by id.
    pub fn alerts(
        &self,
        run: &Arc<Run>,
        groups: &qrecon_core::groups::Groups,
        cases: &[Case],
    ) -> Alerts {
        use rayon::prelude::*;
        let mut out = Alerts::default();
        if self.group_rules.is_empty() {
            return out;
        }
        let payer_rules = self
            .group_rules
            .iter()
            .any(|r| r.header.scope == Scope::Payer);
        let index = crate::group::Index::new(&run.data, &run.settings, groups, cases, payer_rules);
        for scope in [Scope::Account, Scope::Payer, Scope::Payee, Scope::Provider] {
            let rules: Vec<(usize, &Rule)> = self
                .group_rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.header.scope == scope)
                .collect();
            if rules.is_empty() {
                continue;
            }
            // Each group's view is built once, for every rule of the scope whose `when` fits.
            // Only groups some rule of the scope can be called for (payers without marks, the
            // great majority, are not even listed when every payer rule needs one).
            let candidates = index.candidates_where(scope, |marks| {
                rules.iter().any(|(_, r)| r.dispatch.fits_marks(marks))
            });
            let fitting: Vec<(&crate::group::Candidate, Vec<usize>)> = candidates
                .iter()
                .filter_map(|c| {
                    let fits: Vec<usize> = (0..rules.len())
                        .filter(|k| {
                            rules[*k]
                                .1
                                .dispatch
                                .fits(c.marks, None, c.provider.as_deref())
                        })
                        .collect();
                    (!fits.is_empty()).then_some((c, fits))
                })
                .collect();
            for (k, (_, rule)) in rules.iter().enumerate() {
                let n = fitting.iter().filter(|(_, f)| f.contains(&k)).count();
                out.calls.push((rule.names.id, n as u64));
            }
            let results: Vec<Vec<Result<Vec<Alert>, GroupFailure>>> = fitting
                .par_iter()
                .map_init(
                    || Session::enter(run),
                    |_session, (c, fits)| {
                        let Some(view) = index.view(c) else {
                            return Vec::new();
                        };
                        fits.iter()
                            .map(|k| {
                                let (i, rule) = rules[*k];
                                self.group_call(i, rule, c, view.clone())
                            })
                            .collect()
                    },
                )
                .collect();
            for r in results.into_iter().flatten() {
                match r {
                    Ok(found) => out.alerts.extend(found),
                    Err(f) => out.failures.push(f),
                }
            }
        }
        crate::alert::finish(&mut out.alerts);
        out.failures
            .sort_by(|a, b| (a.rule, &a.key, &a.message).cmp(&(b.rule, &b.key, &b.message)));
        out
    }

    fn group_call(
        &self,
        i: usize,
        rule: &Rule,
        c: &crate::group::Candidate,
        view: crate::group::View,
    ) -> Result<Vec<Alert>, GroupFailure> {
        let fail = |message: String| GroupFailure {
            rule: rule.names.id,
            scope: c.scope,
            key: c.key.to_string(),
            message,
        };
        self.with_local(|local| {
            let compiled = local.group_rules.get(i).unwrap_or(rule);
            let items = eval::call(&local.group_engine, compiled, view.into_dynamic())
                .map_err(|f| f.message)?;
            items
                .into_iter()
                .map(|item| {
                    crate::alert::alert(rule, &c.key, item)
                        .map_err(|e| format!("{}: {e}", rule.path))
                })
                .collect()
        })
        .map_err(fail)
    }

    fn diagnose_in(&self, local: &mut Local, run: &Run, case: &Case, stats: &mut Stats) -> Verdict {
        let probe = Probe::of(case, &run.data, &run.settings);
        if stats.rules.len() < local.rules.len() {
            stats.rules.resize(local.rules.len(), RuleStats::default());
        }
        let mut verdict = Verdict::default();
        let mut view = None;
        let Local {
            rules,
            known,
            fitting,
            engine,
            ..
        } = local;
        for &i in fitting.get(rules, &probe).iter() {
            let (rule, counts, known) = (&rules[i], &mut stats.rules[i], &mut known[i]);
            if counts.runaways >= RUNAWAYS_PER_BATCH || self.is_off(i) {
                counts.skipped += 1;
                counts.errors += 1;
                verdict.failures.push(RuleFailure {
                    rule: rule.names.id,
                    message: format!(
                        "{}: not run: switched off after failing on earlier cases",
                        rule.path
                    ),
                });
                continue;
            }
            let started = (self.timed && time_this_call()).then(std::time::Instant::now);
            let result = eval::run_remembering(engine, rule, case, &mut view, run, known);
            if let Some(started) = started {
                counts.nanos += u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                counts.timed += 1;
            }
            counts.calls += 1;
            match result {
                Ok(found) => {
                    counts.findings += found.len() as u64;
                    verdict.findings.extend(found);
                }
                Err(failure) => {
                    counts.errors += 1;
                    counts.runaways += u64::from(failure.runaway);
                    verdict.failures.push(RuleFailure {
                        rule: rule.names.id,
                        message: failure.message,
                    });
                }
            }
        }
        verdict
            .findings
            .sort_by(|a, b| (a.priority, a.code).cmp(&(b.priority, b.code)));
        verdict
    }
}
