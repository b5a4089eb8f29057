//! Running case rules: only the rules whose `when` fits the case are called; a rule that
//! throws, reads what is not there or runs out of operations becomes an error for that case
//! and the others go on.

use qrecon_core::{Case, Dataset, Finding, Settings, Severity, Status};
use rhai::{Array, CallFnOptions, Dynamic, Engine, Map, Scope};

use crate::header::{self, Mark, When};
use crate::rule::{ENTRY, Rule};
use crate::view::{CaseView, Date, RecordView, Run};

/// The marks of `case` as a bit set ([`Mark::bit`]), worked out once per case.
pub fn marks(case: &Case, data: &Dataset, settings: &Settings) -> u32 {
    // Past a due date means `as_of` falls on a later local date ([`Settings::is_past`]).
    let today = settings.as_of_date();
    Mark::ALL
        .iter()
        .filter(|m| has(case, data, today, **m))
        .fold(0, |acc, m| acc | m.bit())
}

fn has(case: &Case, data: &Dataset, today: chrono::NaiveDate, mark: Mark) -> bool {
    match mark {
        Mark::Claim => case.claim.is_some(),
        Mark::Txn => case.txn.is_some(),
        Mark::Refund => !case.refunds.is_empty(),
        Mark::Fund => !case.funds.is_empty(),
        Mark::Payout => !case.payouts.is_empty(),
        Mark::Bank => !case.bank.is_empty(),
        Mark::Duplicate => case.duplicate_of.is_some(),
        Mark::Ambiguous => !case.ambiguous().is_empty(),
        Mark::BankAmbiguous => !case.bank_ambiguous().is_empty(),
        Mark::Freeze => case.frozen_by().is_some(),
        Mark::Returned => case.payout_returned(),
        Mark::Stopped => case.facts.payouts_stopped,
        Mark::Settles => case.settles(data),
        Mark::PayoutDue => case.facts.expected_payout.is_some(),
        Mark::BankDue => case.facts.expected_bank.is_some(),
        Mark::PayoutDuePassed => case.facts.expected_payout.is_some_and(|d| today > d),
        Mark::BankDuePassed => case.facts.expected_bank.is_some_and(|d| today > d),
        // Group marks (refused in case rules' headers).
        Mark::Several | Mark::UnmatchedClaim | Mark::OverLimit => false,
    }
}

fn status_bit(s: Status) -> u8 {
    1 << match s {
        Status::Success => 0,
        Status::Pending => 1,
        Status::Failed => 2,
        Status::Revoked => 3,
        Status::Unknown => 4,
    }
}

/// One alternative of a rule's `when`, as bit masks.
#[derive(Debug, Clone, Default)]
struct Alt {
    has: u32,
    lacks: u32,
    status: u8,
    providers: Vec<String>,
}

/// A rule's `when`, ready to test cheaply against a case's marks.
#[derive(Debug, Clone, Default)]
pub struct Dispatch {
    alts: Vec<Alt>,
}

impl Dispatch {
    /// From a header's `when` entries (none: every case).
    pub fn new(when: &[When]) -> Self {
        let mask = |ms: &[Mark]| ms.iter().fold(0, |acc, m| acc | m.bit());
        Dispatch {
            alts: when
                .iter()
                .map(|w| Alt {
                    has: mask(&w.has),
                    lacks: mask(&w.lacks),
                    status: w.status.iter().fold(0, |acc, s| acc | status_bit(s.core())),
                    providers: w.providers.clone(),
                })
                .collect(),
        }
    }

    /// Whether a group with these marks could fire the rule for some provider.
    pub fn fits_marks(&self, marks: u32) -> bool {
        self.alts.is_empty()
            || self
                .alts
                .iter()
                .any(|a| marks & a.has == a.has && marks & a.lacks == 0)
    }

    /// Whether a case with these marks, transaction status and provider can fire the rule.
    pub fn fits(&self, marks: u32, status: Option<Status>, provider: Option<&str>) -> bool {
        self.alts.is_empty()
            || self.alts.iter().any(|a| {
                marks & a.has == a.has
                    && marks & a.lacks == 0
                    && (a.status == 0 || status.is_some_and(|s| status_bit(s) & a.status != 0))
                    && (a.providers.is_empty()
                        || provider.is_some_and(|p| a.providers.iter().any(|x| x == p)))
            })
    }
}

