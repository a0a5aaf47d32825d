//! The report files: the JUnit XML report (snapshot, well-formed with hostile text) and the
//! atomic writer of all three formats.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use quick_xml::events::Event;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::report;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::runner::{self, RunOptions, RunReport, Verdict};

fn run(mutant: Option<Mutant>, only: &[&str]) -> RunReport {
    let options = RunOptions {
        profile: Profile::Strict,
        seed: 1,
        only: only
            .iter()
            .map(|g| globset::Glob::new(g).unwrap().compile_matcher())
            .collect(),
    };
    runner::run(&ReferenceFactory::new(mutant), &catalogue(), &options)
}

/// Every event of `xml`, failing on anything that is not well-formed; the testcase names.
fn parse(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    for _ in 0..1_000_000 {
        match reader.read_event().unwrap() {
            Event::Eof => return names,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                let name = e
                    .attributes()
                    .map(|a| a.unwrap())
                    .find(|a| a.key.as_ref() == b"name")
                    .unwrap();
                names.push(
                    name.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                );
            }
            _ => {}
        }
    }
    panic!("the XML does not end");
}

#[test]
fn junit_report_of_a_mutant_run() {
    // Failures (REG-CD-15 and friends) and passes, in two sections.
    let report = run(Some(Mutant::RegSkipOrigin), &["REG-CD-1*"]);
    assert!(report.count(Verdict::Fail) > 0);
    let xml = report::to_junit(&report);
    let names = parse(&xml);
    assert_eq!(names.len(), report.results.len());
    insta::assert_snapshot!("junit_reg_skip_origin", xml);
}

#[test]
fn junit_report_of_the_reference_rp_is_well_formed_and_complete() {
    let report = run(None, &[]);
    let xml = report::to_junit(&report);
    let names = parse(&xml);
    assert_eq!(names.len(), report.results.len());
    assert!(
        xml.contains("<testsuite name=\"§7.1\""),
        "one suite per section"
    );
    assert!(!xml.contains("<failure"));
}

#[test]
fn junit_survives_hostile_text() {
    let mut report = run(None, &["REG-CD-1*"]);
    let nasty = "quote\" apos' <tag> &amp; ]]> \u{0}\u{7}\u{1b}[31m\r\n\ttab \u{fffe} é 😀";
    report.rp = nasty.to_owned();
    let verdicts = [Verdict::Fail, Verdict::Error, Verdict::Skip, Verdict::Warn];
    for (result, verdict) in report.results.iter_mut().zip(verdicts.into_iter().cycle()) {
        result.verdict = verdict;
        result.detail = nasty.to_owned();
        result.answer = nasty.to_owned();
    }
    let xml = report::to_junit(&report);
    let names = parse(&xml);
    assert_eq!(names.len(), report.results.len());
    for forbidden in ['\u{0}', '\u{7}', '\u{1b}', '\u{fffe}'] {
        assert!(!xml.contains(forbidden), "{forbidden:?} is not XML 1.0");
    }
    assert!(xml.contains("<skipped message=\"quote&quot; apos&apos; &lt;tag&gt; &amp;amp;"));
    assert!(xml.contains("<system-out>warning: "));
    assert!(xml.contains("<error message="));
}

#[test]
fn reports_are_written_atomically_in_four_formats() {
    let dir = std::env::temp_dir().join(format!("wac-reports-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let report = run(None, &["REG-CD-1*"]);
    // A stale file from an earlier run is replaced whole.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report.xml"), "half a rep").unwrap();
    report::write_all(&dir, &report).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["report.html", "report.json", "report.md", "report.xml"],
        "no partial files left"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.xml")).unwrap(),
        report::to_junit(&report)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.json")).unwrap(),
        report::to_json_text(&report)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.html")).unwrap(),
        report::to_html(&report)
    );
    // A directory that cannot be created is an error, not a panic.
    let blocked = dir.join("report.json").join("sub");
    assert!(report::write_all(&blocked, &report).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
