//! `stce exercise` end to end, through a real server process: every API route and
//! error, truth isolation scanned on every team response, a scripted two-team game to
//! the debrief and its replay, and a `kill -9` in mid-game.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_stce");

/// A running `stce exercise` and the URLs it printed.
struct Server {
    child: Child,
    addr: String,
    facilitator: String,
    /// (team name, token) in scenario order.
    teams: Vec<(String, String)>,
}

impl Server {
    fn start(scenario: Option<&Path>, state: &Path) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.arg("exercise");
        if let Some(s) = scenario {
            cmd.arg(s);
        }
        let mut child = cmd
            .args(["--state", state.to_str().unwrap(), "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start stce exercise");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (mut addr, mut facilitator, mut teams) = (String::new(), String::new(), Vec::new());
        let mut line = String::new();
        while out.read_line(&mut line).unwrap() > 0 {
            let l = line.trim().to_string();
            line.clear();
            if let Some(u) = l.strip_prefix("listening on http://") {
                addr = u.to_string();
            } else if let Some(u) = l.strip_prefix("facilitator: ") {
                facilitator = u.rsplit('/').next().unwrap().to_string();
            } else if let Some(rest) = l.strip_prefix("team ") {
                let (name, url) = rest.split_once(": ").unwrap();
                teams.push((
                    name.to_string(),
                    url.rsplit('/').next().unwrap().to_string(),
                ));
            } else if l.starts_with("stop with Ctrl-C") {
                break;
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = out.read_to_end(&mut sink);
        });
        assert!(
            !addr.is_empty() && !facilitator.is_empty(),
            "server printed no URLs"
        );
        Server {
            child,
            addr,
            facilitator,
            teams,
        }
    }

    fn token(&self, team: &str) -> &str {
        &self.teams.iter().find(|t| t.0 == team).unwrap().1
    }

    fn req(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        let (status, text) = http(&self.addr, method, path, body);
        let v = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
        (status, v)
    }

    fn get(&self, path: &str) -> (u16, Value) {
        self.req("GET", path, None)
    }

    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.req("POST", path, Some(&body.to_string()))
    }

    fn fac(&self, rest: &str) -> String {
        format!("/api/facilitator/{}{rest}", self.facilitator)
    }

    fn kill9(&mut self) {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill").args(["-9", &pid]).status().unwrap();
        assert!(ok.success());
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
fn http(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, rest) = text.split_once("\r\n\r\n").expect("HTTP response");
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = s.split_once("\r\n").unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// The shipped exercise cut to two blue teams (Singapore, Malaysia) and no red team.
fn two_team_scenario(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(scenario("asean-exercise.ron")).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.contains("name: \"Thailand\"") && !l.contains("name: \"Red team\""))
        .collect::<Vec<_>>()
        .join("\n");
    let p = dir.join("two-teams.ron");
    std::fs::write(&p, text).unwrap();
    p
}

const NETWORKS: [&str; 3] = [
    "Precursor procurement network",
    "Dual-use machinery network",
    "Arms trafficking network",
];

