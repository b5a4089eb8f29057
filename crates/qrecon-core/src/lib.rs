//! # qrecon core
//!
//! The canonical record and case model, and the reconciliation that follows each payment
//! along the chain claim → txn → fund → payout → bank. Pure computation: it takes records
//! and settings and returns cases with their links and facts (the rules in `qrecon-rules`
//! diagnose them; no status is decided here); it reads no file and prints
//! nothing (the `qrecon` binary does that; clippy's `disallowed-methods` in this crate
//! enforces it).
//!
//! Data flow: [`dataset::Chunk`]s of [`record::RecordIn`] → [`Dataset`] → [`engine::assemble`]
//! → [`engine::Outcome`] (cases, group views) → [`conservation::Table`].

pub mod bank;
pub mod calendar;
pub mod case;
pub mod claims;
pub mod conservation;
pub mod dataset;
pub mod engine;
pub mod finding;
pub mod groups;
pub mod index;
pub mod ledger;
pub mod money;
pub mod record;
pub mod settings;
pub mod text;

pub use calendar::{Calendar, Cycle, iso_date};
pub use case::{Case, Facts, Link, Method};
pub use dataset::{Chunk, Dataset};
pub use engine::{Outcome, assemble};
pub use finding::{Finding, Severity};
pub use money::Money;
pub use record::{Kind, Record, RecordId, RecordIn, RecordType, Source, Status};
pub use settings::{Payee, QrCode, Settings, Terms, Windows};
pub use text::Str;
