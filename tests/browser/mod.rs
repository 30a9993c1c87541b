//! Headless Chromium driven through chromedriver (WebDriver, via fantoccini), for the
//! exercise console's end-to-end tests.
//!
//! Debian's `chromium` and `chromium-driver` packages are what `.ci/run` installs. When
//! they are missing the tests skip with a loud message on a developer's machine, and
//! fail under CI (`CI` set), where a silent skip would let the console go untested.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The page size the console must hold without a layout break (a classroom projector).
pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 720;

/// Whether the browser is there; `None` means "skip", after saying so loudly.
/// Panics under CI, where the browser must be installed.
pub fn available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if present {
        return true;
    }
    let ci = std::env::var("CI").map(|v| !v.is_empty() && v != "false" && v != "0");
    if ci.unwrap_or(false) {
        panic!(
            "CI is set but {CHROMIUM} or {CHROMEDRIVER} is missing: .ci/run installs \
             Debian's chromium and chromium-driver; the browser tests cannot be skipped in CI"
        );
    }
    eprintln!(
        "\n=====================================================================\n\
         SKIPPED: browser test needs {CHROMIUM} and {CHROMEDRIVER}\n\
         (apt-get install -y chromium chromium-driver). Under CI this fails.\n\
         =====================================================================\n"
    );
    false
}

/// A free loopback port (bound then released; chromedriver takes it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A chromedriver process with its own fresh Chromium profile directory. Killed on drop.
pub struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Driver {
    pub fn start() -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            port,
            profile: tempfile::tempdir().expect("profile dir"),
        };
        driver.wait_listening();
        driver
    }

    fn wait_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "chromedriver did not listen on port {} within 20 s",
            self.port
        );
    }

    /// A browser session. `offline` points Chromium at a dead proxy, so any request to
    /// the network fails (file:// pages still load): the check that an exported page
    /// needs nothing from outside.
    pub async fn session(&self, name: &str, offline: bool) -> Client {
        let dir = self.profile.path().join(name);
        std::fs::create_dir_all(&dir).expect("profile subdir");
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            format!("--window-size={WIDTH},{HEIGHT}"),
            format!("--user-data-dir={}", dir.display()),
        ];
        if offline {
            args.push("--proxy-server=http://127.0.0.1:9".into());
            args.push("--proxy-bypass-list=<-loopback>".into());
        }
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("chromedriver session");
        set_viewport(&client, WIDTH, HEIGHT).await;
        client
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Size the window so that the page itself (the viewport) is `width`×`height`: the
/// window size WebDriver sets includes the browser's own frame.
pub async fn set_viewport(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height).await.expect("window size");
    let inner = js(c, "return [window.innerWidth, window.innerHeight];").await;
    let (iw, ih) = (
        inner[0].as_u64().unwrap() as u32,
        inner[1].as_u64().unwrap() as u32,
    );
    if (iw, ih) != (width, height) {
        c.set_window_size(2 * width - iw, 2 * height - ih)
            .await
            .expect("window size");
    }
}

/// Evaluate a JavaScript expression (`return ...;` body) and give back its JSON value.
pub async fn js(c: &Client, body: &str) -> Value {
    c.execute(body, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{body}"))
}

/// Wait (up to `secs`) until a JavaScript condition is true; panics with `what` and the
/// page's visible text otherwise, so a failure says what the page showed.
pub async fn wait_until(c: &Client, what: &str, secs: u64, condition: &str) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let script = format!("return !!({condition});");
    loop {
        if js(c, &script).await == Value::Bool(true) {
            return;
        }
        if Instant::now() > deadline {
            let body = js(c, "return document.body ? document.body.innerText : '';").await;
            panic!(
                "timed out after {secs} s waiting for {what} ({condition}); page says:\n{}",
                body.as_str().unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Text of the element matching `css`.
pub async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
        .text()
        .await
        .expect("element text")
}

/// The directory where a test leaves its screenshots and exports for a person to look at.
pub fn output_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("browser-screenshots")
        .join(test);
    std::fs::create_dir_all(&dir).expect("output dir");
    dir
}

/// Save two screenshots of the page, scrolled to the top: the 1280×720 viewport (what a
/// projector shows first) as `NAME.png`, and the whole page as `NAME-full.png` (window
/// grown to the document's height, at most 2400 px, then put back).
pub async fn screenshots(c: &Client, dir: &Path, name: &str) {
    js(c, "window.scrollTo(0, 0); return 0;").await;
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    let height = js(
        c,
        "return Math.ceil(document.documentElement.scrollHeight);",
    )
    .await
    .as_u64()
    .unwrap_or(HEIGHT as u64)
    .clamp(HEIGHT as u64, 2400) as u32;
    set_viewport(c, WIDTH, height).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    let png = c.screenshot().await.expect("full screenshot");
    std::fs::write(dir.join(format!("{name}-full.png")), png).expect("write screenshot");
    set_viewport(c, WIDTH, HEIGHT).await;
}

/// Layout check at the projector size: nothing wider than the window (no sideways
/// scrolling of the page itself; wide tables scroll inside their own box).
pub async fn assert_fits_width(c: &Client, page: &str) {
    let v = js(
        c,
        "return [document.documentElement.scrollWidth, window.innerWidth];",
    )
    .await;
    let (scroll, inner) = (v[0].as_u64().unwrap(), v[1].as_u64().unwrap());
    assert!(
        scroll <= inner,
        "{page}: the page is {scroll} px wide in a {inner} px window (layout breaks at 1280×720)"
    );
}
