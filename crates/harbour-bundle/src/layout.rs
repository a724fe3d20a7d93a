//! Pagination, the first of the PDF's two passes: every line is broken and placed on its page
//! here, with the index's page numbers left as references to the items they name. Only once
//! every item's page is known does `pdf` draw, filling those numbers in (right-aligned in a
//! column of fixed width, so filling them in moves nothing else).
//!
//! Coordinates are in points from the top-left corner of an A4 page, as krilla takes them.

use crate::font::Fonts;
use crate::{Bundle, Section, Segment};

pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// 20 mm each side.
pub(crate) const MARGIN_X: f32 = 56.69;
const MARGIN_TOP: f32 = 56.69;
/// The body stops here; the footer sits below it.
const BODY_BOTTOM: f32 = PAGE_HEIGHT - 70.0;
pub(crate) const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 36.0;
pub(crate) const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
pub(crate) const TEXT_RIGHT: f32 = MARGIN_X + TEXT_WIDTH;

const SECTION_GAP: f32 = 16.0;
const PARAGRAPH_GAP: f32 = 6.0;
const HEADING_GAP: f32 = 3.0;
/// Between an index entry and the column its page number is right-aligned in.
const NUMBER_GAP: f32 = 12.0;

/// How a run of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Title,
    Heading,
    Meta,
    Body,
    Redacted,
    Footer,
}

impl Style {
    pub(crate) fn size(self) -> f32 {
        match self {
            Style::Title => 18.0,
            Style::Heading => 13.0,
            Style::Meta => 9.0,
            Style::Body | Style::Redacted => 10.5,
            Style::Footer => 8.0,
        }
    }

    pub(crate) fn bold(self) -> bool {
        matches!(self, Style::Title | Style::Heading | Style::Redacted)
    }

    fn line_height(self) -> f32 {
        self.size() * 1.45
    }
}

/// What a run shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    Text(String),
    /// The page number of the item at this index: known only after pagination.
    PageOf(usize),
}

/// Text in one style on one line. `x` and `width` are unused for `Content::PageOf`, which is
/// right-aligned when drawn.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub(crate) content: Content,
    pub(crate) style: Style,
    pub(crate) x: f32,
    pub(crate) width: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) baseline: f32,
    pub(crate) runs: Vec<Run>,
}

/// A line of the index that links to an item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    pub(crate) top: f32,
    pub(crate) height: f32,
    pub(crate) item: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    pub(crate) lines: Vec<Line>,
    pub(crate) links: Vec<Link>,
}

/// Where something starts: a page (from 0) and the top of its first line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Anchor {
    pub(crate) page: usize,
    pub(crate) top: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub(crate) pages: Vec<Page>,
    pub(crate) index: Anchor,
    pub(crate) items: Vec<Anchor>,
}

/// Breaks and places the whole bundle: the cover letter, the index on a page of its own, then
/// the items.
pub(crate) fn paginate(bundle: &Bundle, fonts: &Fonts) -> Layout {
    let mut out = Layouter::new(fonts);
    out.text_block(&bundle.title, Style::Title);
    out.text_block(&format!("Reference: {}", bundle.reference), Style::Meta);
    out.text_block(&format!("Prepared on {}", bundle.prepared_on), Style::Meta);
    for section in &bundle.cover {
        out.section(section);
    }
    out.new_page();
    let index = out.index(&bundle.items);
    out.new_page();
    let items = bundle.items.iter().map(|item| out.section(item)).collect();
    Layout { pages: out.pages, index, items }
}

struct Layouter<'f> {
    fonts: &'f Fonts,
    pages: Vec<Page>,
    /// The top of the next line on the last page.
    y: f32,
}

