//! `cargo xtask site [--out DIR]`: the committed reports (`reports/`) as a static site: an
//! `index.html` with the matrix (counts per RP and profile, one row per check, a column per RP)
//! and every RP's report page, rendered from its `report.json` by the harness's own HTML report
//! ([`webauthn_conformance::report::html`]). Nothing in it is loaded from elsewhere.

use std::fmt::Write as _;
use std::path::Path;

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::report::html::{self, escape};

use crate::peers::{
    Column, PEERS, PROFILES, cell, in_process, plain_verdict, read_column, relative,
};

/// Writes the site into `out`; the number of pages written.
pub fn render(reports: &Path, out: &Path) -> Result<usize, String> {
    let folders: Vec<&str> = in_process().chain(PEERS.iter().map(|p| p.name)).collect();
    let columns: Vec<Column> = folders
        .iter()
        .map(|folder| read_column(reports, folder))
        .collect::<Result<_, _>>()?;
    let mut pages = 0;
    for folder in &folders {
        for (_, sub) in PROFILES {
            let from = reports.join(relative(folder, sub, "report.json"));
            let text =
                std::fs::read_to_string(&from).map_err(|e| format!("{}: {e}", from.display()))?;
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", from.display()))?;
            write(
                &out.join(relative(folder, sub, "report.html")),
                &html::from_json(&json),
            )?;
            pages += 1;
        }
    }
    write(&out.join("index.html"), &index(&columns))?;
    Ok(pages + 1)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The matrix page.
fn index(columns: &[Column]) -> String {
    let mut body = String::from(
        "<header>\n<h1>WebAuthn RP conformance matrix</h1>\n<p class=\"meta\">Each relying \
         party run in both profiles with seed 1: <code>strict</code> holds it to W3C WebAuthn \
         Level 3 as written, <code>fido</code> to the FIDO conformance tool where that departs \
         from Level 3. A cell is one verdict when both profiles agree, else <code>strict / \
         fido</code>; – where the check does not apply.</p>\n</header>\n",
    );
    body.push_str(
        "<h2>Counts</h2>\n<table id=\"counts\">\n<thead><tr><th>RP</th><th>profile</th><th>total</th><th>pass</th><th>inconclusive</th><th>fail</th><th>warn</th><th>error</th><th>skip</th><th>expected</th></tr></thead>\n<tbody>\n",
    );
    for column in columns {
        for (profile, summary, _) in &column.profiles {
            let sub = if profile == "strict" { "" } else { "fido" };
            let _ = write!(
                body,
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td>",
                escape(&relative(&column.folder, sub, "report.html")),
                escape(&column.name),
                escape(profile)
            );
            for key in [
                "total",
                "pass",
                "inconclusive",
                "fail",
                "warn",
                "error",
                "skip",
                "expected",
            ] {
                let _ = write!(
                    body,
                    "<td class=\"v-{key}\">{}</td>",
                    summary[key].as_u64().unwrap_or(0)
                );
            }
            body.push_str("</tr>\n");
        }
    }
    body.push_str("</tbody>\n</table>\n<h2>Checks</h2>\n<table id=\"matrix\">\n<thead><tr><th>check</th><th>spec</th>");
    for column in columns {
        let _ = write!(body, "<th>{}</th>", escape(&column.folder));
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for check in catalogue() {
        let _ = write!(
            body,
            "<tr id=\"check-{id}\"><td><code>{id}</code></td><td><a href=\"{url}\">{section} {step}</a></td>",
            id = escape(check.id),
            url = escape(&check.spec.url()),
            section = escape(check.spec.section.number()),
            step = escape(&check.spec.step.to_string()),
        );
        for column in columns {
            let cell = cell(column, check.id, plain_verdict);
            let class = if cell.linked.ends_with("(expected)") {
                "expected"
            } else {
                cell.linked.split(' ').next().unwrap_or_default()
            };
            let _ = write!(
                body,
                "<td class=\"v-{}\"><a href=\"{}#check-{}\">{}</a></td>",
                escape(class),
                escape(&relative(&column.folder, cell.sub, "report.html")),
                escape(check.id),
                escape(&cell.text)
            );
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table>\n");
    html::page("WebAuthn RP conformance matrix", &body, "")
}
