//! `qrecon rules`: the shipped pack checks clean; a broken rule stops with its position.

use qrecon_e2e::{json, jsonl, qrecon, repo, run, text};

#[test]
fn the_shipped_rule_pack_checks_clean() {
    let out = run(qrecon().arg("rules").arg("check").arg(repo("rules")));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("compile and pass their header checks"),
        "{stdout}"
    );
    let out = run(qrecon()
        .args(["rules", "explain", "arrived"])
        .arg(repo("rules")));
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("## What to do") && stdout.contains("codes ARRIVED"),
        "{stdout}"
    );
}

#[test]
fn a_syntax_error_stops_with_path_line_column_and_a_caret() {
    let dir = tempfile::tempdir().expect("temp");
    let good = std::fs::read_to_string(repo("rules/arrived.rhai")).expect("rule");
    let broken = good.replace("fn check(c) {", "fn check(c) {\n    let total = ;");
    let path = dir.path().join("arrived.rhai");
    std::fs::write(&path, &broken).expect("write");
    let line = broken
        .lines()
        .position(|l| l.contains("let total = ;"))
        .expect("line")
        + 1;
    let out = run(qrecon().args(["rules", "check"]).arg(dir.path()));
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:{line}:17: ", path.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("  |     let total = ;\n  |                 ^"),
        "{stderr}"
    );
}

#[test]
fn header_mistakes_and_unknown_rules_are_refused() {
    let dir = tempfile::tempdir().expect("temp");
    let good = std::fs::read_to_string(repo("rules/arrived.rhai")).expect("rule");
    std::fs::write(
        dir.path().join("arrived.rhai"),
        good.replace("scope: case", "scope: galaxy"),
    )
    .expect("write");
    let out = run(qrecon().args(["rules", "check"]).arg(dir.path()));
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("arrived.rhai:3:") && stderr.contains("unknown variant `galaxy`"),
        "{stderr}"
    );
    let out = run(qrecon()
        .args(["rules", "explain", "nope"])
        .arg(repo("rules")));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("no rule \"nope\""));
}

#[test]
fn the_packs_fixtures_pass_and_a_wrong_expectation_fails() {
    let out = run(qrecon().args(["rules", "test"]).arg(repo("rules")));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    let dir = tempfile::tempdir().expect("temp");
    std::fs::copy(repo("rules/arrived.rhai"), dir.path().join("arrived.rhai")).expect("copy");
    let fixtures = std::fs::read_to_string(repo("rules/arrived.test.yaml")).expect("fixtures");
    std::fs::write(
        dir.path().join("arrived.test.yaml"),
        fixtures.replace("expect: []", "expect: [ARRIVED]"),
    )
    .expect("write");
    let out = run(qrecon().args(["rules", "test"]).arg(dir.path()));
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL arrived: paid out but no bank credit yet: expected [\"ARRIVED\"], the rule gave []"), "{stdout}");
    assert!(stdout.contains("1 passed, 1 failed"), "{stdout}");
    std::fs::remove_file(dir.path().join("arrived.test.yaml")).expect("remove");
    let out = run(qrecon().args(["rules", "test"]).arg(dir.path()));
    assert!(text(&out).0.contains("every rule needs fixtures"));
}