impl<'f> Layouter<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Self { fonts, pages: vec![Page::default()], y: MARGIN_TOP }
    }

    fn at_top(&self) -> bool {
        self.pages.last().is_none_or(|page| page.lines.is_empty())
    }

    /// Starts a page, unless the current one is still empty.
    fn new_page(&mut self) {
        if !self.at_top() {
            self.pages.push(Page::default());
            self.y = MARGIN_TOP;
        }
    }

    /// Starts a page if `height` no longer fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > BODY_BOTTOM {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    fn gap(&mut self, height: f32) {
        if !self.at_top() {
            self.y += height;
        }
    }

    fn anchor(&self) -> Anchor {
        Anchor { page: self.pages.len() - 1, top: self.y }
    }

    /// Places one line whose runs start at the left margin; returns its top.
    fn place(&mut self, mut runs: Vec<Run>, style: Style) -> f32 {
        let height = style.line_height();
        self.ensure(height);
        let top = self.y;
        for run in &mut runs {
            run.x += MARGIN_X;
        }
        let baseline = top + (height - style.size()) / 2.0 + style.size() * 0.93;
        if let Some(page) = self.pages.last_mut() {
            page.lines.push(Line { baseline, runs });
        }
        self.y += height;
        top
    }

    fn lines(&mut self, lines: Vec<Vec<Run>>, style: Style) {
        for line in lines {
            self.place(line, style);
        }
    }

    fn text_block(&mut self, text: &str, style: Style) {
        let tokens = tokens(&[Segment::Text(text.to_owned())], style);
        let lines = wrap(self.fonts, &tokens, TEXT_WIDTH);
        self.lines(lines, style);
    }

    /// A heading, its meta lines and its paragraphs; returns where the heading starts.
    fn section(&mut self, section: &Section) -> Anchor {
        self.gap(SECTION_GAP);
        let heading = tokens(&[Segment::Text(section.heading.clone())], Style::Heading);
        let heading = wrap(self.fonts, &heading, TEXT_WIDTH);
        // Keep the heading with at least two lines of what follows it.
        let heading_height = heading.len() as f32 * Style::Heading.line_height();
        self.ensure(heading_height + 2.0 * Style::Body.line_height());
        let anchor = self.anchor();
        self.lines(heading, Style::Heading);
        self.y += HEADING_GAP;
        for meta in &section.meta {
            self.text_block(meta, Style::Meta);
        }
        for paragraph in &section.paragraphs {
            self.gap(PARAGRAPH_GAP);
            let lines = wrap(self.fonts, &tokens(paragraph, Style::Body), TEXT_WIDTH);
            self.lines(lines, Style::Body);
        }
        anchor
    }

    /// The index: each item's heading, with its page number right-aligned on the entry's last
    /// line; every line of an entry links to the item.
    fn index(&mut self, items: &[Section]) -> Anchor {
        let anchor = self.anchor();
        self.text_block("Index", Style::Title);
        self.y += HEADING_GAP;
        if items.is_empty() {
            self.text_block("This bundle holds no records.", Style::Body);
        }
        let column = self.fonts.width("00000", Style::Body) + NUMBER_GAP;
        for (item, section) in items.iter().enumerate() {
            let entry = tokens(&[Segment::Text(section.heading.clone())], Style::Body);
            let mut lines = wrap(self.fonts, &entry, TEXT_WIDTH - column);
            if lines.is_empty() {
                // An item without a heading still gets its line, with its page number.
                lines.push(Vec::new());
            }
            if let Some(last) = lines.last_mut() {
                last.push(Run { content: Content::PageOf(item), style: Style::Body, x: 0.0, width: 0.0 });
            }
            self.ensure(lines.len() as f32 * Style::Body.line_height());
            for line in lines {
                let top = self.place(line, Style::Body);
                let height = Style::Body.line_height();
                if let Some(page) = self.pages.last_mut() {
                    page.links.push(Link { top, height, item });
                }
            }
        }
        anchor
    }
}

/// A word, or a piece of one, in a style.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    text: String,
    style: Style,
    /// Whether white space separates it from the token before.
    space_before: bool,
}

/// Splits a paragraph into words, keeping where white space was: "Zoë's" split over a `Text`, a
/// `Redacted` and a `Text` segment stays unspaced. A redaction becomes its marker, set in
/// `Style::Redacted`.
pub(crate) fn tokens(segments: &[Segment], style: Style) -> Vec<Token> {
    let mut out = Vec::new();
    let mut space = false;
    for segment in segments {
        let (text, style) = match segment {
            Segment::Text(text) => (text.clone(), style),
            Segment::Redacted { reason } => (crate::redaction_marker(reason), Style::Redacted),
        };
        for (n, word) in text.split(char::is_whitespace).enumerate() {
            space |= n > 0;
            if !word.is_empty() {
                out.push(Token { text: word.to_owned(), style, space_before: space });
                space = false;
            }
        }
    }
    out
}

