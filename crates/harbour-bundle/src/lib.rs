//! A subject access request's released bundle, rendered from a plain structure as a PDF and as
//! an accessible HTML copy. The crate does no IO: it returns bytes and a string.
//!
//! Redacted text never enters the structure: the caller replaces it with a
//! [`Segment::Redacted`] that says why, so it cannot leak into either file.
//!
//! # Why krilla
//!
//! The PDF is written by [krilla] (the PDF backend of Typst, actively maintained) rather than
//! `printpdf` 0.7. Both embed the TrueType font with a ToUnicode map, so `pdftotext` extracts
//! the text, and printpdf 0.7 is the smaller build (about 18 new crates in Cargo.lock against
//! krilla's 25; 9 s against 23 s for a cold debug build of a scratch crate on two cores). But
//! printpdf 0.7 is a superseded line (0.8 was a rewrite); it writes the document title as raw
//! UTF-8 bytes, so "Your information — subject access request" shows as mojibake in a viewer's
//! title bar; and it embeds both faces whole and uncompressed, about 1.7 MB for a one-page PDF.
//! krilla subsets and compresses the fonts (a 60-item bundle is about 80 kB), writes the
//! metadata correctly, and gives the index links and bookmarks. It is used with
//! `default-features = false` (no raster images, no shaping engine): glyphs are measured and
//! laid out here with skrifa, the font reader krilla itself uses, at the version it uses.
//! krilla 0.8 needs Rust 1.92.
//!
//! Without a shaping engine, text is set one glyph per character, left to right: right for the
//! Latin, Greek and Cyrillic text DejaVu Sans covers, not for scripts that need shaping or run
//! right to left (Arabic, Hebrew, Indic scripts), and DejaVu Sans has no CJK glyphs at all. The
//! HTML copy, which the reader's browser sets, has no such limit.
//!
//! [krilla]: https://docs.rs/krilla
//!
//! # Layout
//!
//! A4 with 20 mm side margins, DejaVu Sans (vendored in `fonts/`, with its licence). The cover
//! letter comes first, then an index on a page of its own listing each item with its page
//! number, then the items. Lines are broken on the fonts' real advance widths; a word longer than
//! a line is broken between characters. Every page has a footer with the reference and
//! "Page N of M". Pagination runs first, leaving the index's numbers as references; the drawing
//! pass fills them in.

mod font;
mod html;
mod layout;
mod pdf;

/// A released bundle.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bundle {
    /// E.g. "Your information — subject access request"; also the PDF's document title.
    pub title: String,
    /// The request's reference, shown on the cover and in every page's footer.
    pub reference: String,
    /// An already formatted date, e.g. "4 December 2026".
    pub prepared_on: String,
    /// The cover letter, including the information UK GDPR Article 15 requires.
    pub cover: Vec<Section>,
    /// The records; each gets an index entry with its page number.
    pub items: Vec<Section>,
}

/// A heading with short lines under it and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    pub heading: String,
    /// Short lines under the heading: the date, the source, "Record kept until …".
    pub meta: Vec<String>,
    /// Each paragraph is a run of segments; white space inside and between `Text` segments is
    /// kept as word breaks.
    pub paragraphs: Vec<Vec<Segment>>,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    /// Text that was withheld. Only the reason is given; it is shown as
    /// "[redacted: {reason}]", set apart from the text around it.
    Redacted {
        reason: String,
    },
}

/// Why a bundle could not be rendered.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// A vendored font did not load (the crate was built with a damaged font file).
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
    /// A page, link or shape had a size krilla refused (a bug in the layout).
    #[error("the bundle's layout produced an invalid page geometry")]
    Geometry,
    /// krilla could not write the document.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// The text that stands in for a redaction: "[redacted: {reason}]", or "[redacted]" when no
/// reason is given.
pub(crate) fn redaction_marker(reason: &str) -> String {
    let reason = reason.trim();
    if reason.is_empty() {
        "[redacted]".to_owned()
    } else {
        format!("[redacted: {reason}]")
    }
}

/// Renders the bundle as an A4 PDF whose text extracts exactly (fonts embedded with a ToUnicode
/// map); the document title is `bundle.title`.
pub fn render_pdf(bundle: &Bundle) -> Result<Vec<u8>, BundleError> {
    pdf::render(bundle)
}

/// Renders the bundle as one self-contained, accessible HTML5 document.
#[must_use]
pub fn render_html(bundle: &Bundle) -> String {
    html::render(bundle)
}
