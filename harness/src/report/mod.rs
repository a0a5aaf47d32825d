//! Reports of a run: JSON (the shape later tools rely on) and Markdown. No wall-clock time and
//! no map with unordered keys goes into them, so the same seed gives the same bytes.

pub mod html;
pub mod junit;

use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};

use crate::checks::{bugs, quote};
use crate::runner::{RunReport, Verdict};

/// The tool's name in reports.
pub const TOOL_NAME: &str = "webauthn-conformance";

pub use junit::to_junit;

/// Why reports could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The directory could not be created.
    #[error("cannot create {}: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A report file could not be written or moved into place.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The report file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// The file names [`write_all`] writes.
pub const FILE_NAMES: [&str; 4] = ["report.json", "report.md", "report.xml", "report.html"];

/// Writes report.json, report.md, report.xml (JUnit) and report.html into `out`, each
/// atomically: written
/// to a temporary file in the same directory, then renamed over the target, so a killed run
/// never leaves a half-written report.
pub fn write_all(out: &Path, report: &RunReport) -> Result<(), ReportError> {
    std::fs::create_dir_all(out).map_err(|source| ReportError::CreateDir {
        path: out.to_owned(),
        source,
    })?;
    let texts = [
        to_json_text(report),
        to_markdown(report),
        to_junit(report),
        to_html(report),
    ];
    for (name, text) in FILE_NAMES.into_iter().zip(texts) {
        write_atomically(&out.join(name), &text)?;
    }
    Ok(())
}

/// Whether reports can be written to `out`: creates the directory and writes and removes a
/// probe file there, so a run is refused before its first request rather than lost after its
/// last.
pub fn check_writable(out: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(out).map_err(|source| ReportError::CreateDir {
        path: out.to_owned(),
        source,
    })?;
    let probe = out.join(format!(".write-probe.{}", std::process::id()));
    std::fs::write(&probe, b"probe")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|source| ReportError::Write {
            path: probe.clone(),
            source,
        })
}