/// Ground truth that must not appear in a blue team's response: network names, truth
/// fields, and the real HS code of every illicit declaration the team sees whose declared
/// code differs (unless its own inspection found it, which the result then names).
fn assert_no_truth(who: &str, body: &str, truth: &Value, team: &str, found: &[String]) {
    for n in NETWORKS {
        assert!(!body.contains(n), "{who}: network name {n} in {body}");
    }
    for field in [
        "\"illicit\"",
        "hs_actual",
        "real_end_user",
        "\"network\"",
        "concealment",
        "commodity",
    ] {
        assert!(
            !body.contains(field),
            "{who}: truth field {field} in a team response"
        );
    }
    let v: Value = serde_json::from_str(body).unwrap();
    let rows = truth["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == team)
        .map(|t| t["declarations"].as_array().unwrap().clone())
        .unwrap_or_default();
    if let Some(decls) = v["declarations"].as_array() {
        for r in rows.iter().filter(|r| r["illicit"] == true) {
            if found.contains(&r["id"].as_str().unwrap().to_string()) {
                continue;
            }
            let d = decls
                .iter()
                .find(|d| d["id"] == r["id"])
                .expect("team sees its declaration");
            assert_eq!(
                d["hs"], r["hs_declared"],
                "{who}: declared HS replaced by the truth"
            );
        }
    }
}

fn table(v: &Value) -> Vec<Value> {
    v["declarations"].as_array().unwrap().clone()
}

/// Pick, per office, the declarations with the highest score (or most indicators) up
/// to capacity.
fn pick(view: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for o in view["offices"].as_array().unwrap() {
        let max = o["max_inspections"].as_u64().unwrap() as usize;
        let mut rows: Vec<&Value> = view["declarations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["office"] == o["code"])
            .collect();
        let key = |d: &Value| {
            d["score"].as_f64().unwrap_or(0.0) * 100.0
                + d["indicators"].as_array().map_or(0, |a| a.len()) as f64
                + (!d["licence"].as_bool().unwrap()) as u8 as f64 * 0.5
        };
        rows.sort_by(|a, b| {
            key(b)
                .partial_cmp(&key(a))
                .unwrap()
                .then(a["id"].as_str().cmp(&b["id"].as_str()))
        });
        out.extend(
            rows.iter()
                .take(max)
                .map(|d| d["id"].as_str().unwrap().to_string()),
        );
    }
    out
}

#[test]
fn every_route_and_error_on_the_shipped_exercise() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("class.db");
    let s = Server::start(Some(&scenario("asean-exercise.ron")), &state);
    assert_eq!(s.teams.len(), 4);
    let sg = s.token("Singapore").to_string();
    let my = s.token("Malaysia").to_string();
    let red = s.token("Red team").to_string();

    // Tokens: malformed and unknown are 401, wrong role 403, and no data either way.
    for bad in ["x", "0123", &"g".repeat(32), &"0".repeat(32)] {
        let (st, v) = s.get(&format!("/api/team/{bad}"));
        assert_eq!(st, 401, "{bad}");
        assert_eq!(v["error"], "bad_token");
        assert_eq!(v.as_object().unwrap().len(), 2, "nothing but the error");
        let (st, _) = s.get(&format!("/api/facilitator/{bad}/truth"));
        assert_eq!(st, 401);
    }
    for t in [&sg, &my, &red] {
        for path in ["", "/truth", "/submissions", "/debrief"] {
            let (st, v) = s.get(&format!("/api/facilitator/{t}{path}"));
            assert_eq!(st, 403, "team token on facilitator route {path}");
            assert_eq!(v["error"], "forbidden");
            assert_eq!(v.as_object().unwrap().len(), 2);
        }
        let (st, _) = s.post(
            &format!("/api/facilitator/{t}/advance"),
            &json!({"turn": 1}),
        );
        assert_eq!(st, 403);
    }
    let (st, v) = s.get(&format!("/api/team/{}", s.facilitator));
    assert_eq!((st, v["error"].as_str()), (403, Some("forbidden")));
    let (st, v) = s.post(
        &format!("/api/team/{red}/decisions"),
        &json!({"turn": 1, "inspect": []}),
    );
    assert_eq!((st, v["error"].as_str()), (403, Some("forbidden")));
    let (st, v) = s.post(&format!("/api/team/{sg}/orders"), &json!({"turn": 1}));
    assert_eq!((st, v["error"].as_str()), (403, Some("forbidden")));
    let (st, v) = s.get("/api/nothing/here");
    assert_eq!((st, v["error"].as_str()), (404, Some("not_found")));

    let view = s.get(&format!("/api/team/{sg}")).1;
    assert_eq!(view["status"]["turn"], 1);
    assert_eq!(view["side"], "blue");
    let decls = table(&view);
    assert!(
        decls.len() >= 20 && decls.len() <= 300,
        "{} declarations",
        decls.len()
    );
    assert!(
        decls[0]["score"].is_number(),
        "Singapore sees the risk score"
    );
    let sgsin = view["offices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "SGSIN")
        .unwrap()
        .clone();
    let max = sgsin["max_inspections"].as_u64().unwrap() as usize;
    let at_sgsin: Vec<String> = decls
        .iter()
        .filter(|d| d["office"] == "SGSIN")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        at_sgsin.len() > max,
        "more declarations than capacity at SGSIN"
    );

    // Each refused write is a clear JSON error and leaves the state unchanged.
    let before = s.get(&s.fac("/submissions")).1;
    let refused = [
        (
            json!({"turn": 1, "inspect": at_sgsin[..max + 1]}),
            422,
            "over_capacity",
        ),
        (
            json!({"turn": 1, "inspect": ["D-000000000000"]}),
            422,
            "unknown_declaration",
        ),
        (json!({"turn": 2, "inspect": []}), 409, "turn_closed"),
        (
            json!({"turn": 1, "inspect": [], "alerts": [{"to": "Atlantis", "traders": []}]}),
            422,
            "unknown_team",
        ),
        (
            json!({"turn": 1, "inspect": [], "alerts": [{"to": "Malaysia"}]}),
            422,
            "bad_alert",
        ),
        (
            json!({"turn": 1, "inspect": [], "extra": 1}),
            400,
            "bad_json",
        ),
    ];
    for (body, status, code) in refused {
        let (st, v) = s.post(&format!("/api/team/{sg}/decisions"), &body);
        assert_eq!(
            (st, v["error"].as_str()),
            (status, Some(code)),
            "{body}: {v}"
        );
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
    let (st, v) = s.req(
        "POST",
        &format!("/api/team/{sg}/decisions"),
        Some("{\"turn\": 1, \"inspect\": ["),
    );
    assert_eq!((st, v["error"].as_str()), (400, Some("bad_json")));
    let over = s
        .post(
            &format!("/api/team/{sg}/decisions"),
            &json!({"turn": 1, "inspect": at_sgsin[..max + 1]}),
        )
        .1;
    assert!(
        over["message"].as_str().unwrap().contains("SGSIN"),
        "{over}"
    );
    assert_eq!(
        s.get(&s.fac("/submissions")).1,
        before,
        "refusals recorded nothing"
    );
    assert_eq!(s.get(&format!("/api/team/{sg}")).1["submitted"], false);

    // A valid submission (resubmitting replaces it), with an alert to Malaysia.
    let first = &decls[0];
    let ok = json!({"turn": 1, "inspect": at_sgsin[..max],
        "alerts": [{"to": "Malaysia", "declaration": first["id"], "traders": [first["exporter"]["id"]], "note": "check this one"}]});
    let (st, ack) = s.post(&format!("/api/team/{sg}/decisions"), &ok);
    assert_eq!(st, 200, "{ack}");
    assert_eq!(ack["inspections"], json!([["SGSIN", max]]));
    let v = s.get(&format!("/api/team/{sg}")).1;
    assert_eq!(v["submitted"], true);
    assert_eq!(v["decisions"]["inspect"].as_array().unwrap().len(), max);

    // Red team: options, a bad order, a good one.
    let rv = s.get(&format!("/api/team/{red}")).1;
    assert_eq!(rv["side"], "red");
    let redv = &rv["red"];
    assert_eq!(redv["network"], NETWORKS[0]);
    assert!(!redv["routes"].as_array().unwrap().is_empty());
    let (st, v) = s.post(
        &format!("/api/team/{red}/orders"),
        &json!({"turn": 1, "route": 999}),
    );
    assert_eq!((st, v["error"].as_str()), (422, Some("bad_order")));
    let (st, v) = s.post(
        &format!("/api/team/{red}/orders"),
        &json!({"turn": 1, "concealment": "teleport"}),
    );
    assert_eq!((st, v["error"].as_str()), (422, Some("bad_order")));
    let (_, red_body) = http(&s.addr, "GET", &format!("/api/team/{red}"), None);
    for leak in [
        NETWORKS[1],
        NETWORKS[2],
        "hs_actual",
        "real_end_user",
        "\"illicit\"",
    ] {
        assert!(!red_body.contains(leak), "red view shows {leak}");
    }
    assert!(
        rv["declarations"].as_array().unwrap().is_empty(),
        "red sees no customs data"
    );
    let front = redv["front_companies"][0]["id"].clone();
    let (st, v) = s.post(
        &format!("/api/team/{red}/orders"),
        &json!({"turn": 1, "route": 0, "concealment": "false_end_user", "front_company": front}),
    );
    assert_eq!(st, 200, "{v}");

    // Injects: unknown, held, fired twice, ad-hoc, refused NewService.
    let (st, v) = s.post(&s.fac("/inject"), &json!({"name": "nope"}));
    assert_eq!((st, v["error"].as_str()), (422, Some("unknown_inject")));
    let (st, _) = s.post(&s.fac("/inject"), &json!({"name": "precursor tip"}));
    assert_eq!(st, 200);
    let (st, v) = s.post(&s.fac("/inject"), &json!({"name": "precursor tip"}));
    assert_eq!((st, v["error"].as_str()), (409, Some("already_fired")));
    let (st, _) = s.post(
        &s.fac("/inject"),
        &json!({"event": {"NodeClosure": {"node": "KHKOS", "days": 1}}, "description": "storm"}),
    );
    assert_eq!(st, 200);
    let (st, v) = s.post(
        &s.fac("/inject"),
        &json!({"event": {"NewService": {"service": "Korea-Thailand express"}}}),
    );
    assert_eq!((st, v["error"].as_str()), (422, Some("bad_inject")));
    let my_view = s.get(&format!("/api/team/{my}")).1;
    assert!(
        my_view["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["from"] == "facilitator"),
        "the tip reached Malaysia"
    );

    // Pause blocks submissions and advances.
    let (st, v) = s.post(&s.fac("/pause"), &json!({"paused": true}));
    assert_eq!((st, v["phase"].as_str()), (200, Some("paused")));
    let (st, v) = s.post(
        &format!("/api/team/{my}/decisions"),
        &json!({"turn": 1, "inspect": []}),
    );
    assert_eq!((st, v["error"].as_str()), (409, Some("paused")));
    let (st, v) = s.post(&s.fac("/advance"), &json!({"turn": 1}));
    assert_eq!((st, v["error"].as_str()), (409, Some("paused")));
    s.post(&s.fac("/pause"), &json!({"paused": false}));

    // Advance: a stale turn is refused, the right one closes it.
    let (st, v) = s.post(&s.fac("/advance"), &json!({"turn": 2}));
    assert_eq!((st, v["error"].as_str()), (409, Some("turn_closed")));
    let (st, adv) = s.post(&s.fac("/advance"), &json!({"turn": 1}));
    assert_eq!(st, 200, "{adv}");
    assert_eq!(adv["status"]["turn"], 2);
    let defaulted: Vec<&str> = adv["defaulted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(defaulted, ["Malaysia", "Thailand"]);
    assert!(adv["sim_ms"].as_f64().unwrap() > 0.0);

    // After the turn closed: old-turn submission refused; results and alert arrived.
    let (st, v) = s.post(
        &format!("/api/team/{sg}/decisions"),
        &json!({"turn": 1, "inspect": []}),
    );
    assert_eq!((st, v["error"].as_str()), (409, Some("turn_closed")));
    let res = s.get(&format!("/api/team/{sg}/results")).1;
    let t1 = &res["turns"][0];
    assert_eq!(t1["defaulted"], false);
    assert_eq!(t1["inspections"].as_array().unwrap().len(), max);
    let my_view = s.get(&format!("/api/team/{my}")).1;
    assert!(
        my_view["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["from"] == "Singapore" && a["note"] == "check this one")
    );
    assert_eq!(my_view["last_results"]["defaulted"], true);
    let fv = s.get(&s.fac("")).1;
    let sgs = fv["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "Singapore")
        .unwrap()
        .clone();
    assert_eq!(sgs["inspections"], max as u64);
    let mys = fv["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "Malaysia")
        .unwrap()
        .clone();
    assert_eq!(mys["defaulted_turns"], json!([1]));

    // Debrief: closed to teams until opened; the facilitator sees it any time.
    let (st, v) = s.get(&format!("/api/team/{sg}/debrief"));
    assert_eq!((st, v["error"].as_str()), (409, Some("debrief_closed")));
    let (st, d) = s.get(&s.fac("/debrief"));
    assert_eq!(st, 200);
    assert_eq!(d["teams"].as_array().unwrap().len(), 3);
    let (st, _) = s.post(&s.fac("/debrief"), &json!({}));
    assert_eq!(st, 200);
    let (st, d2) = s.get(&format!("/api/team/{my}/debrief"));
    assert_eq!(st, 200);
    assert_eq!(d2["overall"], d["overall"]);
    assert_eq!(
        s.get(&s.fac("/submissions")).1["submissions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn scripted_two_team_game_to_the_debrief_keeps_the_truth_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let sc = two_team_scenario(dir.path());
    let state = dir.path().join("game.db");
    let s = Server::start(Some(&sc), &state);
    assert_eq!(s.teams.len(), 2);
    let tokens: Vec<(String, String)> = s.teams.clone();
    let mut found: Vec<String> = Vec::new();
    let mut submitted = 0u64;
    let turns = s.get(&s.fac("")).1["status"]["turns"].as_u64().unwrap();
    for turn in 1..=turns {
        let truth = s.get(&s.fac("/truth")).1;
        for (i, (name, tok)) in tokens.iter().enumerate() {
            // Every team route with every team's token: own data truth-free, others' refused.
            for path in ["", "/results", "/debrief"] {
                let (st, body) = http(&s.addr, "GET", &format!("/api/team/{tok}{path}"), None);
                if path == "/debrief" {
                    assert_eq!(st, 409);
                } else {
                    assert_eq!(st, 200);
                }
                assert_no_truth(
                    &format!("{name}{path} turn {turn}"),
                    &body,
                    &truth,
                    name,
                    &found,
                );
            }
            let view = s.get(&format!("/api/team/{tok}")).1;
            // Malaysia skips turn 3: it is defaulted.
            if name == "Malaysia" && turn == 3 {
                continue;
            }
            let picks = pick(&view);
            submitted += picks.len() as u64;
            let other = &tokens[1 - i].0;
            let alerts = table(&view)
                .first()
                .map(|d| vec![json!({"to": other, "traders": [d["consignee"]["id"]]})])
                .unwrap_or_default();
            let (st, ack) = s.post(
                &format!("/api/team/{tok}/decisions"),
                &json!({"turn": turn, "inspect": picks, "alerts": alerts}),
            );
            assert_eq!(st, 200, "{ack}");
        }
        let (st, adv) = s.post(&s.fac("/advance"), &json!({"turn": turn}));
        assert_eq!(st, 200, "{adv}");
        for (_, tok) in &tokens {
            let r = s.get(&format!("/api/team/{tok}")).1;
            for i in r["last_results"]["inspections"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if !i["found"].is_null() {
                    found.push(i["declaration"].as_str().unwrap().to_string());
                }
            }
        }
    }
    let fv = s.get(&s.fac("")).1;
    assert_eq!(fv["status"]["phase"], "finished");
    let mys = fv["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "Malaysia")
        .unwrap()
        .clone();
    assert_eq!(mys["defaulted_turns"], json!([3]));
    let (st, v) = s.post(&s.fac("/advance"), &json!({"turn": turns + 1}));
    assert_eq!((st, v["error"].as_str()), (409, Some("finished")));

    s.post(&s.fac("/debrief"), &json!({}));
    let d = s.get(&format!("/api/team/{}/debrief", tokens[0].1)).1;
    let teams = d["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 2);
    let mut inspections = 0;
    for t in teams {
        let sc = &t["score"];
        inspections += sc["inspections"].as_u64().unwrap();
        assert!(sc["caught"].as_u64().unwrap() <= sc["illicit_presented"].as_u64().unwrap());
        assert_eq!(
            sc["caught"].as_u64().unwrap() + sc["missed"].as_u64().unwrap(),
            sc["illicit_presented"].as_u64().unwrap()
        );
        assert_eq!(
            t["illicit"].as_array().unwrap().len() as u64,
            sc["illicit_presented"].as_u64().unwrap()
        );
        for r in t["illicit"].as_array().unwrap() {
            assert!(
                !r["commodity"].as_str().unwrap().is_empty()
                    && !r["sender"].as_str().unwrap().is_empty()
            );
            assert!(NETWORKS.contains(&r["network"].as_str().unwrap()));
        }
        assert!(!t["alerts_sent"].as_array().unwrap().is_empty());
    }
    assert!(
        d["overall"]["illicit_presented"].as_u64().unwrap() > 0,
        "the game met illicit goods"
    );
    // Malaysia's defaulted turn was played by its strategy, the others by the script.
    assert!(inspections >= submitted, "{inspections} < {submitted}");
    let cmp = d["comparisons"].as_array().unwrap();
    assert_eq!(cmp.len(), 2 * 3, "two teams × three debrief strategies");
    for c in cmp {
        // Paired: the same licit trade reaches the offices under any strategy.
        assert!(c["strategy_score"]["declarations"].as_u64().unwrap() > 0);
    }
    drop(s);

    // The log replays to identical results, and the debrief exports.
    let out = Command::new(BIN)
        .args(["exercise", "--replay", state.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!(
            "{turns} turns closed, {turns} recorded turn results compared"
        )),
        "{text}"
    );
    assert!(text.contains("identical"), "{text}");
    let outdir = dir.path().join("debrief");
    let out = Command::new(BIN)
        .args([
            "exercise",
            "--debrief",
            state.to_str().unwrap(),
            "--out",
            outdir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "debrief.json",
        "teams.csv",
        "illicit.csv",
        "alerts.csv",
        "comparisons.csv",
        "red.csv",
    ] {
        assert!(outdir.join(f).exists(), "{f}");
    }
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(outdir.join("debrief.json")).unwrap())
            .unwrap();
    assert_eq!(
        written["overall"], d["overall"],
        "the exported debrief is the served one"
    );
    let teams_csv = std::fs::read_to_string(outdir.join("teams.csv")).unwrap();
    assert_eq!(teams_csv.lines().count(), 1 + 2 + 1);
}

#[test]
fn kill_9_mid_game_loses_no_acknowledged_decision() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("crash.db");
    let mut s = Server::start(Some(&scenario("asean-exercise.ron")), &state);
    let sg = s.token("Singapore").to_string();
    let my = s.token("Malaysia").to_string();
    let view = s.get(&format!("/api/team/{sg}")).1;
    let (st, _) = s.post(
        &format!("/api/team/{sg}/decisions"),
        &json!({"turn": 1, "inspect": pick(&view)}),
    );
    assert_eq!(st, 200);
    let (st, _) = s.post(&s.fac("/advance"), &json!({"turn": 1}));
    assert_eq!(st, 200);
    let view = s.get(&format!("/api/team/{my}")).1;
    let picks = pick(&view);
    let (st, ack) = s.post(
        &format!("/api/team/{my}/decisions"),
        &json!({"turn": 2, "inspect": picks}),
    );
    assert_eq!(st, 200);
    let subs = s.get(&s.fac("/submissions")).1;
    let sg_results = s.get(&format!("/api/team/{sg}/results")).1;
    let my_view = s.get(&format!("/api/team/{my}")).1;
    let fac = s.facilitator.clone();
    s.kill9();

    // Restart on the same state file, without the scenario: the same URLs, turn and
    // decisions.
    let s2 = Server::start(None, &state);
    assert_eq!(s2.facilitator, fac);
    assert_eq!(s2.token("Malaysia"), my);
    assert_eq!(s2.get(&s2.fac("/submissions")).1, subs);
    assert_eq!(s2.get(&format!("/api/team/{sg}/results")).1, sg_results);
    let again = s2.get(&format!("/api/team/{my}")).1;
    assert_eq!(
        again, my_view,
        "the team's view is exactly as before the crash"
    );
    assert_eq!(
        again["decisions"]["inspect"].as_array().unwrap().len(),
        picks.len()
    );
    assert!(ack["seq"].as_u64().unwrap() >= 3);
    let (st, adv) = s2.post(&s2.fac("/advance"), &json!({"turn": 2}));
    assert_eq!(st, 200, "{adv}");
}

#[test]
fn exercise_block_errors_name_the_line_and_what_is_valid() {
    let text = std::fs::read_to_string(scenario("asean-exercise.ron")).unwrap();
    let cases = [
        (
            text.replace(
                "name: \"Thailand\", administrations: [\"THA\"]",
                "name: \"Thailand\", offices: [\"THLCX\"]",
            ),
            "unknown node with an office \"THLCX\"",
            "did you mean \"THLCH\"",
        ),
        (
            text.replace(
                "support: Indicators(\"profiles\")",
                "support: Score(\"profiles\")",
            ),
            "strategy \"profiles\" has no risk score to show",
            "RiskScore or IntelligenceLed",
        ),
        (
            text.replace("turns: 10,", "turns: 30,"),
            "30 turns of 24 hours from day 0 do not fit in the run's 10 days",
            "more `days`",
        ),
        (
            text.replace(
                "name: \"Malaysia\", administrations: [\"MYS\"]",
                "name: \"Malaysia\", administrations: [\"SGP\"]",
            ),
            "played by two teams",
            "",
        ),
        (
            text.replace("turn: 4,", "turn: 11,"),
            "turn 11 is not a turn of this exercise",
            "use 1 to 10",
        ),
    ];
    for (src, message, help) in cases {
        let err = stce::scenario::parse("x.ron", &src)
            .expect_err(message)
            .to_string();
        assert!(err.contains(message), "{err}");
        assert!(err.contains(help), "{err}");
        assert!(err.starts_with("x.ron:"), "{err}");
    }
}
