//! Writes a made-up bundle as `bundle.pdf` and `bundle.html` into a folder, to look at, and says
//! how long each took to render:
//!
//! ```sh
//! cargo run --release -p harbour-bundle --example sample -- /tmp/bundle 500
//! ```

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use harbour_bundle::{render_html, render_pdf, Bundle, Section, Segment};

fn item(n: usize) -> Section {
    let text = "The social worker visited the family home and spoke with Zoë and her \
                grandmother Siân about school attendance, which has improved since the last \
                review — the breakfast club costs £2.50 a day and is now paid for. ";
    Section {
        heading: format!("Record {n}: home visit"),
        meta: vec![format!("{} March 2026 · duty team", n % 28 + 1), "Record kept until 4 December 2051".into()],
        paragraphs: vec![
            vec![Segment::Text(text.repeat(2))],
            vec![
                Segment::Text("Zoë said she had told ".into()),
                Segment::Redacted { reason: "third party".into() },
                Segment::Text(", and felt safer since.".into()),
            ],
        ],
    }
}

fn bundle(items: usize) -> Bundle {
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
            paragraphs: vec![vec![Segment::Text(
                "Why we hold your information, what kinds we hold, who we have shared it with, \
                 how long we keep it and where it came from."
                    .into(),
            )]],
        },
    ];
    Bundle {
        title: "Your information — subject access request".into(),
        reference: "SAR-2026-0042".into(),
        prepared_on: "4 December 2026".into(),
        cover,
        items: (1..=items).map(item).collect(),
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "bundle-sample".into()));
    let items = args.next().map_or(Ok(60), |n| n.parse())?;
    let bundle = bundle(items);
    std::fs::create_dir_all(&dir)?;

    let started = Instant::now();
    let pdf = render_pdf(&bundle)?;
    let pdf_time = started.elapsed();
    let started = Instant::now();
    let html = render_html(&bundle);
    let html_time = started.elapsed();

    std::fs::write(dir.join("bundle.pdf"), &pdf)?;
    std::fs::write(dir.join("bundle.html"), &html)?;
    println!("{items} items: PDF {} bytes in {pdf_time:?}, HTML {} bytes in {html_time:?}", pdf.len(), html.len());
    Ok(())
}
