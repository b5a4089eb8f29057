//! `qrecon rules`: the shipped pack checks clean; a broken rule stops with its position.

use qrecon_e2e::{qrecon, repo, run, text};

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