/// Writes `text` to `path` through a temporary file beside it and a rename.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), ReportError> {
    let error = |source| ReportError::Write {
        path: path.to_owned(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let written = std::fs::write(&partial, text).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map_err(error)
}

/// The JSON report:
/// `{"tool":{"name","version"},"rp":{"name"},"profile","seed","summary":{...},"results":[...]}`.
pub fn to_json(report: &RunReport) -> Json {
    let results: Vec<Json> = report
        .results
        .iter()
        .map(|r| {
            let mut entry = json!({
                "id": r.id,
                "title": r.title,
                "spec": {"anchor": r.spec.section.anchor(), "step": r.spec.step.to_string()},
                "level": r.level.name(),
                "expect": r.expect.name(),
                "verdict": r.verdict.name(),
                "detail": r.detail,
            });
            if let (Some(variant), Json::Object(map)) = (&r.variant, &mut entry) {
                map.insert("variant".into(), json!(variant));
            }
            if let (Some(control), Json::Object(map)) = (&r.control, &mut entry) {
                map.insert(
                    "control".into(),
                    json!({
                        "sent": control.sent,
                        "answer": control.answer,
                        "accepted": control.accepted,
                    }),
                );
            }
            if let (Some((verdict, reason)), Json::Object(map)) = (&r.deviation, &mut entry) {
                map.insert(
                    "deviation".into(),
                    json!({"verdict": verdict.name(), "reason": reason}),
                );
            }
            let advisories: Vec<&str> = bugs::for_check(r.id).map(|b| b.source).collect();
            if let (false, Json::Object(map)) = (advisories.is_empty(), &mut entry) {
                map.insert("advisories".into(), json!(advisories));
            }
            if r.verdict.needs_attention()
                && let Json::Object(map) = &mut entry
            {
                map.insert("replay".into(), json!(report.replay_command(r.id)));
            }
            entry
        })
        .collect();
    let mut json = json!({
        "tool": {"name": TOOL_NAME, "version": env!("CARGO_PKG_VERSION")},
        "rp": {"name": report.rp},
        "profile": report.profile.name(),
        "seed": report.seed,
        "summary": {
            "total": report.results.len(),
            "pass": report.count(Verdict::Pass),
            "fail": report.count(Verdict::Fail),
            "warn": report.count(Verdict::Warn),
            "error": report.count(Verdict::Error),
            "skip": report.count(Verdict::Skip),
            "expected": report.count(Verdict::Expected),
            "inconclusive": report.count(Verdict::Inconclusive),
        },
        "staleExpectations": report
            .stale_expectations
            .iter()
            .map(|s| json!({
                "check": s.check,
                "expected": s.expected.name(),
                "actual": s.actual.map(Verdict::name),
                "reason": s.reason,
            }))
            .collect::<Vec<_>>(),
        "results": results,
    });
    // Only a partial run carries the member, so complete runs keep their bytes.
    if let (Some(why), Json::Object(map)) = (&report.interrupted, &mut json) {
        map.insert("interrupted".into(), json!(why));
    }
    json
}

/// The HTML report ([`html`]): one self-contained page.
pub fn to_html(report: &RunReport) -> String {
    html::from_json(&to_json(report))
}

/// The JSON report as pretty text with a final newline.
pub fn to_json_text(report: &RunReport) -> String {
    let mut text = serde_json::to_string_pretty(&to_json(report)).unwrap_or_default();
    text.push('\n');
    text
}

/// Where a section (`§13.5.3`) sorts: numbered parts compare as numbers, so §2.1 comes before
/// §13.5.3.
pub(crate) fn section_key(section: &str) -> (Vec<u32>, String) {
    let numbers = section
        .trim_start_matches('§')
        .split('.')
        .map_while(|part| part.parse().ok())
        .collect();
    (numbers, section.to_owned())
}

/// The spec sections the results cite, each once, in the spec's order.
pub(crate) fn sections(report: &RunReport) -> Vec<&'static str> {
    let mut sections: Vec<&'static str> = report
        .results
        .iter()
        .map(|r| r.spec.section.number())
        .collect();
    sections.sort_by_cached_key(|s| section_key(s));
    sections.dedup();
    sections
}

/// The column heads of [`count_cells`], Markdown-separated.
pub const COUNT_HEADS: &str = "total | pass | inconclusive | fail | warn | error | skip | expected";

/// The run's counts as Markdown table cells under [`COUNT_HEADS`]: `353 | 353 | 0 | ...`.
pub fn count_cells(report: &RunReport) -> String {
    let counts = [
        report.results.len(),
        report.count(Verdict::Pass),
        report.count(Verdict::Inconclusive),
        report.count(Verdict::Fail),
        report.count(Verdict::Warn),
        report.count(Verdict::Error),
        report.count(Verdict::Skip),
        report.count(Verdict::Expected),
    ];
    counts.map(|n| n.to_string()).join(" | ")
}

/// The Markdown report: a summary, then one table per spec section.
pub fn to_markdown(report: &RunReport) -> String {
    let mut out = format!(
        "# WebAuthn RP conformance: {}\n\n{} {} · profile `{}` · seed {}\n\n",
        report.rp,
        TOOL_NAME,
        env!("CARGO_PKG_VERSION"),
        report.profile.name(),
        report.seed
    );
    out.push_str(&format!(
        "| {COUNT_HEADS} |\n|---|---|---|---|---|---|---|---|\n| {} |\n",
        count_cells(report)
    ));
    if let Some(why) = &report.interrupted {
        out.push_str(&format!(
            "\n**Interrupted**: {why}. Only the checks done are reported.\n"
        ));
    }
    for stale in &report.stale_expectations {
        out.push_str(&format!("\n**Stale expectation** {stale}\n"));
    }
    for section in sections(report) {
        out.push_str(&format!(
            "\n## {section}\n\n| check | what is sent | spec | expect | verdict | detail |\n|---|---|---|---|---|---|\n"
        ));
        for r in report
            .results
            .iter()
            .filter(|r| r.spec.section.number() == section)
        {
            let verdict = match (r.verdict, &r.deviation) {
                (Verdict::Pass, _) => "pass".to_owned(),
                (Verdict::Fail, _) => "**FAIL**".to_owned(),
                (Verdict::Warn, _) => "warn (SHOULD)".to_owned(),
                (Verdict::Error, _) => "**ERROR**".to_owned(),
                (Verdict::Skip, _) => "skip".to_owned(),
                (Verdict::Expected, Some((happened, reason))) => {
                    format!("expected {}: {}", happened.name(), cell(reason))
                }
                (Verdict::Expected, None) => "expected".to_owned(),
                (Verdict::Inconclusive, _) => "inconclusive".to_owned(),
            };
            out.push_str(&format!(
                "| `{}` | {} | [{} {}]({}) | {} | {} | {} |\n",
                r.id,
                cell(r.title),
                section,
                cell(&r.spec.step.to_string()),
                r.spec.url(),
                r.expect.name(),
                verdict,
                cell(&r.detail)
            ));
        }
    }
    out.push_str(&problems(report));
    out.push_str(&deviations(report));
    out
}

