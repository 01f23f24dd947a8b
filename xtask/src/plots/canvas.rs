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
    Stale,
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
            self.outcome.set(Some(Outcome::Stale));
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

/// Encodes 8-bit RGB pixels as PNG with fixed settings, so equal pixels give equal bytes.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
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
