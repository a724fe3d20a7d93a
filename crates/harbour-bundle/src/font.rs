//! The two vendored DejaVu Sans faces: krilla embeds them (subsetted, with a ToUnicode map), and
//! skrifa, which krilla itself is built on, gives each character's glyph and advance width so
//! that lines are broken on the widths that are drawn.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use crate::layout::Style;
use crate::BundleError;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Characters below this code point have their glyph and advance looked up once, at load.
const CACHED: u32 = 0x250;

/// One face: the font krilla embeds and what measuring it needs.
pub(crate) struct Face {
    pub(crate) font: Font,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    /// Glyph id and advance (in ems) of each character below `CACHED`.
    cache: Vec<(u32, f32)>,
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Self, BundleError> {
        let font = Font::new(data.into(), 0).ok_or(BundleError::Font(name))?;
        let face = FontRef::new(data).map_err(|_| BundleError::Font(name))?;
        // At a size of 1 the advances come out in ems.
        let metrics = face.glyph_metrics(Size::new(1.0), LocationRef::default());
        let mut loaded = Self { font, charmap: face.charmap(), metrics, cache: Vec::new() };
        loaded.cache =
            (0..CACHED).map(|c| char::from_u32(c).unwrap_or('\u{fffd}')).map(|c| loaded.look_up(c)).collect();
        Ok(loaded)
    }

    fn look_up(&self, c: char) -> (u32, f32) {
        // A character the font lacks is drawn as .notdef (glyph 0); its text still extracts.
        let glyph = self.charmap.map(c).unwrap_or_default();
        let advance = self.metrics.advance_width(glyph).unwrap_or(0.0);
        (glyph.to_u32(), advance)
    }

    /// The glyph id and advance in ems of one character.
    fn glyph(&self, c: char) -> (u32, f32) {
        match self.cache.get(c as usize) {
            Some(&cached) => cached,
            None => self.look_up(c),
        }
    }

    /// The advance of `text`, in ems.
    fn advance(&self, text: &str) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum()
    }

    /// One glyph per character, each mapped back to its character so the text extracts.
    pub(crate) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| {
                let (id, advance) = self.glyph(c);
                let range = at..at + c.len_utf8();
                KrillaGlyph::new(GlyphId::new(id), advance, 0.0, 0.0, 0.0, range, None)
            })
            .collect()
    }
}

/// The regular and bold faces.
pub(crate) struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, BundleError> {
        Ok(Self { regular: Face::load("DejaVu Sans", REGULAR)?, bold: Face::load("DejaVu Sans Bold", BOLD)? })
    }

    pub(crate) fn face(&self, style: Style) -> &Face {
        if style.bold() {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// The width of `text` set in `style`, in points.
    pub(crate) fn width(&self, text: &str, style: Style) -> f32 {
        self.face(style).advance(text) * style.size()
    }
}
