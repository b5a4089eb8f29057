//! # qrecon core
//!
//! The canonical record and case model, and the reconciliation that follows each payment
//! along the chain claim → txn → fund → payout → bank. Pure computation: it takes records
//! and settings and returns cases with findings; it reads no file and prints nothing (the
//! `qrecon` binary does that; clippy's `disallowed-methods` in this crate enforces it).

pub mod calendar;
pub mod case;
pub mod dataset;
pub mod diagnose;
pub mod finding;
pub mod money;
pub mod reconcile;
pub mod record;
pub mod settings;

pub use calendar::{Calendar, Cycle};
pub use case::{Case, Link, Method};
pub use dataset::Dataset;
pub use finding::{Finding, Severity};
pub use record::{Kind, Record, RecordId, Source, Status};
pub use settings::{Payee, Settings, Terms};

/// Assembles the cases of `data` and diagnoses each one.
pub fn reconcile(data: &Dataset, settings: &Settings) -> Vec<Case> {
    let mut cases = reconcile::assemble(data, settings);
    for case in &mut cases {
        case.findings = diagnose::diagnose(data, settings, case);
    }
    cases
}
