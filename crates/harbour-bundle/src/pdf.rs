//! The second pass: draws the paginated layout with krilla, now that every item's page and the
//! page count are known, and adds the index's links, the bookmarks and the footers.

use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::Document;

use crate::font::Fonts;
use crate::layout::{
    self, Anchor, Content, Layout, Line, Page, Style, FOOTER_BASELINE, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, TEXT_RIGHT,
    TEXT_WIDTH,
};
use crate::{Bundle, BundleError};

const INK: (u8, u8, u8) = (0, 0, 0);
const MUTED: (u8, u8, u8) = (0x4d, 0x4d, 0x4d);
const REDACTION_BACKGROUND: (u8, u8, u8) = (0xd9, 0xd9, 0xd9);
/// Between an index entry's dotted leader and the text either side of it.
const LEADER_GAP: f32 = 4.0;

/// See [`crate::render_pdf`].
pub(crate) fn render(bundle: &Bundle) -> Result<Vec<u8>, BundleError> {
    let fonts = Fonts::load()?;
    let layout = layout::paginate(bundle, &fonts);
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new().title(bundle.title.clone()).language("en-GB".to_owned()).creator("Harbour".to_owned()),
    );
    let pages = Drawing { bundle, fonts: &fonts, layout: &layout };
    for number in 0..layout.pages.len() {
        pages.page(&mut document, number)?;
    }
    document.set_outline(outline(bundle, &layout));
    document.finish().map_err(|error| BundleError::Pdf(error.to_string()))
}

fn destination(anchor: Anchor) -> XyzDestination {
    XyzDestination::new(anchor.page, Point::from_xy(MARGIN_X, anchor.top))
}

/// Bookmarks: the cover letter, the index, then each item.
fn outline(bundle: &Bundle, layout: &Layout) -> Outline {
    let mut outline = Outline::new();
    let cover = XyzDestination::new(0, Point::from_xy(MARGIN_X, 0.0));
    outline.push_child(OutlineNode::new("Cover letter".to_owned(), cover));
    outline.push_child(OutlineNode::new("Index".to_owned(), destination(layout.index)));
    for (item, anchor) in bundle.items.iter().zip(&layout.items) {
        outline.push_child(OutlineNode::new(item.heading.clone(), destination(*anchor)));
    }
    outline
}

fn fill(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::default(),
    }
}

/// A dotted line at `baseline` from `from` to `to`, if there is room for one.
fn leader(surface: &mut Surface<'_>, from: f32, to: f32, baseline: f32) -> Result<(), BundleError> {
    if to - from < 2.0 * LEADER_GAP {
        return Ok(());
    }
    let mut path = PathBuilder::new();
    path.move_to(from, baseline);
    path.line_to(to, baseline);
    let path = path.finish().ok_or(BundleError::Geometry)?;
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(MUTED.0, MUTED.1, MUTED.2).into(),
        width: 0.9,
        line_cap: LineCap::Round,
        dash: Some(StrokeDash { array: vec![0.0, 3.5], offset: 0.0 }),
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
    Ok(())
}

fn rect(x: f32, y: f32, width: f32, height: f32) -> Result<Rect, BundleError> {
    Rect::from_xywh(x, y, width, height).ok_or(BundleError::Geometry)
}

struct Drawing<'a> {
    bundle: &'a Bundle,
    fonts: &'a Fonts,
    layout: &'a Layout,
}

