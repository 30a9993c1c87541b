//! The exercise console in a real browser: a real `stce exercise` server on
//! `scenarios/asean-exercise.ron`, driven through headless Chromium (chromedriver).
//!
//! One end-to-end class session: two blue teams open their pages, the facilitator cuts
//! Singapore's port capacity with an ad-hoc inject (the team page follows without a
//! reload), the teams select within capacity (an over-capacity pick is refused on the
//! page), send an alert and submit; the facilitator looks at the ground truth, advances
//! two turns, fires a held inject, pauses and resumes; the teams see their results; the
//! facilitator opens the debrief; the exported debrief opens from a file with the
//! network off and requests nothing. Screenshots go to
//! `target/browser-screenshots/exercise_console/`.
mod browser;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use browser::{assert_fits_width, js, screenshots, text_of, wait_until};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

/// A running `stce exercise` server and the URLs it printed. Killed on drop.
struct Server {
    child: Child,
    base: String,
    facilitator: String,
    teams: Vec<(String, String)>,
}

impl Server {
    fn start(state: &Path) -> Server {
        let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/asean-exercise.ron");
        let mut child = Command::new(env!("CARGO_BIN_EXE_stce"))
            .arg("exercise")
            .arg(&scenario)
            .arg("--state")
            .arg(state)
            .args(["--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("stce exercise starts");
        // A thread reads (and keeps draining) the server's output; the URLs come in one
        // go once it listens. Wait for those the test plays, not for a team count.
        let out = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let (mut base, mut facilitator, mut teams) = (String::new(), String::new(), Vec::new());
        let needed = ["Singapore", "Malaysia", "Red team"];
        let deadline = Instant::now() + Duration::from_secs(60);
        while base.is_empty()
            || facilitator.is_empty()
            || !needed
                .iter()
                .all(|n| teams.iter().any(|(t, _): &(String, String)| t == n))
        {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = rx.recv_timeout(left) else {
                let _ = child.kill();
                panic!(
                    "the server did not print its URLs for {needed:?} within 60 s (got {teams:?})"
                );
            };
            if let Some(u) = line.strip_prefix("listening on ") {
                base = u.trim().to_string();
            } else if let Some(u) = line.strip_prefix("facilitator: ") {
                facilitator = u.trim().to_string();
            } else if let Some(rest) = line.strip_prefix("team ") {
                let (name, url) = rest.rsplit_once(": ").expect("team NAME: URL");
                teams.push((name.to_string(), url.trim().to_string()));
            }
        }
        Server {
            child,
            base,
            facilitator,
            teams,
        }
    }

    fn team(&self, name: &str) -> &str {
        &self
            .teams
            .iter()
            .find(|t| t.0 == name)
            .unwrap_or_else(|| panic!("no team {name} in {:?}", self.teams))
            .1
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// GET a same-origin URL from inside the page (the browser is the test's HTTP client).
async fn fetch_text(c: &Client, url: &str) -> String {
    let v = c
        .execute_async(
            "const [url, done] = arguments; fetch(url, {cache: 'no-store'}).then(r => r.text()).then(done, e => done('FETCH FAILED ' + e));",
            vec![json!(url)],
        )
        .await
        .expect("fetch in page");
    v.as_str().unwrap_or_default().to_string()
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

async fn fill(c: &Client, css: &str, text: &str) {
    let e = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no field {css}: {e}"));
    e.clear().await.expect("clear field");
    e.send_keys(text).await.expect("type");
}

/// Ids of the declarations shown for `office`, in table order.
async fn rows_of(c: &Client, office: &str) -> Vec<String> {
    let v = js(
        c,
        &format!(
            "return Array.from(document.querySelectorAll('#decl-table tbody tr')).filter(r => r.dataset.office === '{office}' && !r.hidden).map(r => r.querySelector('input.pick').value);"
        ),
    )
    .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

async fn pick(c: &Client, id: &str) {
    click(c, &format!("input.pick[value='{id}']")).await;
}

async fn picked(c: &Client, office: &str) -> usize {
    js(
        c,
        &format!(
            "return document.querySelectorAll(\"input.pick[data-office='{office}']:checked\").length;"
        ),
    )
    .await
    .as_u64()
    .unwrap() as usize
}

/// The team page's DOM must hold nothing of the truth the facilitator sees for the open
/// turn: no network, no concealment, no real HS code or goods on a misdeclared row, not
/// even the word "illicit". The only truth a team holds is what its own inspections
/// found (the results of the last turn, rows whose outcome says it found something):
/// that part is checked to be nothing else and left out of the scan.
async fn assert_no_truth(c: &Client, truth: &Value, team: &str) -> usize {
    let found_unfound = js(
        c,
        "return Array.from(document.querySelectorAll('#results tbody tr')).filter(r => r.cells[3].textContent.trim() !== '' && !/^(Seized|Violation found)/.test(r.cells[2].textContent)).length;",
    )
    .await;
    assert_eq!(
        found_unfound,
        json!(0),
        "{team}: only inspections that found something say what was found"
    );
    let dom = js(
        c,
        "const d = document.documentElement.cloneNode(true); const r = d.querySelector('#results'); if (r) r.remove(); return d.outerHTML;",
    )
    .await;
    let dom = dom.as_str().unwrap();
    let lower = dom.to_lowercase();
    assert!(
        !lower.contains("illicit"),
        "{team}'s page mentions 'illicit'"
    );
    let rows = truth["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == team)
        .unwrap_or_else(|| panic!("truth has team {team}"))["declarations"]
        .as_array()
        .unwrap();
    let mut illicit = 0;
    for r in rows {
        if r["illicit"] != true {
            continue;
        }
        illicit += 1;
        let id = r["id"].as_str().unwrap();
        assert!(dom.contains(id), "the declaration {id} is on {team}'s page");
        for field in ["network", "concealment"] {
            if let Some(at) = r[field].as_str().and_then(|v| dom.find(v)) {
                let context: String = dom[..at]
                    .chars()
                    .rev()
                    .take(300)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .chain(dom[at..].chars().take(100))
                    .collect();
                panic!("{team}'s page shows the {field} of {id}: …{context}…");
            }
        }
        let row = js(
            c,
            &format!(
                "const b = document.querySelector(\"input.pick[value='{id}']\"); return b ? b.closest('tr').outerHTML : '';"
            ),
        )
        .await;
        let row = row.as_str().unwrap();
        let (declared, actual) = (
            r["hs_declared"].as_str().unwrap(),
            r["hs_actual"].as_str().unwrap(),
        );
        if declared != actual {
            assert!(
                !row.contains(actual),
                "{team}'s row {id} shows the real HS code {actual}"
            );
        }
        let commodity = r["commodity"].as_str().unwrap();
        assert!(
            !row.contains(commodity),
            "{team}'s row {id} names the real goods {commodity}"
        );
    }
    eprintln!(
        "{team}: page checked against {} truth rows ({illicit} illicit)",
        rows.len()
    );
    illicit
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_session_in_the_browser() {
    if !browser::available() {
        return;
    }
    let started = Instant::now();
    let out = browser::output_dir("exercise_console");
    let tmp = tempfile::tempdir().unwrap();
    let mut server = Server::start(&tmp.path().join("state.db"));
    let fac_url = server.facilitator.clone();
    let fac_token = fac_url.rsplit('/').next().unwrap().to_string();
    let sg_url = server.team("Singapore").to_string();
    let my_url = server.team("Malaysia").to_string();
    let red_url = server.team("Red team").to_string();
    let sg_token = sg_url.rsplit('/').next().unwrap().to_string();

    let driver = browser::Driver::start();
    let fac = driver.session("facilitator", false).await;
    let sg = driver.session("singapore", false).await;
    let my = driver.session("malaysia", false).await;

    // -- Turn 1: pages open; the facilitator cuts Singapore's port capacity. ---------
    fac.goto(&fac_url).await.unwrap();
    wait_until(
        &fac,
        "facilitator page",
        10,
        "document.querySelector('#status .turn')",
    )
    .await;
    assert!(text_of(&fac, "#status").await.contains("Turn 1 of 10"));
    sg.goto(&sg_url).await.unwrap();
    wait_until(
        &sg,
        "Singapore's declarations",
        10,
        "document.querySelectorAll('#decl-table tbody tr').length > 10",
    )
    .await;
    // Cut the port's capacity to exactly three inspections, whatever the scenario gives.
    let office = js(
        &sg,
        "const c = document.querySelector('#count-SGSIN').dataset; return [Number(c.capacity), Number(c.hours), Number(c.max)];",
    )
    .await;
    let (capacity, per, max_before) = (
        office[0].as_f64().unwrap(),
        office[1].as_f64().unwrap(),
        office[2].as_u64().unwrap(),
    );
    assert_eq!(max_before, (capacity / per + 1e-9).floor() as u64);
    const MAX: usize = 3;
    let factor = format!("{:.4}", (MAX as f64 + 0.5) * per / capacity);
    assert_fits_width(&sg, "team page").await;

    fac.find(Locator::Css("#adhoc-kind"))
        .await
        .unwrap()
        .select_by_value("CapacityChange")
        .await
        .unwrap();
    fill(&fac, "#adhoc-form input[name=node]", "SGSIN").await;
    fill(&fac, "#adhoc-form input[name=factor]", &factor).await;
    fill(&fac, "#adhoc-form input[name=days]", "1").await;
    fill(
        &fac,
        "#adhoc-form input[name=description]",
        "Strike at the port of Singapore",
    )
    .await;
    click(&fac, "#adhoc-form button[type=submit]").await;
    wait_until(
        &fac,
        "the inject acknowledged",
        10,
        "document.querySelector('#messages').className === 'ok'",
    )
    .await;
    // The team page follows without a reload.
    wait_until(
        &sg,
        "Singapore's capacity cut to 3",
        10,
        "document.querySelector('#count-SGSIN').dataset.max === '3'",
    )
    .await;

    // Truth isolation: the facilitator's truth for this turn, against Singapore's DOM.
    let truth: Value = serde_json::from_str(
        &fetch_text(&fac, &format!("/api/facilitator/{fac_token}/truth")).await,
    )
    .expect("truth JSON");
    let mut illicit_checked = assert_no_truth(&sg, &truth, "Singapore").await;

    // Sort by score (descending after two presses, by keyboard), then filter.
    let score_sort = "#decl-table thead th:nth-child(6) button.sort";
    click(&sg, score_sort).await;
    sg.find(Locator::Css(score_sort))
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap(); // Enter
    let scores = js(
        &sg,
        "return Array.from(document.querySelectorAll('#decl-table tbody tr')).map(r => Number(r.querySelector('td.score').dataset.v));",
    )
    .await;
    let scores: Vec<f64> = scores
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "sorted by score, highest first: {scores:?}"
    );
    assert!(scores[0] > 0.0, "the risk score is shown");
    let first_hs = js(
        &sg,
        "return document.querySelector('#decl-table tbody tr td.hs').textContent;",
    )
    .await;
    let hs = first_hs.as_str().unwrap().to_string();
    fill(&sg, "#filter", &hs).await;
    let shown = text_of(&sg, "#shown").await;
    assert!(
        shown.contains(" of "),
        "filter says how many rows it shows: {shown}"
    );
    let hidden_wrong = js(
        &sg,
        &format!("return Array.from(document.querySelectorAll('#decl-table tbody tr')).filter(r => !r.hidden && !r.dataset.search.includes('{hs}')).length;"),
    )
    .await;
    assert_eq!(hidden_wrong, json!(0));
    js(&sg, "const f = document.querySelector('#filter'); f.value = ''; f.dispatchEvent(new Event('input', {bubbles: true})); return 0;").await;
    assert_eq!(text_of(&sg, "#shown").await, "", "filter cleared");

    // Select the three highest scores at the port, one by keyboard; a fourth is refused.
    let ids = rows_of(&sg, "SGSIN").await;
    assert!(
        ids.len() > MAX,
        "enough declarations at SGSIN to overfill {MAX}: {}",
        ids.len()
    );
    sg.find(Locator::Css(&format!("input.pick[value='{}']", ids[0])))
        .await
        .unwrap()
        .send_keys(" ")
        .await
        .unwrap();
    for id in &ids[1..MAX] {
        pick(&sg, id).await;
    }
    assert_eq!(picked(&sg, "SGSIN").await, MAX);
    assert!(text_of(&sg, "#count-SGSIN").await.contains("3 of 3"));
    pick(&sg, &ids[MAX]).await;
    assert_eq!(
        picked(&sg, "SGSIN").await,
        MAX,
        "the over-capacity pick is refused on the page"
    );
    let refused = text_of(&sg, "#messages").await;
    assert!(
        refused.contains("Over capacity at SGSIN"),
        "the refusal is said in words: {refused}"
    );

    // The server checks too, and its refusal reaches the person in words: a sixth box
    // ticked behind the page's back is refused with the API's message, nothing recorded.
    js(
        &sg,
        &format!(
            "document.querySelector(\"input.pick[value='{}']\").checked = true; document.querySelector('#work').requestSubmit(); return 0;",
            ids[MAX]
        ),
    )
    .await;
    wait_until(
        &sg,
        "the server's over-capacity refusal",
        10,
        "document.querySelector('#messages').textContent.startsWith('Not submitted: ')",
    )
    .await;
    let said = text_of(&sg, "#messages").await;
    assert!(
        said.contains("SGSIN"),
        "the API's refusal names the office: {said}"
    );
    js(
        &sg,
        &format!(
            "document.querySelector(\"input.pick[value='{}']\").checked = false; return 0;",
            ids[MAX]
        ),
    )
    .await;

    // An alert to Malaysia about one of them (its note typed with markup, which must
    // reach Malaysia as text), then submit.
    sg.find(Locator::Css("#alert-to"))
        .await
        .unwrap()
        .select_by_value("Malaysia")
        .await
        .unwrap();
    fill(&sg, "#alert-decl", &ids[0]).await;
    fill(
        &sg,
        "#alert-note",
        "<b>Score</b> tops the list & check \"its\" consignee",
    )
    .await;
    click(&sg, "#alert-add").await;
    assert_eq!(
        js(
            &sg,
            "return document.querySelectorAll('#alert-drafts li').length;"
        )
        .await,
        json!(1)
    );
    click(&sg, "#submit").await;
    wait_until(
        &sg,
        "Singapore's submission acknowledged",
        10,
        "document.querySelector('#messages').textContent.includes('Submitted for turn 1')",
    )
    .await;
    assert!(text_of(&sg, "#messages").await.contains("3 at SGSIN"));

    // Malaysia picks three at Port Klang and submits.
    my.goto(&my_url).await.unwrap();
    wait_until(
        &my,
        "Malaysia's declarations",
        10,
        "document.querySelectorAll('#decl-table tbody tr').length > 3",
    )
    .await;
    let ids_my = rows_of(&my, "MYPKG").await;
    let my_max = js(
        &my,
        "return Number(document.querySelector('#count-MYPKG').dataset.max);",
    )
    .await
    .as_u64()
    .unwrap() as usize;
    assert!(
        my_max >= 1 && !ids_my.is_empty(),
        "Malaysia can inspect at Port Klang"
    );
    for id in ids_my.iter().take(my_max.min(3)) {
        pick(&my, id).await;
    }
    click(&my, "#submit").await;
    wait_until(
        &my,
        "Malaysia's submission acknowledged",
        10,
        "document.querySelector('#messages').textContent.includes('Submitted for turn 1')",
    )
    .await;

    // The red team gives orders (in Malaysia's browser, then back).
    my.goto(&red_url).await.unwrap();
    wait_until(
        &my,
        "red team page",
        10,
        "document.querySelector('input[name=route]')",
    )
    .await;
    click(&my, "input[name=route][value='0']").await;
    click(&my, "#submit").await;
    wait_until(
        &my,
        "red orders acknowledged",
        10,
        "document.querySelector('#messages').className === 'ok'",
    )
    .await;
    wait_until(
        &my,
        "the orders in force shown",
        10,
        "document.querySelector('#counters').textContent.includes('Orders in force since turn 1')",
    )
    .await;
    screenshots(&my, &out, "red-team").await;
    assert_fits_width(&my, "red team page").await;
    my.goto(&my_url).await.unwrap();

    // The facilitator's page follows: both blue teams submitted, the red team too.
    wait_until(
        &fac,
        "statuses on the facilitator page",
        10,
        "document.querySelectorAll('#teams .status-submitted').length === 3",
    )
    .await;
    click(&fac, "#truth a.button").await;
    wait_until(
        &fac,
        "the ground-truth overlay",
        10,
        "document.querySelector('table.truth')",
    )
    .await;
    screenshots(&fac, &out, "facilitator-truth").await;
    click(&fac, "#truth a.button").await;
    wait_until(
        &fac,
        "overlay hidden",
        10,
        "!document.querySelector('table.truth')",
    )
    .await;
    screenshots(&sg, &out, "team-turn1").await;

    // -- Advance twice; fire a held inject. -------------------------------------------
    click(&fac, "button[data-action=advance]").await;
    wait_until(
        &fac,
        "turn 2",
        30,
        "document.querySelector('#status').dataset.turn === '2'",
    )
    .await;
    // Singapore's page moves to turn 2 by itself and shows turn 1's five inspections.
    wait_until(
        &sg,
        "Singapore in turn 2",
        10,
        "document.querySelector('#status').dataset.turn === '2'",
    )
    .await;
    wait_until(
        &sg,
        "turn 1 results",
        10,
        "document.querySelectorAll('#results tbody tr').length === 3",
    )
    .await;
    assert!(text_of(&sg, "#results").await.contains("Turn 1"));
    assert_eq!(
        picked(&sg, "SGSIN").await,
        0,
        "a new turn starts with nothing selected"
    );
    // Malaysia received Singapore's alert.
    wait_until(
        &my,
        "Singapore's alert at Malaysia",
        10,
        "document.querySelector('#alerts').textContent.includes('From Singapore')",
    )
    .await;
    assert!(text_of(&my, "#alerts").await.contains(&ids[0]));
    assert!(
        text_of(&my, "#alerts")
            .await
            .contains("<b>Score</b> tops the list & check \"its\""),
        "a note typed with markup is shown as the text it is"
    );
    assert_eq!(
        js(&my, "return document.querySelectorAll('#alerts b').length;").await,
        json!(0),
        "no markup from another team's note reaches the page"
    );

    wait_until(
        &fac,
        "advance enabled",
        10,
        "!document.querySelector('button[data-action=advance]').disabled",
    )
    .await;
    click(&fac, "button[data-action=advance]").await;
    wait_until(
        &fac,
        "turn 3",
        30,
        "document.querySelector('#status').dataset.turn === '3'",
    )
    .await;
    let held = js(&fac, "const b = document.querySelector('button[data-action=fire]'); return b ? b.dataset.name : null;").await;
    assert!(
        held.is_string(),
        "the scenario holds an inject for the facilitator"
    );
    let injects_before = js(
        &fac,
        "return document.querySelectorAll('#timeline li.kind-inject').length;",
    )
    .await;
    click(&fac, "button[data-action=fire]").await;
    wait_until(&fac, "the held inject fired", 10, &format!("document.querySelector('#injects').textContent.includes('fired in turn 3') && document.querySelectorAll('#timeline li.kind-inject').length === {injects_before} + 1")).await;
    wait_until(
        &fac,
        "defaulted teams on the scoreboard",
        10,
        "document.querySelector('#teams').textContent.includes('turn 2')",
    )
    .await;
    screenshots(&fac, &out, "facilitator").await;
    assert_fits_width(&fac, "facilitator page").await;

    // Turn 2 was not submitted: Singapore is told it was defaulted.
    wait_until(
        &sg,
        "Singapore in turn 3",
        10,
        "document.querySelector('#status').dataset.turn === '3'",
    )
    .await;
    wait_until(
        &sg,
        "turn 2 default shown",
        10,
        "document.querySelector('#results').textContent.includes('did not submit')",
    )
    .await;

    // Pause: the team page says so and will not submit; resume.
    click(&fac, "button[data-action=pause]").await;
    wait_until(&sg, "paused notice", 10, "document.querySelector('#state').textContent.includes('paused') && document.querySelector('#submit').disabled").await;
    screenshots(&sg, &out, "team-paused").await;
    js(
        &sg,
        "document.querySelector('#work').requestSubmit(); return 0;",
    )
    .await;
    wait_until(
        &sg,
        "the server's refusal while paused",
        10,
        "document.querySelector('#messages').textContent.startsWith('Not submitted: ')",
    )
    .await;
    let said = text_of(&sg, "#messages").await;
    assert!(
        said.contains("paused"),
        "the API's refusal says the exercise is paused: {said}"
    );
    wait_until(
        &fac,
        "resume button",
        10,
        "document.querySelector('button[data-action=pause]').dataset.paused === 'false'",
    )
    .await;
    click(&fac, "button[data-action=pause]").await;
    wait_until(
        &sg,
        "resumed",
        10,
        "!document.querySelector('#submit').disabled",
    )
    .await;
    // Singapore picks one in turn 3 to show a live page with results in the screenshot.
    let ids3 = rows_of(&sg, "SGSIN").await;
    pick(&sg, &ids3[0]).await;
    screenshots(&sg, &out, "team").await;
    let truth: Value = serde_json::from_str(
        &fetch_text(&fac, &format!("/api/facilitator/{fac_token}/truth")).await,
    )
    .unwrap();
    illicit_checked += assert_no_truth(&sg, &truth, "Singapore").await;
    illicit_checked += assert_no_truth(&my, &truth, "Malaysia").await;
    assert!(
        illicit_checked > 0,
        "the truth check met at least one illicit declaration on a team page"
    );

    // -- Debrief. ------------------------------------------------------------------------
    let closed = fetch_text(&sg, &format!("/debrief/{sg_token}")).await;
    assert!(
        closed.contains("not opened the debrief yet"),
        "a team cannot open the debrief early"
    );
    click(&fac, "button[data-action=debrief]").await;
    wait_until(
        &sg,
        "debrief link on the team page",
        10,
        "document.querySelector('a[href^=\"/debrief/\"]')",
    )
    .await;
    click(&sg, "a[href^=\"/debrief/\"]").await;
    wait_until(
        &sg,
        "the debrief for the team",
        10,
        "document.querySelector('#timeline table')",
    )
    .await;

    fac.goto(&format!("{}/debrief/{fac_token}", server.base))
        .await
        .unwrap();
    wait_until(
        &fac,
        "debrief page",
        10,
        "document.querySelector('#timeline table')",
    )
    .await;
    let text = text_of(&fac, "main").await;
    for part in [
        "The class as a whole",
        "Team by team",
        "Singapore",
        "Malaysia",
        "automated strategies",
        "Timeline",
        "Strike at the port of Singapore",
    ] {
        assert!(text.contains(part), "the debrief shows '{part}'");
    }
    assert!(
        js(
            &fac,
            "return document.querySelectorAll('#flows svg.map line.route').length;"
        )
        .await
        .as_u64()
        .unwrap()
            > 0,
        "the flow map draws routes"
    );
    screenshots(&fac, &out, "debrief").await;
    assert_fits_width(&fac, "debrief page").await;

    // Export: one file; then the server stops and the file opens offline.
    let html = fetch_text(&fac, &format!("/debrief/{fac_token}/export")).await;
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "export is an HTML document"
    );
    for external in [
        "src=\"http",
        "href=\"http",
        "<script",
        "<link rel=\"stylesheet\"",
        "url(http",
    ] {
        assert!(
            !html.contains(external),
            "the export references something outside itself: {external}"
        );
    }
    let file = out.join("debrief-export.html");
    std::fs::write(&file, &html).unwrap();
    server.stop();
    let offline = driver.session("offline", true).await;
    offline
        .goto(&format!("file://{}", file.display()))
        .await
        .unwrap();
    wait_until(
        &offline,
        "the exported debrief",
        10,
        "document.querySelector('#timeline table')",
    )
    .await;
    let requests = js(
        &offline,
        "return performance.getEntriesByType('resource').map(e => e.name);",
    )
    .await;
    assert_eq!(
        requests,
        json!([]),
        "the exported debrief requested something"
    );
    let styled = js(
        &offline,
        "return getComputedStyle(document.querySelector('.banner')).backgroundColor;",
    )
    .await;
    assert_eq!(
        styled,
        json!("rgb(10, 61, 143)"),
        "the export carries its stylesheet"
    );
    assert!(
        text_of(&offline, "main")
            .await
            .contains("Strike at the port of Singapore")
    );
    screenshots(&offline, &out, "debrief-export").await;

    for c in [fac, sg, my, offline] {
        c.close().await.unwrap();
    }
    eprintln!(
        "browser session done in {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "the browser test stays under two minutes"
    );
}
