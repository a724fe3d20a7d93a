//! The accessible HTML copy: one self-contained HTML5 document (no scripts, no external
//! resources) with the same cover letter, index and items as the PDF. Every piece of text from
//! the bundle is escaped.

use std::fmt::Write as _;

use crate::{Bundle, Section, Segment};

const STYLE: &str = "\
body{margin:0;background:#fff;color:#1a1a1a;font:1.0625rem/1.55 system-ui,\"DejaVu Sans\",sans-serif}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 .5rem}
h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 .25rem}
p{margin:.5rem 0}
.meta{margin:.1rem 0;color:#444;font-size:.92rem}
.redacted{background:#d9d9d9;color:#000;font-weight:700;padding:0 .2em;border-radius:.2em;\
-webkit-box-decoration-break:clone;box-decoration-break:clone}
nav ol{padding-left:1.5rem}
nav li{margin:.2rem 0}
a{color:#0b4f8a}
a:focus-visible{outline:3px solid #f0b000;outline-offset:2px}
section.item{border-top:1px solid #bbb;margin-top:1.5rem}
@page{size:A4;margin:20mm}
@media print{body{font-size:11pt}main{max-width:none;padding:0}a{color:inherit;text-decoration:none}\
nav{break-after:page}.cover{break-after:page}h2{break-after:avoid}\
.redacted{-webkit-print-color-adjust:exact;print-color-adjust:exact;outline:1px solid #000}}
";

/// Escapes text for use in HTML content and in double- or single-quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// See [`crate::render_html`].
pub(crate) fn render(bundle: &Bundle) -> String {
    let mut out = String::new();
    let title = escape(&bundle.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <header>\n<h1>{title}</h1>\n<p class=\"meta\">Reference: {}</p>\n\
         <p class=\"meta\">Prepared on {}</p>\n</header>\n",
        escape(&bundle.reference),
        escape(&bundle.prepared_on),
    );
    out.push_str("<div class=\"cover\">\n");
    for (n, section) in bundle.cover.iter().enumerate() {
        write_section(&mut out, section, &format!("cover-{}", n + 1), "cover-section");
    }
    out.push_str("</div>\n");
    write_index(&mut out, &bundle.items);
    for (n, item) in bundle.items.iter().enumerate() {
        write_section(&mut out, item, &item_id(n), "item");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn item_id(n: usize) -> String {
    format!("item-{}", n + 1)
}

fn write_index(out: &mut String, items: &[Section]) {
    out.push_str("<nav aria-label=\"Index\">\n<h2 id=\"index\">Index</h2>\n");
    if items.is_empty() {
        out.push_str("<p>This bundle holds no records.</p>\n");
    } else {
        out.push_str("<ol>\n");
        for (n, item) in items.iter().enumerate() {
            let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", item_id(n), escape(&item.heading));
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</nav>\n");
}

fn write_section(out: &mut String, section: &Section, id: &str, class: &str) {
    let _ = writeln!(
        out,
        "<section id=\"{id}\" class=\"{class}\" aria-labelledby=\"{id}-heading\">\n\
         <h2 id=\"{id}-heading\">{}</h2>",
        escape(&section.heading)
    );
    for meta in &section.meta {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(meta));
    }
    for paragraph in &section.paragraphs {
        out.push_str("<p>");
        for segment in paragraph {
            match segment {
                Segment::Text(text) => out.push_str(&escape(text)),
                Segment::Redacted { reason } => {
                    let _ = write!(out, "<span class=\"redacted\">{}</span>", escape(&crate::redaction_marker(reason)));
                }
            }
        }
        out.push_str("</p>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        Bundle {
            title: "Your information — <script>alert(1)</script>".into(),
            reference: "SAR-7 & co".into(),
            prepared_on: "4 December 2026".into(),
            cover: vec![Section {
                heading: "Dear Zoë".into(),
                meta: vec![],
                paragraphs: vec![vec![Segment::Text("Fish & chips <b>".into())]],
            }],
            items: vec![
                Section {
                    heading: "Home visit \"A\"".into(),
                    meta: vec!["Record kept until 2040 <soon>".into()],
                    paragraphs: vec![vec![
                        Segment::Text("Met ".into()),
                        Segment::Redacted { reason: "third party <name>".into() },
                        Segment::Text(" at school.".into()),
                    ]],
                },
                Section { heading: "Strategy meeting".into(), meta: vec![], paragraphs: vec![] },
            ],
        }
    }

    #[test]
    fn escapes_every_piece_of_text() {
        let html = render(&bundle());
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(!html.contains("<soon>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Fish &amp; chips &lt;b&gt;"));
        assert!(html.contains("SAR-7 &amp; co"));
        assert!(html.contains("Home visit &quot;A&quot;"));
        assert!(!html.contains(" & "), "an unescaped ampersand: {html}");
        assert!(html.contains("Dear Zoë"));
    }

    #[test]
    fn is_a_complete_accessible_document() {
        let html = render(&bundle());
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
        assert!(html.contains("<title>Your information — &lt;script&gt;"));
        assert_eq!(html.matches("<main>").count(), 1);
        assert_eq!(html.matches("<h1>").count(), 1);
        assert!(html.trim_end().ends_with("</html>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("http"), "no external resources");
        for tag in ["main", "section", "nav", "p", "h2", "ol", "li", "a", "span"] {
            let opened = html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
            let closed = html.matches(&format!("</{tag}>")).count();
            assert_eq!(opened, closed, "<{tag}> is not balanced");
        }
    }

    #[test]
    fn index_links_to_each_item() {
        let html = render(&bundle());
        assert!(html.contains("<nav aria-label=\"Index\">"));
        assert!(html.contains("<a href=\"#item-1\">Home visit &quot;A&quot;</a>"));
        assert!(html.contains("<a href=\"#item-2\">Strategy meeting</a>"));
        assert!(html.contains("<section id=\"item-1\""));
        assert!(html.contains("<section id=\"item-2\""));
        assert!(html.contains("<p class=\"meta\">Record kept until 2040 &lt;soon&gt;</p>"));
    }

    #[test]
    fn marks_redactions() {
        let html = render(&bundle());
        assert!(
            html.contains("<p>Met <span class=\"redacted\">[redacted: third party &lt;name&gt;]</span> at school.</p>")
        );
    }

    #[test]
    fn an_empty_bundle_says_it_holds_no_records() {
        let mut empty = bundle();
        empty.items.clear();
        let html = render(&empty);
        assert!(html.contains("This bundle holds no records."));
        assert!(!html.contains("<ol>"));
    }
}
