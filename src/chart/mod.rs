//! Charts of indicator values: plotters lays them out, any [`crate::render::Surface`] draws
//! them (the page's canvas, SVG exports, the tests' recorder).

mod backend;
mod format;
mod indicator;

pub use backend::{NeverFails, SurfaceBackend};
pub use format::number;
pub use indicator::{
    bar_label, charted, draw_chart, draw_progress, progress_of, progress_pair, series, series_of,
    ChartStyle,
};
