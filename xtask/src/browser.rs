//! `cargo xtask browser [--out DIR]`: the HTML report and the site checked in a real browser.
//!
//! Debian's Chromium, driven headless through ChromeDriver (WebDriver, the `fantoccini` crate),
//! loads a report of a run against a deliberately broken RP and the site of `reports/`, and
//! the task asserts on the rendered DOM: every check is there, failures come first with their
//! replay command, nothing is fetched from elsewhere, and ticking the verdict boxes, choosing
//! a section and typing a search filter the lists as they should. A screenshot of the report
//! is written to DIR/report.png (a build artifact, not committed). When Chromium or ChromeDriver
//! is missing and the task runs as root it installs Debian's `chromium` and `chromium-driver`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value as Json, json};
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::report;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::runner::{self, RunOptions, Verdict};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The broken RP whose report is checked: it skips the origin check (§7.1 step 9), so the
/// report has failures to list first.
const MUTANT: Mutant = Mutant::RegSkipOrigin;

/// Runs the browser checks; `Ok(false)` when an assertion failed (each is printed).
pub fn main(root: &Path, out: &Path) -> Result<bool, String> {
    install_when_missing()?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let out = out
        .canonicalize()
        .map_err(|e| format!("{}: {e}", out.display()))?;
    // The page under test: a whole run against the mutant.
    let options = RunOptions {
        profile: Profile::Strict,
        seed: 1,
        only: Vec::new(),
    };
    let run = runner::run(&ReferenceFactory::new(Some(MUTANT)), &catalogue(), &options);
    let report_dir = out.join("report");
    report::write_all(&report_dir, &run).map_err(|e| e.to_string())?;
    let site_dir = out.join("site");
    let pages = crate::site::render(&root.join("reports"), &site_dir)?;
    let driver = Driver::start(&out)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut failures = Vec::new();
    let outcome = runtime.block_on(async {
        let client = driver.connect(&out).await?;
        let checked = async {
            check_report(&client, &report_dir, &run, &out, &mut failures).await?;
            check_site(&client, &site_dir, &mut failures).await
        }
        .await;
        let _ = client.close().await;
        checked
    });
    drop(driver);
    outcome?;
    for failure in &failures {
        println!("FAIL {failure}");
    }
    println!(
        "browser: report.html of {} checks and a site of {pages} pages checked in {CHROMIUM}: {}; screenshot {}",
        run.results.len(),
        if failures.is_empty() { "ok" } else { "FAILED" },
        out.join("report.png").display()
    );
    Ok(failures.is_empty())
}

/// Installs Debian's Chromium and ChromeDriver when either is missing (as root only).
pub(crate) fn install_when_missing() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !root {
        return Err(format!(
            "{CHROMIUM} or {CHROMEDRIVER} is missing: install Debian's chromium and \
             chromium-driver (apt-get install chromium chromium-driver)"
        ));
    }
    for args in [
        &["update", "-qq"][..],
        &["install", "-y", "-qq", "chromium", "chromium-driver"][..],
    ] {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("apt-get: {e}"))?;
        if !status.success() {
            return Err(format!("apt-get {} failed: {status}", args.join(" ")));
        }
    }
    Ok(())
}

