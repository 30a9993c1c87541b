//! Small HTML building blocks: escaping, tables, figures with captions.

use std::fmt::Write;

/// Text made safe for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A table; `numeric[i]` right-aligns column i. Cells are escaped.
pub fn table(header: &[&str], rows: &[Vec<String>], numeric: &[bool]) -> String {
    let mut s = String::from("<div class=\"scroll\"><table><thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let class = if numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(s, "<th{class}>{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let class = if numeric.get(i).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(s, "<td{class}>{}</td>", esc(c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}

/// A section with an id, a heading and its body (already HTML).
pub fn section(id: &str, title: &str, body: &str) -> String {
    format!(
        "<section id=\"{}\"><h2>{}</h2>{body}</section>\n",
        esc(id),
        esc(title)
    )
}

/// A paragraph of escaped text with a class.
pub fn note(text: &str) -> String {
    format!("<p class=\"note\">{}</p>", esc(text))
}

/// A figure of a plot file the command wrote (plotters SVG, drawn large): shown at a
/// reading size.
pub fn plot_figure(svg: &str, caption: &str) -> String {
    figure(svg, caption).replacen("<figure>", "<figure class=\"plot\">", 1)
}

/// A figure: inline SVG (trusted, made here or by the plot writer) and its caption.
pub fn figure(svg: &str, caption: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    )
}

/// The page's style sheet: readable on screen, clean when printed to PDF.
pub const STYLE: &str = r#"
:root { --ink:#1d2733; --muted:#5b6775; --line:#d5dbe1; --accent:#1f5f8b; --bg:#ffffff; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color:var(--ink); background:#f3f5f7; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; background:var(--bg); }
header h1 { margin: 0 0 4px; font-size: 26px; }
header .kind { color: var(--muted); margin: 0 0 12px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--accent); padding-bottom: 3px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p { margin: 6px 0; }
.note { color: var(--muted); font-size: 13px; }
dl.facts { display:grid; grid-template-columns: 190px 1fr; gap: 3px 14px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
code, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; }
.cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
.card { border:1px solid var(--line); border-radius:6px; padding:10px 12px; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 24px; font-weight: 600; }
.card .ci { font-size: 12.5px; color: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
th, td { padding: 4px 7px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #eef2f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 8px 0 14px; }
figure svg { width: 100%; height: auto; display: block; }
figure.plot svg { max-width: 760px; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.maprow { display:flex; gap: 14px; align-items: flex-start; }
.maprow figure { flex: 1 1 auto; min-width: 0; }
.legend { flex: 0 0 215px; font-size: 12.5px; }
.legend ul { list-style: none; padding: 0; margin: 0 0 10px; }
.legend li { display:flex; align-items:center; gap:7px; margin: 3px 0; }
.legend svg { flex: 0 0 auto; }
ol.timeline { padding-left: 0; list-style: none; }
ol.timeline li { display:grid; grid-template-columns: 110px 1fr; gap: 8px; padding: 2px 0; border-bottom: 1px dotted var(--line); }
.tag { display:inline-block; font-size: 11px; padding: 0 5px; border-radius: 3px; background:#eef2f5; color: var(--muted); margin-left: 4px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { background: white; font-size: 11.5px; }
  main { max-width: none; padding: 0; }
  section { break-inside: avoid-page; }
  .maprow { display:block; }
  .legend { columns: 2; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