impl Dispatch {
    /// Why a case with these marks, status and provider cannot fire the rule (`None`: it can).
    pub fn why_not(
        &self,
        marks: u32,
        status: Option<Status>,
        provider: Option<&str>,
    ) -> Option<String> {
        if self.fits(marks, status, provider) {
            return None;
        }
        let reasons: Vec<String> = self
            .alts
            .iter()
            .map(|a| {
                if let Some(m) = Mark::ALL
                    .iter()
                    .find(|m| a.has & m.bit() != 0 && marks & m.bit() == 0)
                {
                    return format!("needs `{}`", m.name());
                }
                if let Some(m) = Mark::ALL
                    .iter()
                    .find(|m| a.lacks & m.bit() != 0 && marks & m.bit() != 0)
                {
                    return format!("has `{}`, which it must lack", m.name());
                }
                if a.status != 0 && status.is_none_or(|s| status_bit(s) & a.status == 0) {
                    return match status {
                        Some(s) => {
                            format!("the payment is {}, not a status it looks at", s.as_str())
                        }
                        None => "there is no platform payment to look at".to_owned(),
                    };
                }
                format!("the provider is {}", provider.unwrap_or("not known"))
            })
            .collect();
        Some(reasons.join("; or "))
    }
}

/// The names of the marks in `marks`.
pub fn mark_names(marks: u32) -> Vec<&'static str> {
    Mark::ALL
        .iter()
        .filter(|m| marks & m.bit() != 0)
        .map(|m| m.name())
        .collect()
}

/// What dispatch looks at in a case, worked out once for all rules.
#[derive(Debug, Clone, Copy)]
pub struct Probe<'d> {
    marks: u32,
    status: Option<Status>,
    provider: Option<&'d str>,
}

impl<'d> Probe<'d> {
    /// Its marks.
    pub fn marks(&self) -> u32 {
        self.marks
    }

    /// Its transaction status.
    pub fn status(&self) -> Option<Status> {
        self.status
    }

    /// Its provider.
    pub fn provider(&self) -> Option<&'d str> {
        self.provider
    }

    /// Why `rule` is not called for this case (`None`: it is).
    pub fn why_not(&self, rule: &Rule) -> Option<String> {
        rule.dispatch
            .why_not(self.marks, self.status, self.provider)
    }

    /// Marks, transaction status and provider of `case`.
    pub fn of(case: &Case, data: &'d Dataset, settings: &Settings) -> Self {
        Probe {
            marks: marks(case, data, settings),
            status: case.txn.map(|t| data.get(t).status),
            provider: case.provider(data),
        }
    }
}

/// Whether `rule` can fire on the case `probe` describes (its `when`), so it is worth calling.
pub fn fits(rule: &Rule, probe: &Probe<'_>) -> bool {
    rule.dispatch
        .fits(probe.marks, probe.status, probe.provider)
}

/// Whether `rule` can fire on `case`.
pub fn applies(rule: &Rule, case: &Case, data: &Dataset, settings: &Settings) -> bool {
    fits(rule, &Probe::of(case, data, settings))
}

fn severity(s: header::Severity) -> Severity {
    match s {
        header::Severity::Info => Severity::Info,
        header::Severity::Warn => Severity::Warn,
        header::Severity::Critical => Severity::Critical,
    }
}