impl Drawing<'_> {
    fn page(&self, document: &mut Document, number: usize) -> Result<(), BundleError> {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(BundleError::Geometry)?;
        let mut page = document.start_page_with(settings);
        let Some(laid_out) = self.layout.pages.get(number) else {
            return Err(BundleError::Geometry);
        };
        self.links(&mut page, laid_out)?;
        let mut surface = page.surface();
        for line in &laid_out.lines {
            self.line(&mut surface, line)?;
        }
        self.footer(&mut surface, number)?;
        surface.finish();
        page.finish();
        Ok(())
    }

    /// Makes each index line a link to its item's heading.
    fn links(&self, page: &mut krilla::page::Page<'_>, laid_out: &Page) -> Result<(), BundleError> {
        for link in &laid_out.links {
            let (Some(anchor), Some(item)) = (self.layout.items.get(link.item), self.bundle.items.get(link.item))
            else {
                return Err(BundleError::Geometry);
            };
            let area = rect(MARGIN_X, link.top, TEXT_WIDTH, link.height)?;
            let target = Target::Destination(Destination::Xyz(destination(*anchor)));
            let alt = format!("Go to {}", item.heading);
            page.add_annotation(Annotation::new_link(LinkAnnotation::new(area, target), Some(alt)));
        }
        Ok(())
    }

    /// Draws a line's runs; an index entry's page number goes at the right margin, with a
    /// dotted leader from the end of the heading.
    fn line(&self, surface: &mut Surface<'_>, line: &Line) -> Result<(), BundleError> {
        let mut end = MARGIN_X;
        for run in &line.runs {
            match &run.content {
                Content::Text(text) => {
                    self.text(surface, text, run.style, run.x, line.baseline)?;
                    end = run.x + run.width;
                }
                Content::PageOf(item) => {
                    let page = self.layout.items.get(*item).map_or(0, |a| a.page + 1);
                    let number = page.to_string();
                    let x = TEXT_RIGHT - self.fonts.width(&number, run.style);
                    leader(surface, end + LEADER_GAP, x - LEADER_GAP, line.baseline)?;
                    self.text(surface, &number, run.style, x, line.baseline)?;
                }
            }
        }
        Ok(())
    }

    /// Sets `text` with its left end at `x`; a redaction marker on a grey ground.
    fn text(
        &self,
        surface: &mut Surface<'_>,
        text: &str,
        style: Style,
        x: f32,
        baseline: f32,
    ) -> Result<(), BundleError> {
        let size = style.size();
        if style == Style::Redacted {
            let width = self.fonts.width(text, style);
            let mut path = PathBuilder::new();
            path.push_rect(rect(x - 1.5, baseline - size, width + 3.0, size * 1.3)?);
            let path = path.finish().ok_or(BundleError::Geometry)?;
            surface.set_fill(Some(fill(REDACTION_BACKGROUND)));
            surface.draw_path(&path);
        }
        let colour = match style {
            Style::Meta | Style::Footer => MUTED,
            _ => INK,
        };
        surface.set_fill(Some(fill(colour)));
        let face = self.fonts.face(style);
        let glyphs = face.glyphs(text);
        let origin = Point::from_xy(x, baseline);
        surface.draw_glyphs(origin, &glyphs, face.font.clone(), text, size, false);
        Ok(())
    }

    /// "Reference: …" on the left (shortened if it would meet the page number) and
    /// "Page N of M" on the right.
    fn footer(&self, surface: &mut Surface<'_>, number: usize) -> Result<(), BundleError> {
        let style = Style::Footer;
        let count = format!("Page {} of {}", number + 1, self.layout.pages.len());
        let count_width = self.fonts.width(&count, style);
        let room = TEXT_WIDTH - count_width - 24.0;
        let reference = format!("Reference: {}", self.bundle.reference);
        let reference = self.shorten(&reference, style, room);
        self.text(surface, &reference, style, MARGIN_X, FOOTER_BASELINE)?;
        self.text(surface, &count, style, TEXT_RIGHT - count_width, FOOTER_BASELINE)
    }

    /// `text` cut to fit `width`, with an ellipsis where it was cut.
    fn shorten(&self, text: &str, style: Style, width: f32) -> String {
        if self.fonts.width(text, style) <= width {
            return text.to_owned();
        }
        let mut room = width - self.fonts.width("…", style);
        let mut out = String::new();
        for c in text.chars() {
            let mut buf = [0; 4];
            room -= self.fonts.width(c.encode_utf8(&mut buf), style);
            if room < 0.0 {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }
}