/// The head of a problem's or deviation's block: `### ID verdict: title`, the spec step with
/// its link, level and expected outcome, and the step's words.
fn block_head(r: &crate::runner::CheckResult, verdict: &str) -> String {
    format!(
        "\n### `{}` {verdict}: {}\n\n- spec: [{} step {}]({}) ({}), expect {}\n{}",
        r.id,
        r.title,
        r.spec.section.number(),
        r.spec.step,
        r.spec.url(),
        r.level.name(),
        r.expect.name(),
        says(r),
    )
}

/// `- the step says: "…"`: the sentence of the cited step whose keyword sets the check's level
/// (`checks::quote`), so a reader weighs a verdict or a deviation against L3's own words.
fn says(r: &crate::runner::CheckResult) -> String {
    match quote::quote(r.id, r.spec) {
        "" => String::new(),
        q => format!("- the step says: \"{q}\"\n"),
    }
}

/// One block per known deviation (an expectations-file entry that matched): the step's own
/// words next to what the library does instead.
fn deviations(report: &RunReport) -> String {
    let mut out = String::new();
    let expected = report.results.iter().filter_map(|r| match &r.deviation {
        Some((happened, reason)) if r.verdict == Verdict::Expected => Some((r, happened, reason)),
        _ => None,
    });
    for (index, (r, happened, reason)) in expected.enumerate() {
        if index == 0 {
            out.push_str("\n## Known deviations (expectations file)\n");
        }
        out.push_str(&block_head(r, &format!("expected {}", happened.name())));
        out.push_str(&format!(
            "- what the library does instead: {reason}\n- replay: `{}`\n",
            report.replay_command(r.id)
        ));
    }
    out
}

/// One block per failure, warning and error: what was sent, what the RP answered, the spec step
/// and the command that replays just that check.
fn problems(report: &RunReport) -> String {
    let mut out = String::new();
    let problems = report
        .results
        .iter()
        .filter(|r| r.verdict.needs_attention());
    for (index, r) in problems.enumerate() {
        if index == 0 {
            out.push_str("\n## Failures, warnings, errors and inconclusive checks\n");
        }
        out.push_str(&block_head(r, r.verdict.name()));
        if !r.sent.is_empty() {
            out.push_str(&format!("- sent: {}\n", r.sent));
        }
        if let Some(variant) = &r.variant {
            out.push_str(&format!("- spelling of the fault: {variant}\n"));
        }
        if let Some(control) = &r.control {
            out.push_str(&format!(
                "- control (the same ceremony without the fault): sent {}; {}\n",
                control.sent, control.answer
            ));
        }
        out.push_str(&format!(
            "- answer: {}\n- replay: `{}`\n",
            r.answer,
            report.replay_command(r.id)
        ));
        for bug in bugs::for_check(r.id) {
            out.push_str(&format!(
                "- known bug #{} ({}): {}\n",
                bug.number, bug.family, bug.source
            ));
        }
    }
    out
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