/// Why a rule failed on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `path:line:col: message` where Rhai knows the position.
    pub message: String,
    /// It ran out of operations (a runaway loop, or far too much work for one case).
    pub runaway: bool,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Calls `rule` on one case and turns what it returns into findings (inside a
/// [`crate::view::Session`], which `{fact}`s in messages are read from).
pub fn run(engine: &Engine, rule: &Rule, view: &CaseView) -> Result<Vec<Finding>, Failure> {
    crate::view::with_run(|run| {
        run_remembering(
            engine,
            rule,
            view.case(),
            &mut Some(view.clone()),
            run,
            &mut None,
        )
    })
    .unwrap_or_else(|e| {
        Err(Failure {
            message: format!("{}: {e}", rule.path),
            runaway: false,
        })
    })
}

/// What a rule that read nothing of its case returned: the same findings for every case but
/// for the `{fact}`s they name and the chain they cite, so they need not be asked for again.
#[derive(Debug, Clone)]
pub struct Constant {
    /// The session it was learnt in (a run's settings can differ from the next run's).
    session: u64,
    shapes: Vec<Shape>,
}

/// [`run`] on `case` of `run` (its view made in `view` when the rule has to be called),
/// remembering in `known` the findings of a rule that read nothing of the case (no getter,
/// no function of the case or the run, no print): such a rule's answer cannot depend on the
/// case, so the next case of the same session gets it without calling the rule.
pub fn run_remembering(
    engine: &Engine,
    rule: &Rule,
    case: &Case,
    view: &mut Option<CaseView>,
    run: &Run,
    known: &mut Option<Constant>,
) -> Result<Vec<Finding>, Failure> {
    let failed = |e: String| Failure {
        message: format!("{}: {e}", rule.path),
        runaway: false,
    };
    let session = crate::view::session_number();
    if let Some(k) = known.as_ref().filter(|k| k.session == session) {
        return Ok(k
            .shapes
            .iter()
            .map(|s| s.finding(rule, case, run))
            .collect());
    }
    let view = view.get_or_insert_with(|| CaseView::new(case.clone()));
    crate::view::take_read();
    let items = call(engine, rule, Dynamic::from(view.clone()))?;
    let read = crate::view::take_read();
    let shapes = items
        .into_iter()
        .map(|item| shape(rule, item))
        .collect::<Result<Vec<_>, String>>()
        .map_err(failed)?;
    if !read {
        *known = shapes
            .iter()
            .map(Shape::for_any_case)
            .collect::<Option<Vec<_>>>()
            .map(|shapes| Constant { session, shapes });
    }
    Ok(shapes.iter().map(|s| s.finding(rule, case, run)).collect())
}

/// Calls `fn check(x)` of `rule` and returns the array it gives.
pub fn call(engine: &Engine, rule: &Rule, arg: Dynamic) -> Result<Array, Failure> {
    // The rule's top level holds only functions: do not evaluate it again per call.
    let options = CallFnOptions::new().eval_ast(false).rewind_scope(false);
    // A panic inside the engine (a bug there, not the rule's) becomes this case's rule error.
    let called = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine.call_fn_with_options::<Array>(options, &mut Scope::new(), &rule.ast, ENTRY, (arg,))
    }));
    let Ok(called) = called else {
        return Err(Failure {
            message: format!("{}: the rule engine panicked on this case", rule.path),
            runaway: false,
        });
    };
    called.map_err(|mut e| {
        let runaway = matches!(*e, rhai::EvalAltResult::ErrorTooManyOperations(..));
        // `path:line:col: message`, like compile errors.
        let pos = e.take_position();
        let message = match (pos.line(), pos.position()) {
            (Some(line), Some(col)) => format!("{}:{line}:{col}: {e}", rule.path),
            (Some(line), None) => format!("{}:{line}: {e}", rule.path),
            _ => format!("{}: {e}", rule.path),
        };
        Failure { message, runaway }
    })
}

/// A rule's code by name, as the rule's interned name; an error when it did not declare it.
pub(crate) fn declared_code(rule: &Rule, v: Dynamic) -> Result<&'static str, String> {
    let name = v
        .into_immutable_string()
        .map_err(|t| format!("`code` is a string, found {t}"))?;
    rule.names
        .codes
        .iter()
        .find(|c| **c == name.as_str())
        .copied()
        .ok_or_else(|| {
            format!(
                "code {:?} is not among the rule's codes ({})",
                name.as_str(),
                rule.header.codes.join(", ")
            )
        })
}

/// `evidence`: an array of records (or a case's `chain`), as their sources.
pub(crate) fn evidence_of(v: Dynamic) -> Result<Vec<qrecon_core::Source>, String> {
    let t = v.type_name();
    if v.is::<crate::view::Records>() {
        let records = v.cast::<crate::view::Records>();
        return Ok(crate::view::sources(&records));
    }
    let list = v
        .try_cast::<Array>()
        .ok_or_else(|| format!("`evidence` is an array of records, found {t}"))?;
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        let t = r.type_name();
        let record = r
            .try_cast::<RecordView>()
            .ok_or_else(|| format!("`evidence` holds records (c.txn, c.funds, …), found {t}"))?;
        out.extend(record.evidence());
    }
    Ok(out)
}

/// A Date or `()`.
pub(crate) fn date_of(key: &str, v: Dynamic) -> Result<Option<chrono::NaiveDate>, String> {
    if v.is_unit() {
        return Ok(None);
    }
    let t = v.type_name();
    v.try_cast::<Date>()
        .map(|d| Some(d.0))
        .ok_or_else(|| format!("`{key}` is a Date or (), found {t}"))
}

pub(crate) fn severity_of(rule: &Rule) -> Severity {
    severity(rule.header.severity)
}

pub(crate) fn string(key: &str, v: Dynamic) -> Result<String, String> {
    v.into_immutable_string()
        .map(|s| s.to_string())
        .map_err(|t| format!("a finding's `{key}` is a string, found {t}"))
}

