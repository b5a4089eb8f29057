//! Plugin loading, ABI refusal and panic containment, through the binary and real libraries.

use qrecon_e2e::{adapter_file_name, json, library, qrecon, repo, run, text};

fn plugin_dir_with_broken_plugins() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        library("qrecon_testplugin_bad_abi"),
        dir.path().join(adapter_file_name("future")),
    )
    .expect("copy bad-abi plugin");
    std::fs::write(
        dir.path().join(adapter_file_name("notes")),
        "these are my notes, not a library\n",
    )
    .expect("write fake plugin");
    dir
}

#[test]
fn plugins_list_shows_adapters_and_refusals_with_reasons() {
    let dir = plugin_dir_with_broken_plugins();
    let out = run(qrecon()
        .args(["plugins", "list", "--plugin-dir"])
        .arg(dir.path()));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for name in [
        "wechatpay-tradebill",
        "wechatpay-fundflow",
        "icbc-csv",
        "claims-csv",
        "alipay",
    ] {
        assert!(stdout.contains(name), "{name} listed:\n{stdout}");
    }
    let future = adapter_file_name("future");
    let line = stdout
        .lines()
        .find(|l| l.contains(&future))
        .unwrap_or_else(|| panic!("{future} refused:\n{stdout}"));
    assert!(
        line.contains("ABI 2") && line.contains("ABI 1.0"),
        "names both versions: {line}"
    );
    let notes = stdout
        .lines()
        .find(|l| l.contains(&adapter_file_name("notes")))
        .expect("fake plugin listed");
    assert!(notes.contains("not a shared library"), "{notes}");
}

#[test]
fn plugins_list_json_has_versions_formats_and_paths() {
    let dir = plugin_dir_with_broken_plugins();
    let out = run(qrecon()
        .args(["plugins", "list", "--format", "json", "--plugin-dir"])
        .arg(dir.path()));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let adapters = doc["adapters"].as_array().expect("adapters");
    let trade = adapters
        .iter()
        .find(|a| a["name"] == "wechatpay-tradebill")
        .expect("trade bill adapter");
    assert_eq!(trade["abi"], "1.0");
    assert_eq!(trade["version"], "0.1.0");
    assert!(
        trade["formats"]
            .as_str()
            .is_some_and(|f| f.contains("WeChat Pay trade bill"))
    );
    assert!(
        trade["path"]
            .as_str()
            .is_some_and(|p| p.ends_with(&adapter_file_name("wechatpay_tradebill")))
    );
    assert_eq!(doc["refused"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_run_goes_on_when_a_plugin_is_refused() {
    let dir = plugin_dir_with_broken_plugins();
    let out_dir = tempfile::tempdir().expect("out");
    let out = run(qrecon()
        .args(["run", "--as-of", "2021-02-03", "--plugin-dir"])
        .arg(dir.path())
        .arg("--out")
        .arg(out_dir.path())
        .arg(repo(
            "plugins/wechatpay-tradebill/fixtures/tradebill_ALL_gunsluo.csv",
        )));
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&adapter_file_name("future")) && stderr.contains("ABI 2"),
        "{stderr}"
    );
    let summary = json(&out_dir.path().join("summary.json"));
    assert_eq!(summary["files"][0]["rows"]["parsed"], 3);
    let refused = summary["plugins_refused"].as_array().expect("refused list");
    assert!(
        refused
            .iter()
            .any(|r| r["reason"].as_str().is_some_and(|s| s.contains("ABI 2")))
    );
}

#[test]
fn a_panicking_adapter_fails_its_file_only() {
    let dir = tempfile::tempdir().expect("plugin dir");
    std::fs::copy(
        library("qrecon_testplugin_panicky"),
        dir.path().join(adapter_file_name("panicky")),
    )
    .expect("copy");
    let inputs = tempfile::tempdir().expect("inputs");
    std::fs::write(inputs.path().join("a_boom.txt"), "PANIC-TEST\nrow\n").expect("write");
    std::fs::write(inputs.path().join("b_sniff.txt"), "SNIFF-PANIC\n").expect("write");
    std::fs::copy(
        repo("plugins/wechatpay-tradebill/fixtures/tradebill_ALL_gunsluo.csv"),
        inputs.path().join("c_bill.csv"),
    )
    .expect("copy bill");
    let out_dir = tempfile::tempdir().expect("out");
    let out = run(qrecon()
        .args(["run", "--as-of", "2021-02-03", "--plugin-dir"])
        .arg(dir.path())
        .arg("--out")
        .arg(out_dir.path())
        .arg(inputs.path()));
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "host survives: {stdout}\n{stderr}"
    );
    let summary = json(&out_dir.path().join("summary.json"));
    let files = summary["files"].as_array().expect("files");
    let boom = files
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .is_some_and(|s| s.ends_with("a_boom.txt"))
        })
        .expect("boom file");
    assert_eq!(boom["status"], "failed");
    let error = boom["error"].as_str().expect("error");
    assert!(
        error.contains("panicky-test panicked") && error.contains("parser bug on purpose"),
        "{error}"
    );
    let bill = files
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .is_some_and(|s| s.ends_with("c_bill.csv"))
        })
        .expect("bill");
    assert_eq!(bill["status"], "parsed");
    assert_eq!(bill["rows"]["parsed"], 3);
    let unrec = summary["unrecognised"].as_array().expect("unrecognised");
    let sniff = unrec
        .iter()
        .find(|u| {
            u["file"]
                .as_str()
                .is_some_and(|s| s.ends_with("b_sniff.txt"))
        })
        .expect("sniff file");
    assert_eq!(
        sniff["scores"]["panicky-test"], -1,
        "a sniff panic scores -1: {sniff}"
    );
    assert!(stdout.contains("FAILED"), "{stdout}");
}

/// Every first-party plugin whose fixtures have golden files reads them the same when loaded
/// from its built library through libloading, as the host loads it, as in its own tests.
#[test]
fn built_plugins_read_their_samples_as_their_golden_files_say() {
    let mut checked = 0;
    for entry in std::fs::read_dir(qrecon_e2e::repo("plugins")).expect("plugins folder") {
        let dir = entry.expect("entry").path();
        let fixtures = dir.join("fixtures");
        let has_golden = std::fs::read_dir(&fixtures).is_ok_and(|mut files| {
            files.any(|f| f.is_ok_and(|f| f.path().extension().is_some_and(|e| e == "golden")))
        });
        if !has_golden {
            continue;
        }
        let name = dir.file_name().and_then(|n| n.to_str()).expect("a name");
        let library = qrecon_e2e::library(&format!("qrecon_adapter_{}", name.replace('-', "_")));
        checked +=
            qrecon_adapter_sdk::testing::check_samples_loaded(&library, &fixtures, &[]).len();
    }
    assert!(checked >= 1, "no golden files found");
}
