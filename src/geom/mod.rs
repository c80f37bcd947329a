//! Geometry of the map: projection, the viewport, hit testing and label placement. Pure
//! functions of their inputs; nothing here knows about the browser.

mod crs;
mod hit;
mod labels;
mod mercator;
mod projected;
pub mod simplify;
mod topology;
mod viewport;

pub use crs::{gcj02_to_wgs84, outside_china, wgs84_to_gcj02, Crs};
pub use hit::{Hit, HitIndex, Visible};
pub use labels::{centered, place, place_into, EstimateText, LabelRequest, MeasureText, Occupied};
pub use mercator::{project, unproject, EARTH_RADIUS, MAX_LATITUDE};
pub use projected::{
    along, halfway, prepare, prepare_with_outline, prepared_label, project_area, ProjectedPlan,
    StreamedAreas, DEFER_LABELS_OVER, LEVELS, LOD_TOLERANCES, PREPARED_LEVELS,
};
pub use topology::{stroke_parts, ArcRef, ArcRing, Topology};
pub use viewport::{free_area, Bounds, Viewport, MAX_ZOOM};