/// What a rule returned for one finding, before its `{fact}`s are filled in.
#[derive(Debug, Clone)]
struct Shape {
    code: &'static str,
    message: Text,
    action: Text,
    expected_by: Due,
    evidence: Evidence,
}

/// A finding's `message` or `action`: as the rule gave it, or with its `{fact}`s found (for a
/// finding kept for every case).
#[derive(Debug, Clone)]
enum Text {
    Given(String),
    Found(crate::template::Template),
}

impl Text {
    fn found(&self) -> Text {
        match self {
            Text::Given(s) => Text::Found(crate::template::Template::new(s)),
            Text::Found(t) => Text::Found(t.clone()),
        }
    }

    fn fill(&self, case: &Case, run: &Run) -> String {
        match self {
            Text::Given(s) => crate::template::render(s, case, &run.data, &run.settings),
            Text::Found(t) => t.render(case, &run.data, &run.settings),
        }
    }
}

/// A finding's `expected_by` as the rule gave it: a Date, or a date fact named `"{fact}"`.
#[derive(Debug, Clone, Copy)]
enum Due {
    Date(Option<chrono::NaiveDate>),
    Fact(&'static str),
}

/// A finding's evidence as the rule gave it.
#[derive(Debug, Clone)]
enum Evidence {
    /// Records.
    Sources(Vec<qrecon_core::Source>),
    /// A `Records` value (`c.chain`, or made from it).
    Records(crate::view::Records),
    /// The chain of whichever case the finding is for.
    Chain,
}

impl Shape {
    /// The same finding for any case, when the rule read nothing: the only `Records` a rule
    /// can have without reading is its case's chain. `None` when it cites other records.
    fn for_any_case(&self) -> Option<Shape> {
        let evidence = match &self.evidence {
            Evidence::Sources(s) if s.is_empty() => Evidence::Sources(Vec::new()),
            Evidence::Records(_) | Evidence::Chain => Evidence::Chain,
            Evidence::Sources(_) => return None,
        };
        Some(Shape {
            evidence,
            message: self.message.found(),
            action: self.action.found(),
            ..self.clone()
        })
    }

    fn finding(&self, rule: &Rule, case: &Case, run: &Run) -> Finding {
        let evidence = match &self.evidence {
            Evidence::Sources(s) => s.clone(),
            Evidence::Records(r) => crate::view::sources(r),
            Evidence::Chain => crate::view::sources(&crate::view::chain_of(case)),
        };
        Finding {
            code: self.code,
            rule: rule.names.id,
            priority: rule.header.priority,
            severity: severity(rule.header.severity),
            message: self.message.fill(case, run),
            action: self.action.fill(case, run),
            expected_by: match self.expected_by {
                Due::Date(d) => d,
                Due::Fact(name) => crate::template::date_fact(name, case, &run.settings),
            },
            evidence,
        }
    }
}

fn shape(rule: &Rule, item: Dynamic) -> Result<Shape, String> {
    let map = item
        .try_cast::<Map>()
        .ok_or("`check` returns an array of findings, each a map #{code, message, action, …}")?;
    let (mut code, mut message, mut action, mut expected_by) = (None, None, None, Due::Date(None));
    let mut evidence = Evidence::Sources(Vec::new());
    for (key, v) in map {
        match key.as_str() {
            "code" => code = Some(declared_code(rule, v)?),
            "message" => message = Some(string("message", v)?),
            "action" => action = Some(string("action", v)?),
            "expected_by" if v.is_string() => {
                let name = string("expected_by", v)?;
                expected_by =
                    Due::Fact(crate::template::date_fact_name(&name).ok_or_else(|| {
                        format!(
                            "`expected_by` is a Date or a date fact in braces ({}), found {name:?}",
                            crate::template::DATE_FACTS.join(", ")
                        )
                    })?);
            }
            "expected_by" => expected_by = Due::Date(date_of("expected_by", v)?),
            "evidence" if v.is::<crate::view::Records>() => {
                evidence = Evidence::Records(v.cast::<crate::view::Records>());
            }
            "evidence" => evidence = Evidence::Sources(evidence_of(v)?),
            other => {
                return Err(format!(
                    "a finding has no `{other}` (it has code, message, action, expected_by, evidence)"
                ));
            }
        }
    }
    Ok(Shape {
        code: code.ok_or("a finding needs `code`")?,
        message: Text::Given(message.ok_or("a finding needs `message`")?),
        action: Text::Given(action.ok_or("a finding needs `action`")?),
        expected_by,
        evidence,
    })
}