/// Greedy line breaking on glyph advances: no line is wider than `width`; a word wider than a
/// whole line is broken between characters.
pub(crate) fn wrap(fonts: &Fonts, tokens: &[Token], width: f32) -> Vec<Vec<Run>> {
    let mut lines = Vec::new();
    let mut line: Vec<Run> = Vec::new();
    let mut x = 0.0;
    for token in tokens {
        for (n, piece) in split_word(fonts, token, width).into_iter().enumerate() {
            let mut spaced = token.space_before && n == 0 && !line.is_empty();
            let mut space = if spaced { fonts.width(" ", token.style) } else { 0.0 };
            let piece_width = fonts.width(&piece, token.style);
            if !line.is_empty() && x + space + piece_width > width {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
                (spaced, space) = (false, 0.0);
            }
            append(&mut line, &piece, token.style, x + space, spaced);
            x += space + piece_width;
            if let Some(run) = line.last_mut() {
                run.width = x - run.x;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Adds a piece, starting at `start`, to the line's last run if that has the same style (with a
/// space glyph if `spaced`), else starts a run there: a space between runs of different styles
/// is a gap, not a glyph.
fn append(line: &mut Vec<Run>, piece: &str, style: Style, start: f32, spaced: bool) {
    if let Some(Run { content: Content::Text(text), style: last, .. }) = line.last_mut() {
        if *last == style {
            if spaced {
                text.push(' ');
            }
            text.push_str(piece);
            return;
        }
    }
    line.push(Run { content: Content::Text(piece.to_owned()), style, x: start, width: 0.0 });
}

/// The token whole if it fits on a line, else pieces that each do (at least one character each).
fn split_word(fonts: &Fonts, token: &Token, width: f32) -> Vec<String> {
    if fonts.width(&token.text, token.style) <= width {
        return vec![token.text.clone()];
    }
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_width = 0.0;
    for c in token.text.chars() {
        let mut buf = [0; 4];
        let advance = fonts.width(c.encode_utf8(&mut buf), token.style);
        if !piece.is_empty() && piece_width + advance > width {
            pieces.push(std::mem::take(&mut piece));
            piece_width = 0.0;
        }
        piece.push(c);
        piece_width += advance;
    }
    pieces.push(piece);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    fn text_of(line: &[Run]) -> String {
        line.iter()
            .map(|run| match &run.content {
                Content::Text(text) => text.clone(),
                Content::PageOf(item) => format!("<{item}>"),
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn keeps_white_space_where_it_was() {
        let segments = [
            Segment::Text("Met  Zoë\nand ".into()),
            Segment::Redacted { reason: "third party".into() },
            Segment::Text("'s mum.".into()),
        ];
        let tokens = tokens(&segments, Style::Body);
        let shown: Vec<(&str, bool, Style)> =
            tokens.iter().map(|t| (t.text.as_str(), t.space_before, t.style)).collect();
        assert_eq!(
            shown,
            [
                ("Met", false, Style::Body),
                ("Zoë", true, Style::Body),
                ("and", true, Style::Body),
                ("[redacted:", true, Style::Redacted),
                ("third", true, Style::Redacted),
                ("party]", true, Style::Redacted),
                ("'s", false, Style::Body),
                ("mum.", true, Style::Body),
            ]
        );
    }

    #[test]
    fn no_line_is_wider_than_the_measure_and_no_character_is_lost() {
        let fonts = fonts();
        let long: String = "Ĳsselmeer—Llanfairpwllgwyngyll£".repeat(12);
        let text = format!("Siân wrote {long} and then WWWWWWWW mmmm iiii {long}.");
        let tokens = tokens(&[Segment::Text(text.clone())], Style::Body);
        for width in [40.0, 120.0, TEXT_WIDTH] {
            let lines = wrap(&fonts, &tokens, width);
            assert!(lines.len() > 2);
            for line in &lines {
                for run in line {
                    let Content::Text(shown) = &run.content else {
                        panic!("a page number in a paragraph");
                    };
                    let measured = fonts.width(shown, run.style);
                    assert!((measured - run.width).abs() < 0.01, "{shown}");
                    assert!(run.x >= 0.0 && run.x + run.width <= width + 0.01, "{shown}");
                }
            }
            let joined: String = lines.iter().map(|l| text_of(l)).collect();
            let squeezed = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squeezed(&joined), squeezed(&text), "at width {width}");
        }
    }

    #[test]
    fn a_redaction_is_its_own_run_after_a_gap() {
        let fonts = fonts();
        let segments = [
            Segment::Text("Told ".into()),
            Segment::Redacted { reason: "name".into() },
            Segment::Text(" today.".into()),
        ];
        let lines = wrap(&fonts, &tokens(&segments, Style::Body), TEXT_WIDTH);
        assert_eq!(lines.len(), 1);
        assert_eq!(text_of(&lines[0]), "Told|[redacted: name]|today.");
        let [told, redacted, today] = &lines[0][..] else {
            panic!("three runs");
        };
        assert_eq!(redacted.style, Style::Redacted);
        assert!(redacted.x > told.x + told.width + 1.0);
        assert!(today.x > redacted.x + redacted.width + 1.0);
    }

    fn item(n: usize, paragraphs: usize) -> Section {
        Section {
            heading: format!("Record {n}"),
            meta: vec!["1 March 2026".into()],
            paragraphs: (0..paragraphs).map(|_| vec![Segment::Text("word ".repeat(120))]).collect(),
        }
    }

    #[test]
    fn pages_fill_and_the_index_refers_to_each_item() {
        let bundle = Bundle {
            title: "Title".into(),
            reference: "R".into(),
            prepared_on: "today".into(),
            cover: vec![item(0, 1)],
            items: (1..=40).map(|n| item(n, 3)).collect(),
        };
        let layout = paginate(&bundle, &fonts());
        assert_eq!(layout.index.page, 1, "the index starts the second page");
        assert_eq!(layout.items.len(), 40);
        assert!(layout.items[0].page > layout.index.page);
        assert!(layout.items.windows(2).all(|w| w[0].page <= w[1].page));
        assert!(layout.pages.len() > 10);
        for page in &layout.pages {
            for line in &page.lines {
                assert!(line.baseline > MARGIN_TOP && line.baseline < BODY_BOTTOM);
            }
        }
        let index = &layout.pages[1];
        let referred: Vec<usize> = index
            .lines
            .iter()
            .flat_map(|line| &line.runs)
            .filter_map(|run| match run.content {
                Content::PageOf(item) => Some(item),
                Content::Text(_) => None,
            })
            .collect();
        assert_eq!(referred, (0..40).collect::<Vec<_>>());
        assert_eq!(index.links.len(), 40);
    }

    #[test]
    fn an_item_without_a_heading_keeps_its_index_line() {
        let mut untitled = item(1, 1);
        untitled.heading = " ".into();
        let bundle = Bundle { items: vec![untitled, item(2, 1)], ..Bundle::default() };
        let layout = paginate(&bundle, &fonts());
        let index = &layout.pages[layout.index.page];
        assert_eq!(index.links.len(), 2);
        let numbers = index.lines.iter().flat_map(|line| &line.runs);
        let numbers = numbers.filter(|run| matches!(run.content, Content::PageOf(_)));
        assert_eq!(numbers.count(), 2);
    }

    #[test]
    fn a_long_index_entry_wraps_clear_of_the_page_numbers() {
        let mut long = item(1, 1);
        long.heading = "Strategy discussion under section 47 of the Children Act 1989 ".repeat(3);
        let bundle = Bundle { items: vec![long], ..Bundle::default() };
        let fonts = fonts();
        let layout = paginate(&bundle, &fonts);
        let index = &layout.pages[layout.index.page];
        assert!(index.links.len() > 1, "the entry should take several lines");
        let column = TEXT_RIGHT - fonts.width("00000", Style::Body) - NUMBER_GAP;
        for run in index.lines.iter().flat_map(|line| &line.runs) {
            if let Content::Text(_) = run.content {
                assert!(run.x + run.width <= column + 0.01);
            }
        }
    }
}
