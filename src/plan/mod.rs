//! The data model of a plan and its loader: GeoJSON text in, a validated [`Plan`] out, with
//! precise diagnostics (file, feature, property) for whatever was wrong.

pub mod batch;
mod diagnostic;
mod fast;
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
pub use load::{load_path, load_path_capped, DirSource};
pub use model::*;
pub use source::{check_layer_path, decode, size_refusal, size_refusal_streaming};
#[cfg(not(target_arch = "wasm32"))]
pub use source::{read_file, read_file_capped};
pub use text::{Lang, Text};
