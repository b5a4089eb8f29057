//! Reading the inputs: each file is routed to an adapter (pinned in config, or by the best
//! sniff score), parsed through the plugin boundary, and its records resolved into the run's
//! time zone. Files are processed in parallel; results keep input order.

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use qrecon_adapter_sdk::abi::STATUS_PANIC;
use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_core::{Record, Source};
use rayon::prelude::*;

use crate::plan::InputFile;
use crate::plugins::{Adapter, Registry};

/// Bytes of a file's head given to `sniff`.
const HEAD_BYTES: usize = 64 * 1024;
/// The lowest sniff score that claims a file.
pub const MIN_SCORE: u8 = 50;

/// What became of one input file.
pub struct FileResult {
    pub input: InputFile,
    /// Each adapter's sniff score (absent when the adapter was pinned).
    pub scores: BTreeMap<String, i32>,
    pub outcome: FileOutcome,
}

/// The outcome of one file.
pub enum FileOutcome {
    /// No adapter scored at least [`MIN_SCORE`] (or two tied at the top).
    Unrecognised(String),
    /// The file could not be read, or the adapter refused or panicked on it.
    Failed {
        adapter: Option<Adapter>,
        message: String,
    },
    /// Parsed; rows may have been quarantined.
    Parsed {
        adapter: Adapter,
        rows_read: u64,
        records: Vec<Record>,
        issues: Vec<OwnedIssue>,
    },
}

/// Reads every input; `file` indexes of records follow input order.
pub fn ingest(inputs: &[InputFile], registry: &Registry, tz: Tz) -> Vec<FileResult> {
    inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| ingest_one(u32::try_from(i).unwrap_or(u32::MAX), input, registry, tz))
        .collect()
}

fn ingest_one(index: u32, input: &InputFile, registry: &Registry, tz: Tz) -> FileResult {
    let mut result = FileResult {
        input: input.clone(),
        scores: BTreeMap::new(),
        outcome: FileOutcome::Unrecognised(String::new()),
    };
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            result.outcome = FileOutcome::Failed {
                adapter: None,
                message: format!("cannot read the file: {e}"),
            };
            return result;
        }
    };
    let adapter = match route(input, &bytes, registry, &mut result.scores) {
        Ok(a) => a,
        Err(why) => {
            result.outcome = FileOutcome::Unrecognised(why);
            return result;
        }
    };
    let parsed = adapter.plugin.parse(&input.display, &bytes, 0);
    result.outcome = if parsed.status == 0 {
        let records = parsed
            .records
            .into_iter()
            .map(|r| convert(index, r, tz, input.account.as_deref()))
            .collect();
        FileOutcome::Parsed {
            adapter: adapter.clone(),
            rows_read: parsed.rows_read,
            records,
            issues: parsed.issues,
        }
    } else {
        let what = if parsed.status == STATUS_PANIC {
            "panicked"
        } else {
            "refused the file"
        };
        let message = format!(
            "adapter {} {what}: {}",
            adapter.plugin.name,
            parsed.message.unwrap_or_default()
        );
        FileOutcome::Failed {
            adapter: Some(adapter.clone()),
            message,
        }
    };
    result
}

fn route<'r>(
    input: &InputFile,
    bytes: &[u8],
    registry: &'r Registry,
    scores: &mut BTreeMap<String, i32>,
) -> Result<&'r Adapter, String> {
    if let Some(name) = &input.adapter {
        return registry
            .get(name)
            .ok_or_else(|| format!("the pinned adapter {name} is not loaded"));
    }
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    let name = input
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    for a in &registry.adapters {
        let score = a.plugin.sniff(name, head).map_or(-1, i32::from);
        scores.insert(a.plugin.name.to_owned(), score);
    }
    let best = scores.values().copied().max().unwrap_or(-1);
    let top: Vec<&String> = scores
        .iter()
        .filter(|(_, s)| **s == best)
        .map(|(n, _)| n)
        .collect();
    if best < i32::from(MIN_SCORE) {
        return Err(format!("no adapter scored at least {MIN_SCORE}"));
    }
    if top.len() > 1 {
        let names: Vec<&str> = top.iter().map(|s| s.as_str()).collect();
        return Err(format!(
            "adapters {} claim it equally ({best}); pin one in qrecon.yaml",
            names.join(" and ")
        ));
    }
    registry
        .get(top[0])
        .ok_or_else(|| "internal: scored adapter vanished".to_owned())
}

fn resolve_time(
    naive: NaiveDateTime,
    offset: Option<i32>,
    tz: Tz,
) -> Option<chrono::DateTime<FixedOffset>> {
    if let Some(secs) = offset {
        return FixedOffset::east_opt(secs)?
            .from_local_datetime(&naive)
            .single();
    }
    let local = tz.from_local_datetime(&naive);
    local
        .earliest()
        .or_else(|| local.latest())
        .map(|t| t.fixed_offset())
}

/// A wire record into the core's: provenance attached, time resolved in the run's zone.
fn convert(file: u32, r: OwnedRecord, tz: Tz, account: Option<&str>) -> Record {
    let [
        acct,
        claim_id,
        order_id,
        txn_id,
        refund_id,
        payout_id,
        bank_ref,
    ] = r.ids;
    let [
        payee_id,
        payee_name,
        payee_account,
        payer,
        counterparty,
        memo,
    ] = r.parties;
    Record {
        source: Source { file, line: r.line },
        kind: match r.kind {
            qrecon_adapter_sdk::Kind::Claim => qrecon_core::Kind::Claim,
            qrecon_adapter_sdk::Kind::Txn => qrecon_core::Kind::Txn,
            qrecon_adapter_sdk::Kind::Fund => qrecon_core::Kind::Fund,
            qrecon_adapter_sdk::Kind::Payout => qrecon_core::Kind::Payout,
            qrecon_adapter_sdk::Kind::Bank => qrecon_core::Kind::Bank,
        },
        record_type: r.record_type,
        provider: r.provider,
        account: acct.or_else(|| account.map(str::to_owned)),
        claim_id,
        order_id,
        txn_id,
        refund_id,
        payout_id,
        bank_ref,
        time: r.time.and_then(|t| resolve_time(t, r.utc_offset_secs, tz)),
        value_date: r.value_date,
        amount: r.amount,
        currency: r.currency,
        fee: r.fee,
        status: match r.status {
            qrecon_adapter_sdk::Status::Success => qrecon_core::Status::Success,
            qrecon_adapter_sdk::Status::Pending => qrecon_core::Status::Pending,
            qrecon_adapter_sdk::Status::Failed => qrecon_core::Status::Failed,
            qrecon_adapter_sdk::Status::Revoked => qrecon_core::Status::Revoked,
            qrecon_adapter_sdk::Status::Unknown => qrecon_core::Status::Unknown,
        },
        status_raw: r.status_raw,
        payee_id,
        payee_name,
        payee_account,
        payer,
        counterparty,
        memo,
        extra: r.extra,
    }
}

/// Issues of one outcome.
pub fn count(issues: &[OwnedIssue], outcome: Outcome) -> u64 {
    issues.iter().filter(|i| i.outcome == outcome).count() as u64
}
