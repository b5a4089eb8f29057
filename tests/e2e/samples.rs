//! Every published export sample the project has (the copies of `../shared/fixtures/` kept
//! in `plugins/*/fixtures/` and `crates/qrecon-mapped/fixtures/`) through the binary at once,
//! with every built plugin loaded and the example mappings beside them: each file must be
//! claimed by its own adapter by sniffing alone — no adapter pinned — and parse with no
//! quarantined row but the one genuinely incomplete line noted below.

use std::path::Path;

use qrecon_e2e::{json, qrecon, repo, run, text};

/// (copy in the repository, adapter that must claim it, quarantined rows expected).
/// Every sample yields records but two: `betterplace_missing_crlf_at_end.sta` is a closing
/// balance and an end-of-message line and nothing else, and the Sparkasse snippet's one
/// line is quarantined (see below).
const SAMPLES: &[(&str, &str, u64)] = &[
    (
        "plugins/alipay-personal/fixtures/alipay_personal_legacy_pc_gbk.csv",
        "alipay-personal",
        0,
    ),
    (
        "plugins/alipay-personal/fixtures/alipay_personal_v2023_gbk.csv",
        "alipay-personal",
        0,
    ),
    ("plugins/camt/fixtures/genkgo_camt052.v2.xml", "camt", 0),
    (
        "plugins/camt/fixtures/genkgo_camt053.v2.minimal.xml",
        "camt",
        0,
    ),
    (
        "plugins/camt/fixtures/genkgo_camt053.v2.multi.statement.xml",
        "camt",
        0,
    ),
    ("plugins/camt/fixtures/genkgo_camt053.v4.xml", "camt", 0),
    (
        "plugins/cn-bank-xls/fixtures/ccb_debit_交易明细.xls",
        "cn-bank-xls",
        0,
    ),
    ("plugins/icbc-csv/fixtures/icbc_credit.csv", "icbc-csv", 0),
    ("plugins/icbc-csv/fixtures/icbc_debit_v2.csv", "icbc-csv", 0),
    (
        "crates/qrecon-mapped/fixtures/hsbchk_credit.csv",
        "mapped:hsbchk-credit",
        0,
    ),
    (
        "crates/qrecon-mapped/fixtures/hsbchk_debit.csv",
        "mapped:hsbchk-debit",
        0,
    ),
    (
        "crates/qrecon-mapped/fixtures/td_chequing.csv",
        "mapped:td-chequing",
        0,
    ),
    (
        "plugins/mt940/fixtures/betterplace_missing_crlf_at_end.sta",
        "mt940",
        0,
    ),
    (
        "plugins/mt940/fixtures/betterplace_sepa_snippet.sta",
        "mt940",
        0,
    ),
    ("plugins/mt940/fixtures/cmxl_mt940.sta", "mt940", 0),
    ("plugins/mt940/fixtures/jejik_abnamro.sta", "mt940", 0),
    ("plugins/mt940/fixtures/jejik_generic.sta", "mt940", 0),
    ("plugins/mt940/fixtures/jejik_ing.sta", "mt940", 0),
    ("plugins/mt940/fixtures/jejik_postfinance.sta", "mt940", 0),
    ("plugins/mt940/fixtures/jejik_rabobank-iban.sta", "mt940", 0),
    ("plugins/mt940/fixtures/jejik_rabobank.sta", "mt940", 0),
    ("plugins/mt940/fixtures/mBank_mt940.sta", "mt940", 0),
    (
        "plugins/mt940/fixtures/mBank_with_newline_in_tnr.sta",
        "mt940",
        0,
    ),
    (
        "plugins/mt940/fixtures/self-provided_gv_codes.sta",
        "mt940",
        0,
    ),
    ("plugins/mt940/fixtures/self-provided_mt942.sta", "mt940", 0),
    // A snippet without its balances: nothing in it names the currency of its one line.
    (
        "plugins/mt940/fixtures/self-provided_sparkassen.sta",
        "mt940",
        1,
    ),
    (
        "plugins/wechat-personal/fixtures/wechat_personal_utf8.csv",
        "wechat-personal",
        0,
    ),
    (
        "plugins/wechat-personal/fixtures/wechat_personal_v2026.xlsx",
        "wechat-personal",
        0,
    ),
    (
        "plugins/wechatpay-fundflow/fixtures/fundflowbill_BASIC_gunsluo.csv",
        "wechatpay-fundflow",
        0,
    ),
    (
        "plugins/wechatpay-tradebill/fixtures/tradebill_ALL_gunsluo.csv",
        "wechatpay-tradebill",
        0,
    ),
    (
        "plugins/wechatpay-tradebill/fixtures/tradebill_ALL_legacy24_wxjava.csv",
        "wechatpay-tradebill",
        0,
    ),
    (
        "plugins/wechatpay-tradebill/fixtures/tradebill_REFUND_gunsluo.csv",
        "wechatpay-tradebill",
        0,
    ),
    (
        "plugins/wechatpay-tradebill/fixtures/tradebill_SUCCESS_gunsluo.csv",
        "wechatpay-tradebill",
        0,
    ),
];

#[test]
fn every_published_sample_is_claimed_by_its_adapter_and_parses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    for (i, (path, _, _)) in SAMPLES.iter().enumerate() {
        // One folder per sample keeps names apart and the file name as published.
        let folder = inputs.join(format!("{i:02}"));
        std::fs::create_dir_all(&folder).expect("folder");
        let name = Path::new(path).file_name().expect("a file name");
        std::fs::copy(repo(path), folder.join(name)).expect("copy the sample");
    }
    for m in ["hsbchk-debit", "hsbchk-credit", "td-chequing"] {
        let name = format!("{m}.qrecon-map.yaml");
        std::fs::copy(
            repo(&format!("examples/mappings/{name}")),
            inputs.join(&name),
        )
        .expect("copy the mapping");
    }
    let out_dir = dir.path().join("out");
    let out = run(qrecon()
        .arg("run")
        .arg(&inputs)
        .arg("--as-of")
        .arg("2026-12-01T00:00:00+08:00")
        .arg("--out")
        .arg(&out_dir));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let summary = json(&out_dir.join("summary.json"));
    let files = summary["files"].as_array().expect("files");
    assert_eq!(
        files.len(),
        SAMPLES.len(),
        "every sample is in the summary: {summary}"
    );
    assert!(
        summary["unrecognised"].as_array().is_none_or(Vec::is_empty),
        "{}",
        summary["unrecognised"]
    );
    for (i, (path, adapter, quarantined)) in SAMPLES.iter().enumerate() {
        let name = Path::new(path)
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name");
        let suffix = format!("{i:02}/{name}");
        let f = files
            .iter()
            .find(|f| f["file"].as_str().is_some_and(|n| n.ends_with(&suffix)))
            .unwrap_or_else(|| panic!("{suffix} in the summary"));
        assert_eq!(f["status"], "parsed", "{path}: {f}");
        assert_eq!(f["adapter"], *adapter, "{path}: {f}");
        assert_eq!(f["rows"]["quarantined"], *quarantined, "{path}: {f}");
        assert_eq!(f["rows_accounted"], true, "{path}: {f}");
        let empty = path.ends_with("betterplace_missing_crlf_at_end.sta")
            || path.ends_with("self-provided_sparkassen.sta");
        let parsed = f["rows"]["parsed"].as_u64().unwrap_or_default();
        assert_eq!(parsed == 0, empty, "{path}: {f}");
    }
}
