//! The HTML report: one self-contained static page (styles and script inline, no network, no
//! external asset), rendered from the JSON report so that `cargo xtask site` renders committed
//! `report.json` files with the same code as `run` does.
//!
//! The page lists the checks that need attention first (failures, then errors, warnings and
//! inconclusive checks), each with what was sent and answered, its control, the Level 3 step's
//! words and the replay command; then the known deviations; then every check in one table.
//! Checkboxes (verdicts), a section list and a search box filter all three; without script
//! every check is shown. Like the other reports it holds no wall-clock time, so the same run
//! gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::checks::{Check, bugs, catalogue};

/// The verdicts in the order the filters show them, worst first.
const VERDICTS: [&str; 7] = [
    "fail",
    "error",
    "warn",
    "inconclusive",
    "expected",
    "skip",
    "pass",
];

/// Escapes text for HTML element content and attribute values: the JUnit report's escaping
/// (markup characters, quotes, line breaks as references, and characters neither XML nor HTML
/// may carry written visibly), which is as right for HTML.
pub fn escape(text: &str) -> String {
    super::junit::attr(text)
}

/// A whole page: `title`, the shared styles, `body`, and `script` (if any) inline.
pub fn page(title: &str, body: &str, script: &str) -> String {
    let script = if script.is_empty() {
        String::new()
    } else {
        format!("<script>{script}</script>\n")
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}{script}</body>\n</html>\n",
        escape(title)
    )
}

/// The report page for one run, from its JSON report ([`super::to_json`]).
pub fn from_json(report: &Json) -> String {
    let checks = catalogue();
    let by_id: BTreeMap<&str, &Check> = checks.iter().map(|c| (c.id, c)).collect();
    let results: Vec<Row<'_>> = report
        .get("results")
        .and_then(Json::as_array)
        .map(|results| results.iter().map(|r| Row::new(r, &by_id)).collect())
        .unwrap_or_default();
    let rp = text(report, &["rp", "name"]);
    let title = format!("WebAuthn RP conformance: {rp}");
    let mut body = format!(
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{} {} · profile <code>{}</code> · seed {}</p>\n</header>\n",
        escape(&title),
        escape(&text(report, &["tool", "name"])),
        escape(&text(report, &["tool", "version"])),
        escape(&text(report, &["profile"])),
        escape(&text(report, &["seed"])),
    );
    body.push_str(&summary(report, results.len()));
    if let Some(why) = report.get("interrupted").and_then(Json::as_str) {
        let _ = writeln!(
            body,
            "<p id=\"interrupted\" class=\"banner\"><strong>Interrupted</strong>: {}. Only the \
             checks done are reported.</p>",
            escape(why)
        );
    }
    body.push_str(&stale(report));
    body.push_str(&filters(&results));
    body.push_str(&attention(&results));
    body.push_str(&deviations(&results));
    body.push_str(&table(&results));
    page(&title, &body, SCRIPT)
}

/// One result as the page shows it.
struct Row<'a> {
    json: &'a Json,
    id: String,
    verdict: String,
    section: &'static str,
    check: Option<&'a Check>,
}

impl<'a> Row<'a> {
    fn new(json: &'a Json, by_id: &BTreeMap<&str, &'a Check>) -> Self {
        let id = text(json, &["id"]);
        let check = by_id.get(id.as_str()).copied();
        Row {
            json,
            verdict: text(json, &["verdict"]),
            // The section comes from the catalogue (the JSON holds the anchor only).
            section: check.map_or("§?", |c| c.spec.section.number()),
            check,
            id,
        }
    }

    fn get(&self, path: &[&str]) -> String {
        text(self.json, path)
    }

    /// The attributes the filters read.
    fn data(&self) -> String {
        format!(
            "data-verdict=\"{}\" data-section=\"{}\" data-text=\"{}\"",
            escape(&self.verdict),
            escape(self.section),
            escape(&format!("{} {}", self.id, self.get(&["title"])).to_lowercase()),
        )
    }

