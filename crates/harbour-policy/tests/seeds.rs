//! Each shipped pack against the notice it encodes (`../shared/seeds/`): every line of the
//! published notice appears in the rendered notice, in Markdown and in HTML. Page furniture
//! that is not part of the notice is listed below with the reason it is left out.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use harbour_policy::pack::{self, Format};

/// (pack file, seed file)
const PAIRS: &[(&str, &str)] = &[
    ("domestic-abuse-sharing.toml", "000_50e13bf85fb0fa59.txt"),
    ("cse-sharing.toml", "001_49d293185dd90353.txt"),
    ("bcp-childrens-services.toml", "002_f627611b0add6862.txt"),
    ("dorset-csp-dhr.toml", "003_38e1b11934abe24b.txt"),
    ("childrens-support-safeguarding.toml", "004_67081dac36b7265a.txt"),
];

/// Lines of the saved web pages that belong to the website, not to the notice.
const WEBSITE_FURNITURE: &[&str] = &[
    "Skip to main content",                                  // seed 002: accessibility link
    "Skip to contents of guide",                             // seed 002: accessibility link
    "Have you encountered a problem with this page?",       // seed 002: feedback link
    "Weather disruption",                                    // seed 003: site-wide banner
    "Winter weather is causing disruption to services in some parts of the county. Find out what services may be affected in your area.",
];

fn normalise(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn seed_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['•', '-', '*']).trim())
        .filter(|l| !l.is_empty())
        .filter(|l| !WEBSITE_FURNITURE.iter().any(|f| normalise(f) == normalise(l)))
        .map(normalise)
        .collect()
}

fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_line_of_every_seed_is_in_its_rendered_notice() {
    let seeds = root().join("../shared/seeds");
    assert!(seeds.is_dir(), "the seeds are expected beside the repository at {}", seeds.display());
    for (pack_file, seed_file) in PAIRS {
        let src = std::fs::read_to_string(root().join("packs").join(pack_file)).unwrap();
        let pack = pack::load(pack_file, &src).unwrap_or_else(|e| panic!("{e}"));
        let seed = std::fs::read_to_string(seeds.join(seed_file)).unwrap();
        let md = normalise(&pack::render(&pack, Format::Markdown));
        let html = normalise(&html_text(&pack::render(&pack, Format::Html)));
        let lines = seed_lines(&seed);
        assert!(lines.len() > 10, "{seed_file} has text");
        let missing_md: Vec<&String> = lines.iter().filter(|l| !md.contains(l.as_str())).collect();
        let missing_html: Vec<&String> = lines.iter().filter(|l| !html.contains(l.as_str())).collect();
        assert!(missing_md.is_empty(), "{pack_file}: seed lines missing from the Markdown notice: {missing_md:#?}");
        assert!(missing_html.is_empty(), "{pack_file}: seed lines missing from the HTML notice: {missing_html:#?}");
    }
}

#[test]
fn every_notice_says_how_to_ask_for_a_copy_and_how_to_complain() {
    for (pack_file, _) in PAIRS {
        let src = std::fs::read_to_string(root().join("packs").join(pack_file)).unwrap();
        let pack = pack::load(pack_file, &src).unwrap();
        let md = pack::render(&pack, Format::Markdown);
        assert!(md.contains("Information Commissioner"), "{pack_file} does not say how to complain to the ICO");
        assert!(md.contains("ico.org.uk"), "{pack_file} does not give the ICO's address");
        assert!(md.to_lowercase().contains("copy"), "{pack_file} does not say how to ask for a copy");
    }
}

#[test]
fn the_test_notices_a_missing_line() {
    // The comparison must be able to fail: drop one purpose from the BCP pack.
    let src = std::fs::read_to_string(root().join("packs/bcp-childrens-services.toml")).unwrap();
    let mut pack = pack::load("bcp", &src).unwrap();
    let removed = pack.purposes.remove(0).text;
    let md = normalise(&pack::render(&pack, Format::Markdown));
    assert!(!md.contains(&normalise(&removed)), "the removed purpose must no longer be in the render");
}
