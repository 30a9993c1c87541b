//! The exercise console in a real browser (headless Chromium through chromedriver).
mod browser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_smoke() {
    if !browser::available() {
        return;
    }
    let driver = browser::Driver::start();
    let c = driver.session("smoke", true).await;
    c.goto("data:text/html,<h1 id=x>hello</h1>").await.unwrap();
    assert_eq!(browser::text_of(&c, "#x").await, "hello");
    c.close().await.unwrap();
}