    fn spec_link(&self) -> String {
        let anchor = self.get(&["spec", "anchor"]);
        format!(
            "<a href=\"https://www.w3.org/TR/webauthn-3/#{}\">{} step {}</a>",
            escape(&anchor),
            escape(self.section),
            escape(&self.get(&["spec", "step"]))
        )
    }
}

/// A string member at `path` (numbers as their text), or empty.
fn text(json: &Json, path: &[&str]) -> String {
    let mut at = json;
    for key in path {
        match at.get(key) {
            Some(next) => at = next,
            None => return String::new(),
        }
    }
    match at {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// Sections in the spec's order (§2.1 before §13.5.3), each once.
fn sections(results: &[Row<'_>]) -> Vec<&'static str> {
    let mut sections: Vec<&'static str> = results.iter().map(|r| r.section).collect();
    sections.sort_by_cached_key(|s| super::section_key(s));
    sections.dedup();
    sections
}

fn summary(report: &Json, total: usize) -> String {
    let mut out = String::from("<table id=\"summary\">\n<thead><tr><th>total</th>");
    for verdict in VERDICTS {
        let _ = write!(out, "<th>{verdict}</th>");
    }
    let _ = write!(out, "</tr></thead>\n<tbody><tr><td>{total}</td>");
    for verdict in VERDICTS {
        let _ = write!(
            out,
            "<td class=\"v-{verdict}\" data-count=\"{verdict}\">{}</td>",
            escape(&text(report, &["summary", verdict]))
        );
    }
    out.push_str("</tr></tbody>\n</table>\n");
    out
}

fn stale(report: &Json) -> String {
    let stale = report
        .get("staleExpectations")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    if stale.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<section id=\"stale\" class=\"banner\">\n<h2>Stale expectations</h2>\n<ul>\n",
    );
    for entry in &stale {
        let actual = match text(entry, &["actual"]) {
            a if a.is_empty() => "not run".to_owned(),
            a => a,
        };
        let _ = writeln!(
            out,
            "<li><code>{}</code>: the expectations file says {}, the run gave {} ({})</li>",
            escape(&text(entry, &["check"])),
            escape(&text(entry, &["expected"])),
            escape(&actual),
            escape(&text(entry, &["reason"])),
        );
    }
    out.push_str("</ul>\n</section>\n");
    out
}

fn filters(results: &[Row<'_>]) -> String {
    let mut out =
        String::from("<nav id=\"filters\">\n<fieldset id=\"verdicts\"><legend>verdicts</legend>\n");
    for verdict in VERDICTS {
        let n = results.iter().filter(|r| r.verdict == verdict).count();
        let _ = writeln!(
            out,
            "<label class=\"v-{verdict}\"><input type=\"checkbox\" name=\"verdict\" value=\"{verdict}\" checked> {verdict} ({n})</label>"
        );
    }
    out.push_str(
        "</fieldset>\n<label>section <select id=\"section\">\n<option value=\"\">all sections</option>\n",
    );
    for section in sections(results) {
        let n = results.iter().filter(|r| r.section == section).count();
        let _ = writeln!(
            out,
            "<option value=\"{0}\">{0} ({n})</option>",
            escape(section)
        );
    }
    let _ = write!(
        out,
        "</select></label>\n<label>search <input id=\"search\" type=\"search\" placeholder=\"ID or title\"></label>\n\
         <output id=\"shown\">{0} of {0} checks shown</output>\n</nav>\n",
        results.len()
    );
    out
}

/// Worst first: the order the page lists the checks that need attention in.
fn severity(verdict: &str) -> usize {
    VERDICTS
        .iter()
        .position(|v| *v == verdict)
        .unwrap_or(VERDICTS.len())
}

fn attention(results: &[Row<'_>]) -> String {
    let mut problems: Vec<&Row<'_>> = results
        .iter()
        .filter(|r| {
            matches!(
                r.verdict.as_str(),
                "fail" | "error" | "warn" | "inconclusive"
            )
        })
        .collect();
    if problems.is_empty() {
        return String::new();
    }
    // A stable sort: within a verdict, catalogue order.
    problems.sort_by_key(|r| severity(&r.verdict));
    let mut out = String::from(
        "<section id=\"attention\">\n<h2>Failures, errors, warnings and inconclusive checks</h2>\n",
    );
    for r in problems {
        out.push_str(&block_head(r, "problem", &r.verdict));
        item(&mut out, "what happened", &escape(&r.get(&["detail"])));
        let variant = r.get(&["variant"]);
        if !variant.is_empty() {
            item(&mut out, "spelling of the fault", &escape(&variant));
        }
        if r.json.get("control").is_some() {
            item(
                &mut out,
                "control (the same ceremony without the fault)",
                &format!(
                    "sent {}; {}",
                    escape(&r.get(&["control", "sent"])),
                    escape(&r.get(&["control", "answer"]))
                ),
            );
        }
        item(
            &mut out,
            "replay",
            &format!(
                "<code class=\"replay\">{}</code>",
                escape(&r.get(&["replay"]))
            ),
        );
        for bug in bugs::for_check(&r.id) {
            item(
                &mut out,
                "known bug",
                &format!(
                    "#{} ({}): {}",
                    bug.number,
                    escape(bug.family),
                    link(bug.source)
                ),
            );
        }
        out.push_str("</dl>\n</article>\n");
    }
    out.push_str("</section>\n");
    out
}

fn deviations(results: &[Row<'_>]) -> String {
    let expected: Vec<&Row<'_>> = results.iter().filter(|r| r.verdict == "expected").collect();
    if expected.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<section id=\"deviations\">\n<h2>Known deviations (expectations file)</h2>\n",
    );
    for r in expected {
        let happened = format!("expected {}", r.get(&["deviation", "verdict"]));
        out.push_str(&block_head(r, "deviation", &happened));
        item(&mut out, "what happened", &escape(&r.get(&["detail"])));
        item(
            &mut out,
            "what the library does instead",
            &escape(&r.get(&["deviation", "reason"])),
        );
        out.push_str("</dl>\n</article>\n");
    }
    out.push_str("</section>\n");
    out
}

/// An article's heading and the start of its list: spec step, level, expected outcome and the
/// step's own words.
fn block_head(r: &Row<'_>, class: &str, verdict: &str) -> String {
    let mut out = format!(
        "<article class=\"{class}\" id=\"{class}-{}\" {}>\n<h3><code>{}</code> <span class=\"v-{}\">{}</span>: {}</h3>\n<dl>\n",
        escape(&r.id),
        r.data(),
        escape(&r.id),
        escape(&r.verdict),
        escape(verdict),
        escape(&r.get(&["title"]))
    );
    item(
        &mut out,
        "spec",
        &format!(
            "{} ({}), expect {}",
            r.spec_link(),
            escape(&r.get(&["level"])),
            escape(&r.get(&["expect"]))
        ),
    );
    if let Some(quote) = r.check.map(Check::quote).filter(|q| !q.is_empty()) {
        item(
            &mut out,
            "the step says",
            &format!("<q>{}</q>", escape(quote)),
        );
    }
    out
}

fn item(out: &mut String, term: &str, definition: &str) {
    let _ = writeln!(out, "<dt>{term}</dt><dd>{definition}</dd>");
}

/// A link when `source` is a URL, else the text.
fn link(source: &str) -> String {
    if source.starts_with("https://") || source.starts_with("http://") {
        format!("<a href=\"{0}\">{0}</a>", escape(source))
    } else {
        escape(source)
    }
}

fn table(results: &[Row<'_>]) -> String {
    let mut out = String::from(
        "<section id=\"all\">\n<h2>All checks</h2>\n<table id=\"results\">\n<thead><tr><th>check</th><th>what is sent</th><th>spec</th><th>expect</th><th>verdict</th><th>detail</th></tr></thead>\n<tbody>\n",
    );
    let mut ordered: Vec<&Row<'_>> = results.iter().collect();
    ordered.sort_by_cached_key(|r| super::section_key(r.section));
    for r in ordered {
        let _ = writeln!(
            out,
            "<tr id=\"check-{id}\" {data}><td><code>{id}</code></td><td>{title}</td><td>{spec}</td><td>{expect}</td><td class=\"v-{verdict}\">{verdict}</td><td>{detail}</td></tr>",
            id = escape(&r.id),
            data = r.data(),
            title = escape(&r.get(&["title"])),
            spec = r.spec_link(),
            expect = escape(&r.get(&["expect"])),
            verdict = escape(&r.verdict),
            detail = escape(&r.get(&["detail"])),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    out
}

/// The page's styles: readable without them, and nothing loaded from elsewhere.
pub const STYLE: &str = "
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:80rem;padding:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:.2rem 0}.meta{color:#555;margin-top:0}
code{font:13px/1.4 ui-monospace,monospace;background:#f3f3f3;padding:0 .2rem;border-radius:3px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f6f6;position:sticky;top:0}
#summary{width:auto}#summary td{text-align:right;min-width:3.5rem}
nav#filters{position:sticky;top:0;z-index:1;background:#fff;padding:.5rem 0;border-bottom:1px solid #ddd;display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center}
fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem}legend{float:left;margin-right:.6rem;color:#555}
article{border:1px solid #ddd;border-left-width:6px;border-radius:4px;padding:.5rem .8rem;margin:.8rem 0}
article[data-verdict=fail]{border-left-color:#c62828}article[data-verdict=error]{border-left-color:#6a1b9a}
article[data-verdict=warn]{border-left-color:#ef6c00}article[data-verdict=inconclusive]{border-left-color:#607d8b}
article.deviation{border-left-color:#1565c0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.4rem 0}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}
.replay{user-select:all}.banner{background:#fff3e0;border:1px solid #ef6c00;padding:.5rem .8rem;border-radius:4px}
.v-fail{color:#c62828;font-weight:600}.v-error{color:#6a1b9a;font-weight:600}.v-warn{color:#ef6c00;font-weight:600}
.v-inconclusive{color:#607d8b}.v-expected{color:#1565c0}.v-skip{color:#777}.v-pass{color:#2e7d32}
[hidden]{display:none!important}
";

/// The filters: a check is shown when its verdict is ticked, its section selected (or all) and
/// its ID or title holds the search text. One function applies them to the three lists.
const SCRIPT: &str = "
(function(){
  var boxes=document.querySelectorAll('#verdicts input');
  var section=document.getElementById('section');
  var search=document.getElementById('search');
  var shown=document.getElementById('shown');
  function apply(){
    var on={};boxes.forEach(function(b){on[b.value]=b.checked;});
    var s=section.value,q=search.value.trim().toLowerCase(),n=0,total=0;
    document.querySelectorAll('[data-verdict]').forEach(function(el){
      var keep=on[el.dataset.verdict]!==false&&(!s||el.dataset.section===s)&&(!q||el.dataset.text.indexOf(q)>=0);
      el.hidden=!keep;
      if(el.tagName==='TR'){total++;if(keep)n++;}
    });
    shown.textContent=n+' of '+total+' checks shown';
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  section.addEventListener('change',apply);
  search.addEventListener('input',apply);
  apply();
})();
";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere_and_escapes_the_rp_name() {
        let report = serde_json::json!({
            "tool": {"name": "webauthn-conformance", "version": "0"},
            "rp": {"name": "<script>alert(1)</script>"},
            "profile": "strict", "seed": 1,
            "summary": {"total": 1, "fail": 1},
            "results": [{"id": "REG-CD-01", "title": "t", "spec": {"anchor": "sctn-registering-a-new-credential", "step": "7"},
                          "level": "must", "expect": "reject", "verdict": "fail", "detail": "sent x; accepted",
                          "replay": "webauthn-conformance run --only REG-CD-01"}],
        });
        let html = from_json(&report);
        assert!(!html.contains("<script>alert"), "the RP name is escaped");
        for external in ["<link", "src=", "@import", "url("] {
            assert!(!html.contains(external), "{external} in the page");
        }
        assert!(html.contains("id=\"problem-REG-CD-01\""));
        assert!(
            html.contains(
                "<code class=\"replay\">webauthn-conformance run --only REG-CD-01</code>"
            )
        );
        assert!(html.contains("<option value=\"§7.1\">§7.1 (1)</option>"));
    }
}
