//! View state → [`Scene`], the display list between the pure logic and any painter: styled
//! shapes, markers and placed labels of one frame.

mod build;
mod color;
mod lines;
mod theme;

pub use build::{
    area_label_sizes, build, category_style, value_of, value_range, zone_color, Align, AreaStyle,
    Item, Paint, Scene, Symbol, ViewState,
};
pub use color::{sequential, Color, OKABE_ITO};
pub use lines::{line_styles, LineStyle, LINE_CASING_WIDTH};
pub use theme::{Overrides, Theme, ThemeName};
