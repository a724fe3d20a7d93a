//! The PDF read back as a person's tools read it: poppler's `pdftotext`, `pdffonts` and
//! `pdfinfo` (Debian's poppler-utils). Without them these tests fail rather than skip.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::Path;
use std::process::Command;

use harbour_bundle::{render_pdf, Bundle, Section, Segment};

const ITEMS: usize = 64;
const SENTINEL: &str = "SENTINEL-NEVER-IN-THE-BUNDLE-7f3a";
const REDACTION_REASON: &str = "third party — name of another child";
const LEFT_MARGIN: f64 = 56.69;
const RIGHT_EDGE: f64 = 595.28 - 56.69;

fn heading(n: usize) -> String {
    // Headings end in a word, not a number, so an index line is told apart by its page number.
    format!("Record {n:03}: visit to Zoë Øyelaran — £{n}0 grant")
}

/// Several hundred characters with no space: it has to be broken to fit.
fn long_word() -> String {
    (0..30).map(|i| format!("Unbroken{i:02}ÄÖÜ")).collect()
}

fn paragraph(n: usize, k: usize) -> Vec<Segment> {
    let text = format!(
        "Paragraph {k} of record {n}. The social worker visited the family home at 10:30 and \
         spoke with Zoë and her grandmother Siân about school attendance, which has improved \
         since the last review — the café breakfast club costs £2.50 a day and is now paid for. "
    );
    let mut segments = vec![Segment::Text(text.repeat(2))];
    if (n + k).is_multiple_of(3) {
        segments.push(Segment::Text("Zoë said she had spoken to ".into()));
        segments.push(Segment::Redacted { reason: REDACTION_REASON.into() });
        segments.push(Segment::Text(" about it, and felt safer since.".into()));
    }
    segments
}

fn bundle() -> Bundle {
    let cover = vec![
        Section {
            heading: "Dear Zoë".into(),
            meta: vec![],
            paragraphs: vec![vec![Segment::Text(
                "This is the information we hold about you. Where we have had to withhold \
                 something, you will see why in its place."
                    .into(),
            )]],
        },
        Section {
            heading: "What UK GDPR Article 15 entitles you to know".into(),
            meta: vec![],
            paragraphs: vec![
                vec![Segment::Text(
                    "Why we hold your information, what kinds we hold, who we have shared it \
                     with, how long we keep it and where it came from."
                        .into(),
                )],
                vec![Segment::Text(format!("A reference that does not fit: {}", long_word()))],
            ],
        },
        Section {
            heading: "Your rights".into(),
            meta: vec!["Information Commissioner’s Office".into()],
            paragraphs: vec![vec![Segment::Text(
                "You may ask us to correct anything that is wrong, and you may complain to the \
                 Information Commissioner’s Office."
                    .into(),
            )]],
        },
    ];
    let items = (1..=ITEMS)
        .map(|n| Section {
            heading: heading(n),
            meta: vec![
                format!("{} March 2026 · recorded by the duty team", n % 28 + 1),
                "Record kept until 4 December 2051".into(),
            ],
            paragraphs: (1..=3).map(|k| paragraph(n, k)).collect(),
        })
        .collect();
    Bundle {
        title: "Your information — subject access request".into(),
        reference: "SAR-2026-0042".into(),
        prepared_on: "4 December 2026".into(),
        cover,
        items,
    }
}

fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "could not run {tool} ({error}): install poppler-utils \
                 (apt-get install poppler-utils)"
            )
        });
    assert!(output.status.success(), "{tool} failed: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Renders the test bundle once into a temporary file and runs `f` on it.
fn with_pdf(f: impl FnOnce(&Path)) {
    let pdf = render_pdf(&bundle()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.pdf");
    std::fs::write(&path, pdf).unwrap();
    f(&path);
}

/// The text with every run of white space made one space, footers left out.
fn flowing(text: &str) -> String {
    let lines = text.lines().filter(|line| !line.contains("Reference: SAR-"));
    lines.flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

fn page_count(pages: &[&str]) -> usize {
    let first = pages[0];
    let at = first.find("Page 1 of ").expect("a footer on page 1") + "Page 1 of ".len();
    let digits: String = first[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap()
}

#[test]
fn text_extracts_whole_and_nothing_else() {
    with_pdf(|path| {
        let text = poppler("pdftotext", &["-layout"], path);
        let flowing = flowing(&text);
        for n in 1..=ITEMS {
            assert!(flowing.contains(&heading(n)), "heading {n} is missing");
        }
        for sample in [
            "Your information — subject access request",
            "Prepared on 4 December 2026",
            "What UK GDPR Article 15 entitles you to know",
            "Information Commissioner’s Office",
            "spoke with Zoë and her grandmother Siân about school attendance",
            "the café breakfast club costs £2.50 a day",
            "Paragraph 3 of record 64.",
            "Record kept until 4 December 2051",
        ] {
            assert!(flowing.contains(sample), "{sample:?} is missing");
        }
        let marker = format!("[redacted: {REDACTION_REASON}]");
        assert!(flowing.contains(&marker), "the redaction marker is missing");
        assert!(flowing.contains(&format!("spoken to {marker} about it")));
        assert!(!text.contains(SENTINEL));
        assert!(!text.contains('\u{fffd}'), "a character did not extract");
    });
}

#[test]
fn a_word_longer_than_a_line_is_broken_not_lost() {
    with_pdf(|path| {
        let text = poppler("pdftotext", &["-layout"], path);
        let squeezed: String = flowing(&text).split_whitespace().collect();
        assert!(squeezed.contains(&long_word()), "the long word lost characters");
        let bbox = poppler("pdftotext", &["-bbox"], path);
        let mut words = 0;
        for word in bbox.split("<word ").skip(1) {
            let coordinate = |name: &str| -> f64 {
                let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                let end = at + word[at..].find('"').unwrap();
                word[at..end].parse().unwrap()
            };
            let (min, max) = (coordinate("xMin"), coordinate("xMax"));
            assert!(min >= LEFT_MARGIN - 0.5, "a word starts in the margin: {word}");
            assert!(max <= RIGHT_EDGE + 0.5, "a word overflows the margin: {word}");
            words += 1;
        }
        assert!(words > 1000, "only {words} words");
    });
}

#[test]
fn every_page_is_numbered_and_the_index_points_at_the_right_pages() {
    with_pdf(|path| {
        let text = poppler("pdftotext", &["-layout"], path);
        let pages: Vec<&str> = text.split('\x0c').filter(|p| !p.trim().is_empty()).collect();
        let total = page_count(&pages);
        assert!(total > 5, "{total} pages");
        assert_eq!(pages.len(), total);
        for (n, page) in pages.iter().enumerate() {
            let footer = format!("Page {} of {total}", n + 1);
            assert!(page.contains(&footer), "page {} has no {footer:?}", n + 1);
            assert!(page.contains("Reference: SAR-2026-0042"));
        }
        assert!(!pages[0].contains("Index"), "the index is on the cover page");
        assert!(pages[1].trim_start().starts_with("Index"));
        for n in 1..=ITEMS {
            let heading = heading(n);
            let on: Vec<usize> = (0..total).filter(|&p| pages[p].contains(&heading)).collect();
            assert_eq!(on.len(), 2, "{heading:?} is on pages {on:?}");
            let entry = pages[on[0]].lines().find(|l| l.contains(&heading)).unwrap();
            let listed: usize = entry.split_whitespace().last().unwrap().parse().unwrap();
            assert_eq!(listed, on[1] + 1, "the index puts {heading:?} on the wrong page");
            assert!(on[1] > on[0]);
        }
    });
}

#[test]
fn fonts_are_embedded_with_a_unicode_map_and_the_title_is_set() {
    with_pdf(|path| {
        let fonts = poppler("pdffonts", &[], path);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert_eq!(rows.len(), 2, "regular and bold: {fonts}");
        for row in rows {
            let columns: Vec<&str> = row.split_whitespace().collect();
            let n = columns.len();
            assert!(columns[0].contains("DejaVuSans"), "{row}");
            assert_eq!(columns[n - 5], "yes", "not embedded: {row}");
            assert_eq!(columns[n - 3], "yes", "no ToUnicode map: {row}");
        }
        let info = poppler("pdfinfo", &[], path);
        let title = info.lines().find(|l| l.starts_with("Title:")).unwrap();
        assert_eq!(title.trim_start_matches("Title:").trim(), "Your information — subject access request");
        let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
        assert!(size.ends_with("595.28 x 841.89 pts (A4)"), "{size}");
    });
}

#[test]
fn an_empty_bundle_still_renders() {
    let pdf = render_pdf(&Bundle::default()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_long_reference_is_shortened_in_the_footer_not_run_into_the_page_number() {
    let bundle = Bundle { reference: "SAR-".to_owned() + &"0123456789".repeat(20), ..bundle() };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long-reference.pdf");
    std::fs::write(&path, render_pdf(&bundle).unwrap()).unwrap();
    let text = poppler("pdftotext", &["-layout"], &path);
    let footer = text.lines().find(|l| l.contains("Page 1 of")).unwrap();
    assert!(footer.trim_start().starts_with("Reference: SAR-0123"), "{footer}");
    assert!(footer.contains("…   "), "{footer}");
    // The whole reference is still on the cover.
    let flowing: String = text.split_whitespace().collect();
    assert!(flowing.contains(&bundle.reference));
}
