//! Where a figure is drawn: a [`Canvas`] renders into memory with plotters' bitmap backend and
//! writes `<dir>/<name>.png` only when the bytes changed, so redrawing an unchanged tree leaves
//! every file (and its modification time) alone. A checking canvas only compares.

use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea};

use super::style;
use crate::workspace::Result;

/// The drawing area a figure's custom drawing code receives: pixel coordinates, origin top left.
pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// What drawing a figure did to its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The file did not exist or held other bytes, and was written.
    Written,
    /// The file already held exactly these bytes and was not touched.
    Unchanged,
    /// Checking only: the file is missing or holds other bytes (it was not touched).
    Stale(Staleness),
}

/// How a checked figure differs from its file, so that a reader can tell a redesigned figure
/// from a few pixels moved by last-bit differences (another CPU's matrix kernels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staleness {
    /// There is no file, or it is not a PNG this crate can read.
    Unreadable,
    /// The file's picture has another size (`width`, `height`).
    Size(u32, u32),
    /// Same size, and `differing` of the `total` pixels differ (0 if only the encoding does).
    Pixels {
        /// Pixels whose colour differs.
        differing: u64,
        /// Pixels in the picture.
        total: u64,
    },
}

impl std::fmt::Display for Staleness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Self::Unreadable => write!(f, "missing or unreadable"),
            Self::Size(width, height) => write!(f, "the file is {width} × {height} pixels"),
            Self::Pixels { differing, total } => {
                write!(f, "{differing} of {total} pixels differ")
            }
        }
    }
}

/// One figure's output: `<dir>/<name>.png`, drawn by [`Canvas::draw`] or by a chart helper in
/// [`super::charts`].
#[derive(Debug)]
pub struct Canvas {
    path: PathBuf,
    /// Whether drawing may write the file (false: only compare).
    write: bool,
    outcome: Cell<Option<Outcome>>,
}

impl Canvas {
    /// A canvas for the figure `name` in the folder `dir`.
    pub fn new(dir: &Path, name: &str) -> Self {
        Self {
            path: dir.join(format!("{name}.png")),
            write: true,
            outcome: Cell::new(None),
        }
    }

    /// A canvas that compares what it draws with `<dir>/<name>.png` and never writes.
    pub fn check(dir: &Path, name: &str) -> Self {
        Self {
            write: false,
            ..Self::new(dir, name)
        }
    }

    /// The PNG file this canvas writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the last [`Canvas::draw`] did, or `None` if nothing was drawn yet.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.get()
    }

    /// Draws a `width` × `height` pixel image with `paint` on a white background (the course
    /// font registered), then writes it as PNG if the bytes differ from the file on disk (a
    /// checking canvas only records that they differ).
    ///
    /// # Errors
    ///
    /// Whatever `paint` returns, a PNG encoding error, or a file system error naming the path.
    pub fn draw(
        &self,
        width: u32,
        height: u32,
        paint: impl FnOnce(&Area<'_>) -> Result<()>,
    ) -> Result<()> {
        style::register_fonts()?;
        let pixels = usize::try_from(u64::from(width) * u64::from(height) * 3)?;
        let mut buffer = vec![0_u8; pixels];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
            root.fill(&style::BACKGROUND)?;
            paint(&root)?;
            root.present()?;
        }
        let png = encode_png(&buffer, width, height)?;
        let unchanged = fs::read(&self.path).is_ok_and(|old| old == png);
        if unchanged {
            self.outcome.set(Some(Outcome::Unchanged));
        } else if !self.write {
            let staleness = staleness(&self.path, &buffer, width, height);
            self.outcome.set(Some(Outcome::Stale(staleness)));
        } else {
            if let Some(dir) = self.path.parent() {
                fs::create_dir_all(dir)
                    .map_err(|error| format!("could not create {}: {error}", dir.display()))?;
            }
            fs::write(&self.path, &png)
                .map_err(|error| format!("could not write {}: {error}", self.path.display()))?;
            self.outcome.set(Some(Outcome::Written));
        }
        Ok(())
    }
}

/// How the PNG at `path` differs from the `width` × `height` RGB pixels `rgb`.
fn staleness(path: &Path, rgb: &[u8], width: u32, height: u32) -> Staleness {
    let Some((old, old_width, old_height)) =
        fs::read(path).ok().and_then(|bytes| decode_png(&bytes))
    else {
        return Staleness::Unreadable;
    };
    if (old_width, old_height) != (width, height) {
        return Staleness::Size(old_width, old_height);
    }
    let differing = old
        .chunks_exact(3)
        .zip(rgb.chunks_exact(3))
        .filter(|(a, b)| a != b)
        .count();
    Staleness::Pixels {
        differing: differing as u64,
        total: u64::from(width) * u64::from(height),
    }
}

/// The 8-bit RGB pixels, width and height of a PNG as [`encode_png`] writes it; `None` for
/// anything else.
pub(super) fn decode_png(bytes: &[u8]) -> Option<(Vec<u8>, u32, u32)> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .ok()?;
    let info = reader.info();
    if info.color_type != png::ColorType::Rgb || info.bit_depth != png::BitDepth::Eight {
        return None;
    }
    let (width, height) = (info.width, info.height);
    let mut pixels = vec![0; reader.output_buffer_size()?];
    reader.next_frame(&mut pixels).ok()?;
    Some((pixels, width, height))
}

/// Encodes 8-bit RGB pixels as PNG with fixed settings, so equal pixels give equal bytes.
pub(super) fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(bytes)
}
