//! The browser side: the Canvas 2D surface, and (with the default `exports` feature) the
//! `PlanMap` class the `<plan-map>` element drives. The chart module (charts/) reuses the
//! surface without the class, so its wasm does not carry the map.
#![allow(unreachable_pub)]

pub mod alloc;
pub mod canvas;
#[cfg(feature = "exports")]
mod exports;
pub mod trap;
