//! planmap draws a district's development plan — its zones, projects and indicators — on a
//! canvas map. The pure core ([`plan`], [`geom`], [`scene`], [`render`], [`chart`]) compiles and
//! is tested natively; `web` is the only module that touches the browser.
//!
//! Data flows one way: GeoJSON text → [`plan::Plan`] → [`scene::Scene`] for a view state →
//! draw commands on a [`render::Surface`].

pub mod basemap;
pub mod chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod exercise;
pub mod geom;
pub mod map;
pub mod order;
pub mod plan;
pub mod render;
pub mod scene;
pub mod table;

#[cfg(target_arch = "wasm32")]
pub mod web;