/// A copy of the shipped pack in a temporary folder, for an operator's edits.
fn pack_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    for entry in std::fs::read_dir(repo("rules")).expect("rules/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "rhai") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

/// A rule file with a full header.
fn rule(id: &str, priority: u32, codes: &str, when: &str, body: &str) -> String {
    format!(
        "//! id: {id}\n//! title: {id}\n//! scope: case\n//! priority: {priority}\n//! severity: warn\n//! codes: [{codes}]\n//! when: {when}\n//! ---\n//! ## What it checks\n//! x\n//! ## Why it matters\n//! x\n//! ## Example\n//! x\n//! ## What to do\n//! x\n\nfn check(c) {{\n{body}\n}}\n"
    )
}

/// Runs the demo with the rules of `rules`; returns (exit code, stderr, cases, summary).
fn demo_with(
    rules: &std::path::Path,
) -> (
    Option<i32>,
    String,
    Vec<serde_json::Value>,
    Option<serde_json::Value>,
) {
    let out_dir = tempfile::tempdir().expect("temp");
    let out = run(qrecon()
        .args(["run", "--config"])
        .arg(repo("examples/qrecon.yaml"))
        .arg("--rules")
        .arg(rules)
        .arg("--out")
        .arg(out_dir.path().join("out")));
    let (_, stderr) = text(&out);
    let cases_path = out_dir.path().join("out/cases.jsonl");
    let cases = if cases_path.exists() {
        jsonl(&cases_path)
    } else {
        Vec::new()
    };
    let summary_path = out_dir.path().join("out/summary.json");
    let summary = summary_path.exists().then(|| json(&summary_path));
    (out.status.code(), stderr, cases, summary)
}

fn statuses(cases: &[serde_json::Value]) -> Vec<(String, String)> {
    cases
        .iter()
        .map(|c| {
            (
                c["case_id"].as_str().unwrap_or_default().to_owned(),
                c["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_operators_new_rule_and_a_deleted_rule_change_the_output_without_a_rebuild() {
    let shipped = pack_copy();
    let (code, stderr, before, _) = demo_with(shipped.path());
    assert_eq!(code, Some(0), "{stderr}");

    let edited = pack_copy();
    std::fs::write(
        edited.path().join("vip-late.rhai"),
        rule(
            "vip-late",
            5,
            "VIP_LATE",
            "{ has: [settles], lacks: [bank] }",
            r#"    if c.gross < amount("25.00") { return []; }
    [#{ code: "VIP_LATE", message: `a large payment of ${c.gross} has not reached the bank yet`,
        action: "Call the regular customer", expected_by: c.expected_bank, evidence: [c.txn] + c.payouts }]"#,
        ),
    )
    .expect("write rule");
    std::fs::remove_file(edited.path().join("arrived.rhai")).expect("delete arrived");
    let (code, stderr, after, summary) = demo_with(edited.path());
    assert_eq!(code, Some(0), "{stderr}");
    let summary = summary.expect("summary");

    let mut vip = 0;
    for ((id, was), (id2, now)) in statuses(&before).into_iter().zip(statuses(&after)) {
        assert_eq!(id, id2);
        let case = after
            .iter()
            .find(|c| c["case_id"] == id.as_str())
            .expect("case");
        match was.as_str() {
            "ARRIVED" => assert_eq!(now, "UNDIAGNOSED", "{id}: arrived.rhai was deleted"),
            "SETTLEMENT_PENDING" | "BANK_IN_TRANSIT" => {
                let fired = case["findings"][0]["code"] == "VIP_LATE";
                if fired {
                    vip += 1;
                    assert_eq!(now, "VIP_LATE", "{id}: priority 5 comes first");
                    assert_eq!(case["findings"][0]["rule"], "vip-late");
                    assert_eq!(
                        case["findings"][1]["code"],
                        was.as_str(),
                        "{id}: the old finding stays"
                    );
                    assert!(
                        case["findings"][0]["evidence"]
                            .as_array()
                            .is_some_and(|e| !e.is_empty())
                    );
                } else {
                    assert_eq!(now, was, "{id}");
                }
            }
            _ => assert_eq!(now, was, "{id}"),
        }
    }
    assert!(vip >= 2, "VIP_LATE fired on {vip} cases");
    assert_eq!(summary["codes"]["VIP_LATE"]["cases"], vip);
    assert!(summary["codes"].get("ARRIVED").is_none());
    let ids: Vec<&str> = summary["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"vip-late") && !ids.contains(&"arrived"),
        "{ids:?}"
    );
}

#[test]
fn a_rule_that_does_not_compile_stops_the_run_before_any_work() {
    let rules = pack_copy();
    let good = std::fs::read_to_string(rules.path().join("arrived.rhai")).expect("rule");
    std::fs::write(
        rules.path().join("arrived.rhai"),
        good.replace("fn check(c) {", "fn check(c) {\n    let total = ;"),
    )
    .expect("write");
    let (code, stderr, cases, summary) = demo_with(rules.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("arrived.rhai:"), "{stderr}");
    assert!(
        stderr.contains("  |     let total = ;\n  |                 ^"),
        "{stderr}"
    );
    assert!(cases.is_empty() && summary.is_none(), "nothing is written");
}

/// Runs the demo with the pack plus one failing rule; checks the run completes, the failure
/// is recorded on every case the rule was called for, and the summary counts them.
fn failing_rule_is_recorded(body: &str, expect_in_message: &str) -> serde_json::Value {
    let rules = pack_copy();
    std::fs::write(
        rules.path().join("broken.rhai"),
        rule("broken", 1, "BROKEN", "{ has: [txn] }", body),
    )
    .expect("write rule");
    let started = std::time::Instant::now();
    let (code, stderr, cases, summary) = demo_with(rules.path());
    assert_eq!(code, Some(0), "the run goes on: {stderr}");
    let summary = summary.expect("summary");
    let failed: Vec<&serde_json::Value> = cases
        .iter()
        .filter(|c| c.get("rule_errors").is_some())
        .collect();
    assert!(failed.len() >= 10, "{} cases", failed.len());
    for c in &cases {
        let claim_only = [
            "NOT_FOUND_ON_PLATFORM",
            "PAID_TO_OTHER_PAYEE",
            "LIMIT_EXCEEDED",
        ]
        .contains(&c["status"].as_str().unwrap_or_default());
        assert_eq!(
            claim_only,
            c.get("rule_errors").is_none(),
            "`when: has txn`: {c}"
        );
    }
    for c in &failed {
        let errors = c["rule_errors"].as_array().expect("list");
        assert_eq!(errors.len(), 1, "{c}");
        assert_eq!(errors[0]["rule"], "broken");
        let message = errors[0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(expect_in_message) || message.contains("not run: switched off"),
            "{message}"
        );
        assert!(
            message.contains("broken.rhai:"),
            "names the rule file: {message}"
        );
        assert_ne!(c["status"], "BROKEN");
        assert_ne!(
            c["status"], "UNDIAGNOSED",
            "the other rules still speak: {c}"
        );
    }
    assert_eq!(summary["rule_errors"], failed.len());
    assert_eq!(summary["rule_errors_by_rule"]["broken"], failed.len());
    assert!(
        started.elapsed() < std::time::Duration::from_mins(1),
        "bounded"
    );
    summary
}

#[test]
fn a_runaway_loop_becomes_a_rule_error_on_each_case_and_the_run_finishes() {
    let summary = failing_rule_is_recorded(
        "    let n = 0;\n    loop { n += 1; }\n    []",
        "Too many operations",
    );
    let broken = summary["rules"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "broken"))
        .expect("the rule in the summary");
    // After five runaways in a batch of cases the rule is not called again in that batch.
    assert_eq!(broken["runaways"], 5, "{broken}");
    assert_eq!(broken["calls"], 5, "{broken}");
    assert_eq!(
        broken["not_run"].as_u64().unwrap_or(0) + 5,
        broken["errors"].as_u64().unwrap_or(0),
        "{broken}"
    );
}

#[test]
fn a_rule_reading_a_field_that_does_not_exist_is_a_rule_error() {
    let _ = failing_rule_is_recorded(
        "    if c.txn.colour == \"red\" { return []; }\n    []",
        "colour",
    );
}

#[test]
fn a_rule_trying_to_open_a_file_finds_no_such_function() {
    let _ = failing_rule_is_recorded(
        "    let text = open_file(\"/etc/passwd\");\n    []",
        "Function not found: open_file",
    );
}

#[test]
fn explain_shows_the_chain_and_what_every_rule_made_of_the_case() {
    let out_dir = tempfile::tempdir().expect("temp");
    let out = out_dir.path().join("out");
    let ran = run(qrecon()
        .current_dir(repo(""))
        .args(["run", "--config", "examples/qrecon.yaml", "--out"])
        .arg(&out));
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran).1);
    let cases = jsonl(&out.join("cases.jsonl"));
    let case = cases
        .iter()
        .find(|c| c["status"] == "BANK_IN_TRANSIT" && c["claim_id"].is_string())
        .expect("a claimed case in transit");
    let id = case["case_id"].as_str().expect("id");

    // From another folder: the run is repeated from out/summary.json.
    let shown = run(qrecon()
        .current_dir(out_dir.path())
        .args(["explain", id, "--out", "out"]));
    let (stdout, stderr) = text(&shown);
    assert_eq!(shown.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.starts_with(&format!("case {id}  —  status BANK_IN_TRANSIT")),
        "{stdout}"
    );
    assert!(stdout.contains("claim → txn by id (txn_id)"), "{stdout}");
    assert!(
        stdout.contains("examples/exports/claims_2026-11.csv:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fired       bank-in-transit (priority 140)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not called  arrived (priority 150): needs `bank`"),
        "{stdout}"
    );
    assert!(stdout.contains("silent      amount-mismatch"), "{stdout}");

    let shown = run(qrecon()
        .current_dir(out_dir.path())
        .args(["explain", id, "--out", "out", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    assert_eq!(doc["status"], case["status"]);
    assert_eq!(doc["status_in_run"], case["status"]);
    let rules = doc["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 16, "every case rule of the pack, once");
    let fired: Vec<&serde_json::Value> = rules.iter().filter(|r| r["outcome"] == "fired").collect();
    assert_eq!(fired.len(), 1);
    assert_eq!(
        fired[0]["detail"][0]["evidence"],
        case["findings"][0]["evidence"]
    );

    let missing =
        run(qrecon()
            .current_dir(out_dir.path())
            .args(["explain", "claim:NOPE", "--out", "out"]));
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing).1.contains("no case \"claim:NOPE\""));
}

#[test]
fn rules_check_points_out_rules_called_for_every_case_and_rules_without_fixtures() {
    let dir = tempfile::tempdir().expect("temp");
    let source = rule("greedy", 50, "GREEDY", "{ has: [txn] }", "    []")
        .replace("//! when: { has: [txn] }\n", "");
    std::fs::write(dir.path().join("greedy.rhai"), source).expect("write");
    let out = run(qrecon().args(["rules", "check"]).arg(dir.path()));
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings are not errors: {stderr}"
    );
    assert!(stderr.contains("greedy.rhai: no `when`"), "{stderr}");
    assert!(
        stderr.contains("no fixtures (greedy.test.yaml)"),
        "{stderr}"
    );
    assert!(stdout.contains("; 2 warning(s)"), "{stdout}");
}

#[test]
fn print_in_a_rule_goes_to_the_log_not_the_outputs() {
    let rules = pack_copy();
    std::fs::write(
        rules.path().join("chatty.rhai"),
        rule(
            "chatty",
            200,
            "CHATTY",
            "{ has: [claim] }",
            "    print(`looking at ${c.claim.claim_id}`);\n    []",
        ),
    )
    .expect("write rule");
    let (code, stderr, cases, _) = demo_with(rules.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("rule: looking at C-1001"), "{stderr}");
    assert!(cases.iter().all(|c| c.get("rule_errors").is_none()));
}
