//! The data model of a plan and its loader: GeoJSON text in, a validated [`Plan`] out, with
//! precise diagnostics (file, feature, property) for whatever was wrong.

mod diagnostic;
mod geometry;
mod json;
mod load;
mod model;
mod source;
mod stream;
mod text;

pub use diagnostic::{Diagnostic, Diagnostics, LoadError, Severity, MAX_LISTED};
pub use json::{MAX_DEPTH, MAX_FEATURES, MAX_FILE_BYTES, MAX_NUMBERS, MAX_STRING_BYTES};
#[cfg(not(target_arch = "wasm32"))]
pub use load::DirSource;
pub use load::{layer_files, load, Fetched, FileSource, Loaded, MAX_VALUE};
pub use model::*;
#[cfg(not(target_arch = "wasm32"))]
pub use source::read_file;
pub use source::{check_layer_path, decode, size_refusal, size_refusal_streaming};
pub use stream::{FeatureStream, Finished, Pieces, MAX_STREAM_POSITIONS};
pub use text::{Lang, Text};
