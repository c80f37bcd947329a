//! The data model of a plan and its loader: GeoJSON text in, a validated [`Plan`] out, with
//! precise diagnostics (file, feature, property) for whatever was wrong.

mod diagnostic;
mod geometry;
mod json;
mod load;
mod model;
mod raw;
mod reader;
mod source;
mod text;

pub use diagnostic::{Diagnostic, Diagnostics, LoadError, Severity, MAX_LISTED};
pub use json::{MAX_DEPTH, MAX_FEATURES, MAX_FILE_BYTES, MAX_NUMBERS, MAX_STRING_BYTES};
pub use load::{layer_files, load, load_bytes, FileSource, Loaded, PlanFeed, MAX_VALUE};
#[cfg(not(target_arch = "wasm32"))]
pub use load::{load_path, DirSource};
pub use model::*;
#[cfg(not(target_arch = "wasm32"))]
pub use source::read_file;
pub use source::{check_layer_path, decode};
pub use text::{Lang, Text};