/// ChromeDriver on a free loopback port, killed when dropped.
pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub(crate) fn start(out: &Path) -> Result<Self, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let log = std::fs::File::create(out.join("chromedriver.log")).map_err(|e| e.to_string())?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("{CHROMEDRIVER}: {e}"))?;
        Ok(Driver { child, port })
    }

    /// A WebDriver session with headless Chromium, retried until ChromeDriver listens (10 s).
    pub(crate) async fn connect(&self, out: &Path) -> Result<Client, String> {
        let profile = out.join("chromium-profile");
        let _ = std::fs::remove_dir_all(&profile);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                // As root, without a GPU, on a machine without a network: no sandbox, and none
                // of Chromium's own background connections.
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        let url = format!("http://127.0.0.1:{}", self.port);
        let started = Instant::now();
        loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => return Ok(client),
                Err(e) if started.elapsed() > Duration::from_secs(10) => {
                    return Err(format!("no WebDriver session at {url}: {e}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Runs `script` in the page; its value.
async fn eval(client: &Client, script: &str) -> Result<Json, String> {
    client
        .execute(script, Vec::new())
        .await
        .map_err(|e| format!("script {script:?}: {e}"))
}

async fn count(client: &Client, selector: &str) -> Result<u64, String> {
    let script = format!(
        "return document.querySelectorAll({}).length;",
        json!(selector)
    );
    Ok(eval(client, &script).await?.as_u64().unwrap_or(u64::MAX))
}

/// Asserts `actual == expected`, recording a failure named `what` otherwise.
fn expect<T: PartialEq + std::fmt::Debug>(
    failures: &mut Vec<String>,
    what: &str,
    actual: T,
    expected: T,
) {
    if actual != expected {
        failures.push(format!("{what}: got {actual:?}, expected {expected:?}"));
    }
}

async fn check_report(
    client: &Client,
    dir: &Path,
    run: &runner::RunReport,
    out: &Path,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    client
        .goto(&file_url(&dir.join("report.html")))
        .await
        .map_err(|e| e.to_string())?;
    let total = run.results.len() as u64;
    let title = client.title().await.map_err(|e| e.to_string())?;
    expect(
        failures,
        "title",
        title,
        format!("WebAuthn RP conformance: {}", run.rp),
    );
    expect(
        failures,
        "rows in the table of all checks",
        count(client, "#results tbody tr").await?,
        total,
    );
    let fails = run.count(Verdict::Fail) as u64;
    if fails == 0 {
        failures.push(format!("the mutant {MUTANT:?} should fail checks"));
    }
    expect(
        failures,
        "failure articles",
        count(client, "#attention article[data-verdict=fail]").await?,
        fails,
    );
    let first = eval(
        client,
        "var a=document.querySelector('#attention article');\
         return a?[a.dataset.verdict,a.querySelector('.replay').textContent]:null;",
    )
    .await?;
    expect(
        failures,
        "the first article's verdict",
        first[0].as_str(),
        Some("fail"),
    );
    if !first[1]
        .as_str()
        .is_some_and(|r| r.starts_with("webauthn-conformance run ") && r.contains("--only"))
    {
        failures.push(format!("the first article's replay command: {}", first[1]));
    }
    expect(
        failures,
        "resources fetched by the page (styles, scripts, images)",
        eval(
            client,
            "return performance.getEntriesByType('resource').length;",
        )
        .await?
        .as_u64(),
        Some(0),
    );
    let shown = |n: u64| format!("{n} of {total} checks shown");
    let shown_text = || async {
        client
            .find(Locator::Id("shown"))
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .map_err(|e| e.to_string())
    };
    expect(
        failures,
        "#shown at load",
        shown_text().await?,
        shown(total),
    );

    // Untick `pass`: only the other verdicts stay.
    let not_pass = total - run.count(Verdict::Pass) as u64;
    click(client, "#verdicts input[value=pass]").await?;
    expect(
        failures,
        "rows shown without pass",
        count(client, "#results tbody tr:not([hidden])").await?,
        not_pass,
    );
    expect(
        failures,
        "#shown without pass",
        shown_text().await?,
        shown(not_pass),
    );
    // And one section: §7.1.
    let section = "§7.1";
    let in_section = run
        .results
        .iter()
        .filter(|r| r.spec.section.number() == section && r.verdict != Verdict::Pass)
        .count() as u64;
    choose_section(client, section).await?;
    expect(
        failures,
        "rows shown in §7.1 without pass",
        count(client, "#results tbody tr:not([hidden])").await?,
        in_section,
    );
    expect(
        failures,
        "rows shown outside §7.1",
        count(
            client,
            &format!("#results tbody tr:not([hidden]):not([data-section=\"{section}\"])"),
        )
        .await?,
        0,
    );
    // Back to everything, then a search.
    click(client, "#verdicts input[value=pass]").await?;
    choose_section(client, "").await?;
    expect(
        failures,
        "rows shown after clearing the filters",
        count(client, "#results tbody tr:not([hidden])").await?,
        total,
    );
    let matching = run
        .results
        .iter()
        .filter(|r| {
            format!("{} {}", r.id, r.title)
                .to_lowercase()
                .contains("reg-cd")
        })
        .count() as u64;
    client
        .find(Locator::Id("search"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys("REG-CD")
        .await
        .map_err(|e| e.to_string())?;
    expect(
        failures,
        "rows shown for the search REG-CD",
        count(client, "#results tbody tr:not([hidden])").await?,
        matching,
    );
    // The screenshot is of the page as loaded, failures first.
    client.refresh().await.map_err(|e| e.to_string())?;
    let png = client.screenshot().await.map_err(|e| e.to_string())?;
    std::fs::write(out.join("report.png"), png).map_err(|e| e.to_string())?;
    Ok(())
}

/// Chooses `section` in the section list (`""`: all sections).
async fn choose_section(client: &Client, section: &str) -> Result<(), String> {
    client
        .find(Locator::Id("section"))
        .await
        .map_err(|e| e.to_string())?
        .select_by_value(section)
        .await
        .map_err(|e| format!("section {section:?}: {e}"))
}

async fn click(client: &Client, selector: &str) -> Result<(), String> {
    client
        .find(Locator::Css(selector))
        .await
        .map_err(|e| format!("{selector}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("click {selector}: {e}"))
}

async fn check_site(client: &Client, dir: &Path, failures: &mut Vec<String>) -> Result<(), String> {
    client
        .goto(&file_url(&dir.join("index.html")))
        .await
        .map_err(|e| e.to_string())?;
    expect(
        failures,
        "matrix rows",
        count(client, "#matrix tbody tr").await?,
        catalogue().len() as u64,
    );
    expect(
        failures,
        "count rows (five RPs, two profiles)",
        count(client, "#counts tbody tr").await?,
        10,
    );
    // A cell links to the check's row in that RP's report.
    let id = "OPT-C-01";
    client
        .find(Locator::Css(&format!("#check-{id} td:nth-child(4) a")))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let url = client.current_url().await.map_err(|e| e.to_string())?;
    let landed = PathBuf::from(url.path());
    if !landed.ends_with("webauthn-rs/fido/report.html")
        && !landed.ends_with("webauthn-rs/report.html")
    {
        failures.push(format!("the webauthn-rs cell of {id} led to {url}"));
    }
    expect(
        failures,
        "the linked row",
        count(client, &format!("#check-{id}")).await?,
        1,
    );
    Ok(())
}
