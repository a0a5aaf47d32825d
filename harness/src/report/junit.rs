//! The JUnit XML report, so CI systems show one test per check: a `<testsuite>` per spec
//! section, a `<testcase>` per check (classname = the section, name = check ID and title),
//! `<failure>`, `<error>` or `<skipped>` with the detail, and warnings as `<system-out>` plus a
//! `verdict` property. Times are 0: reports carry no wall-clock time.

use crate::runner::{CheckResult, RunReport, Verdict};

use super::TOOL_NAME;

/// The JUnit XML text, with a final newline.
pub fn to_junit(report: &RunReport) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // A stale expectations entry fails the run (exit 1), so it is a failing test case too.
    let stale = report.stale_expectations.len();
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">\n",
        attr(&format!("{TOOL_NAME}: {}", report.rp)),
        report.results.len() + stale,
        report.count(Verdict::Fail) + stale,
        report.count(Verdict::Error),
        report.count(Verdict::Skip)
            + report.count(Verdict::Expected)
            + report.count(Verdict::Inconclusive),
    ));
    for section in super::sections(report) {
        let results: Vec<&CheckResult> = report
            .results
            .iter()
            .filter(|r| r.spec.section.number() == section)
            .collect();
        let count = |v: Verdict| results.iter().filter(|r| r.verdict == v).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">\n",
            attr(section),
            results.len(),
            count(Verdict::Fail),
            count(Verdict::Error),
            count(Verdict::Skip) + count(Verdict::Expected) + count(Verdict::Inconclusive),
        ));
        out.push_str(&format!(
            "    <properties>\n      <property name=\"rp\" value=\"{}\"/>\n      <property name=\"profile\" value=\"{}\"/>\n      <property name=\"seed\" value=\"{}\"/>\n    </properties>\n",
            attr(&report.rp),
            report.profile.name(),
            report.seed
        ));
        for r in results {
            testcase(&mut out, report, section, r);
        }
        if let Some(why) = &report.interrupted {
            out.push_str(&format!(
                "    <system-err>interrupted: {}</system-err>\n",
                text(why)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    if stale > 0 {
        out.push_str(&format!(
            "  <testsuite name=\"expectations\" tests=\"{stale}\" failures=\"{stale}\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
        ));
        for entry in &report.stale_expectations {
            out.push_str(&format!(
                "    <testcase classname=\"expectations\" name=\"stale {}\" time=\"0\">\n      <failure message=\"{}\" type=\"stale\">{}</failure>\n    </testcase>\n",
                attr(&entry.check),
                attr(&entry.to_string()),
                text(&format!("{entry}\nreason: {}", entry.reason))
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn testcase(out: &mut String, report: &RunReport, section: &str, r: &CheckResult) {
    out.push_str(&format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        attr(section),
        attr(&format!("{} {}", r.id, r.title))
    ));
    let body = format!(
        "spec: {} step {} ({}), expect {}\n{}\nreplay: {}",
        r.spec.url(),
        r.spec.step,
        r.level.name(),
        r.expect.name(),
        r.detail,
        report.replay_command(r.id)
    );
    match r.verdict {
        Verdict::Pass => out.push_str("/>\n"),
        Verdict::Fail => out.push_str(&format!(
            ">\n      <failure message=\"{}\" type=\"fail\">{}</failure>\n    </testcase>\n",
            attr(&r.detail),
            text(&body)
        )),
        Verdict::Error => out.push_str(&format!(
            ">\n      <error message=\"{}\" type=\"error\">{}</error>\n    </testcase>\n",
            attr(&r.detail),
            text(&body)
        )),
        Verdict::Skip => out.push_str(&format!(
            ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
            attr(&r.detail)
        )),
        // A tracked deviation: skipped (as an expected failure is), with its reason.
        Verdict::Expected => {
            let (happened, reason) = r
                .deviation
                .as_ref()
                .map(|(v, why)| (v.name(), why.as_str()))
                .unwrap_or(("?", ""));
            out.push_str(&format!(
                ">\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    </testcase>\n",
                attr(&format!("expected {happened}: {reason}")),
                text(&body)
            ));
        }
        // Not judged, like a skip, with the control's answer: it neither passes nor fails.
        Verdict::Inconclusive => out.push_str(&format!(
            ">\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    </testcase>\n",
            attr(&format!("inconclusive: {}", r.detail)),
            text(&body)
        )),
        Verdict::Warn => out.push_str(&format!(
            ">\n      <properties>\n        <property name=\"verdict\" value=\"warn\"/>\n      </properties>\n      <system-out>warning: {}</system-out>\n    </testcase>\n",
            text(&body)
        )),
    }
}

/// Escapes element text.
pub(crate) fn text(raw: &str) -> String {
    escape(raw, false)
}

/// Escapes an attribute value (double-quoted); line breaks and tabs survive as references.
pub(crate) fn attr(raw: &str) -> String {
    escape(raw, true)
}

/// `&`, `<`, `>`, quotes escaped; characters XML 1.0 cannot carry at all (most C0 controls,
/// U+FFFE, U+FFFF) written visibly as `\u{..}`, since no character reference may name them.
fn escape(raw: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\r' | '\t' if attribute => out.push_str(&format!("&#{};", u32::from(c))),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                out.extend(c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            text("a<b>&\"c\"'d'\u{0}\u{1b}\r\n\t"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\\u{0}\\u{1b}&#13;\n\t"
        );
        assert_eq!(attr("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
        assert_eq!(text("\u{fffe}é€😀"), "\\u{fffe}é€😀");
        assert_eq!(text("]]>"), "]]&gt;");
    }
}
