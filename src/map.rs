//! The widget without a browser: a loaded plan, its projection and hit index, and the view
//! state, with every operation the `<plan-map>` element offers (pick, select, keyboard focus,
//! fit, zoom to a feature, export). `web` only forwards DOM events here and paints the scene.

mod panel_json;

use crate::basemap::Basemap;
use crate::geom::{
    free_area, project, unproject, Bounds, Crs, Hit, HitIndex, MeasureText, ProjectedPlan,
    Viewport, Visible,
};
use crate::plan::{AreaRole, Lang, Loaded, Plan};
use crate::render::{draw, SvgSurface};
use crate::scene::{
    build, line_styles, zone_color, Align, Item, Scene, Symbol, Theme, ViewState, LINE_CASING_WIDTH,
};

/// Padding around the plan when fitted, in CSS pixels.
const FIT_PADDING: f64 = 16.0;

/// Room kept around a selected feature in the free part of the canvas, in CSS pixels (less on
/// a small free part: never more than a tenth of its shorter side).
const SELECT_PADDING: f64 = 32.0;

/// A selected feature closer than this to the free part's edge (CSS pixels) is brought in; one
/// already inside stays where the user put it.
const IN_VIEW_MARGIN: f64 = 8.0;

/// A plan on a view.
#[derive(Debug)]
pub struct PlanView {
    /// The plan.
    pub plan: Plan,
    /// Its projected geometry.
    pub proj: ProjectedPlan,
    /// Its hit index.
    pub index: HitIndex,
    /// The view.
    pub view: ViewState,
    /// Warnings from loading, as lines.
    pub warnings: Vec<String>,
    /// The view shows the plan as fitted: nobody has panned, zoomed or set it since. Such a
    /// view refits when the canvas resizes (a phone's first layout, a rotated screen, a tab
    /// shown), instead of keeping a zoom chosen for another size.
    fitted: bool,
    /// The basemap under the plan, if the page set one.
    pub basemap: Option<Basemap>,
    /// The conversion applied to the plan's coordinates to sit on the basemap's streets
    /// (`from`, `to`), when their systems differ.
    conversion: Option<(Crs, Crs)>,
    /// The keyboard order for the hidden layers it was made with: sorting 100,000 points on
    /// every `]` took 220 ms in the browser (issue 12), so it is made once per set of layers.
    focus_cache: std::cell::RefCell<Option<(Vec<String>, std::rc::Rc<Vec<Hit>>)>>,
    /// Screen rectangles (CSS pixels) the element's panels cover: the bottom sheet, the side
    /// panel, a presentation caption. The map keeps selections and its own overlays in the
    /// rest, the free area.
    covered: Vec<Bounds>,
    /// An eased move under way: from this view to that one.
    transition: Option<(Viewport, Viewport)>,
}

/// What a selection event says about a feature.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureRef {
    /// Its id.
    pub id: String,
    /// `zone`, `district`, `area`, `line` or `project`.
    pub kind: &'static str,
    /// Its name in the view's language.
    pub name: String,
}

impl PlanView {
    /// Shows `loaded` on a canvas of `size` CSS pixels, fitted.
    pub fn new(loaded: Loaded, size: [f64; 2]) -> PlanView {
        PlanView::shown(loaded, size, false)
    }

    /// Shows `loaded` for a first frame as soon as can be: a large plan's label points are
    /// estimates until [`PlanView::settle_labels`] works them out ([`ProjectedPlan::deferring_labels`]).
    pub fn first_paint(loaded: Loaded, size: [f64; 2]) -> PlanView {
        PlanView::shown(loaded, size, true)
    }

    /// [`PlanView::new`], or [`PlanView::first_paint`] when `defer`.
    pub fn shown(loaded: Loaded, size: [f64; 2], defer: bool) -> PlanView {
        let proj = ProjectedPlan::projected(&loaded.plan, None, defer);
        PlanView::with_projection(loaded, proj, size)
    }

    /// Works out up to about `budget` vertices' worth of deferred label points; returns how
    /// many are left (0: the labels are final, as [`PlanView::new`] places them).
    pub fn settle_labels(&self, budget: usize) -> usize {
        self.proj.settle_labels(budget)
    }

    /// Shows `loaded`, already projected (a streamed plan's projection is assembled from
    /// what its worker prepared: [`ProjectedPlan::assemble`]).
    pub fn with_projection(loaded: Loaded, proj: ProjectedPlan, size: [f64; 2]) -> PlanView {
        let index = HitIndex::new(&loaded.plan, &proj);
        let warnings = loaded.diagnostics.iter().map(ToString::to_string).collect();
        let mut pv = PlanView {
            plan: loaded.plan,
            proj,
            index,
            view: ViewState::new(size),
            warnings,
            fitted: false,
            basemap: None,
            conversion: None,
            focus_cache: Default::default(),
            covered: Vec::new(),
            transition: None,
        };
        pv.fit();
        // Made with the plan, not on the first key press.
        let order = std::rc::Rc::new(pv.focus_order());
        *pv.focus_cache.borrow_mut() = Some((pv.view.hidden.clone(), order));
        pv
    }

    /// The plan's coordinate system (its manifest's `crs`), if planmap knows it.
    pub fn plan_crs(&self) -> Option<Crs> {
        Crs::parse(&self.plan.crs)
    }

    /// Puts a basemap under the plan (or takes it away). When the plan's and the basemap's
    /// systems differ, the plan is re-projected once into the basemap's, so zones sit on the
    /// streets; the view keeps showing the same place.
    pub fn set_basemap(&mut self, basemap: Option<Basemap>) {
        let conversion = match (self.plan_crs(), basemap.as_ref().map(|b| b.crs)) {
            (Some(from), Some(to)) if from != to => Some((from, to)),
            _ => None,
        };
        if conversion != self.conversion {
            let center = self.to_plan_lonlat(unproject(self.view.viewport.center));
            self.conversion = conversion;
            self.proj = ProjectedPlan::converted(&self.plan, conversion);
            self.index = HitIndex::new(&self.plan, &self.proj);
            self.view.viewport.center = project(self.to_display_lonlat(center));
        }
        self.view.basemap = basemap.is_some() && self.view.shows("basemap");
        self.basemap = basemap;
    }

    /// Shows or hides the basemap (the legend's toggle); hidden, it fetches nothing more.
    pub fn show_basemap(&mut self, on: bool) {
        self.view.hidden.retain(|h| h != "basemap");
        if !on {
            self.view.hidden.push("basemap".to_owned());
        }
        self.view.basemap = self.basemap.is_some() && on;
    }

    /// The conversion applied to the plan's coordinates, if any.
    pub fn conversion(&self) -> Option<(Crs, Crs)> {
        self.conversion
    }

    /// A position on the map (the basemap's system) → the plan's system: what `view` reports.
    pub fn to_plan_lonlat(&self, p: [f64; 2]) -> [f64; 2] {
        match self.conversion {
            Some((plan, shown)) => shown.convert(plan, p),
            None => p,
        }
    }

    /// A position in the plan's system → the map's (the basemap's).
    pub fn to_display_lonlat(&self, p: [f64; 2]) -> [f64; 2] {
        match self.conversion {
            Some((plan, shown)) => plan.convert(shown, p),
            None => p,
        }
    }

    /// Basemap tiles the current view needs and has not got, in the order to fetch them.
    pub fn wanted_tiles(&self) -> Vec<crate::basemap::TileKey> {
        match &self.basemap {
            Some(b) if self.view.basemap => b.wanted(&self.view.viewport),
            _ => Vec::new(),
        }
    }

    /// Follows a new canvas size. A view first laid out at zero size (a hidden tab) is fitted
    /// once it has a real size; otherwise the centre and zoom stay.
    pub fn resize(&mut self, size: [f64; 2]) {
        let was = self.view.viewport.size;
        self.view.viewport.size = size;
        if self.fitted || was[0] < 1.0 || was[1] < 1.0 {
            self.fit();
        }
    }

    /// Shows the whole plan, in the free area when a panel covers part of the canvas.
    pub fn fit(&mut self) {
        let size = self.view.viewport.size;
        if size[0] < 1.0 || size[1] < 1.0 {
            return;
        }
        self.transition = None;
        let vp = &mut self.view.viewport;
        vp.fit(&self.proj.extent, FIT_PADDING);
        // Levels of detail follow the whole canvas' fit, whatever is open.
        self.view.detail_zoom = vp.zoom + 0.9;
        let free = free_area(size, &self.covered);
        if free != vp.screen() && !free.is_empty() && !self.proj.extent.is_empty() {
            vp.zoom = vp.zoom_to_fit_into(&self.proj.extent, &free, FIT_PADDING);
            vp.put_at(self.proj.extent.center(), free.center());
        }
        self.fitted = true;
    }

    /// Keeps the view on the plan after a pan or zoom.
    pub fn clamp(&mut self) {
        let free = self.free_area();
        self.view.viewport.clamp_in(&self.proj.extent, &free);
        self.fitted = false;
    }

    /// Sets the screen rectangles (CSS pixels) the element's panels now cover. The view does
    /// not move: the next selection, `fit` or clamp uses them. Closing a panel (an empty list)
    /// therefore leaves the map where it is.
    pub fn set_covered(&mut self, rects: Vec<Bounds>) {
        self.covered = rects.into_iter().filter(|r| !r.is_empty()).collect();
    }

    /// Sets the rectangles (CSS pixels) of the element's buttons, toggles and notes over the
    /// canvas: labels keep out from under them from the next frame on.
    pub fn set_chrome(&mut self, rects: Vec<Bounds>) {
        self.view.chrome = rects.into_iter().filter(|r| !r.is_empty()).collect();
    }

    /// The part of the canvas no panel covers (CSS pixels).
    pub fn free_area(&self) -> Bounds {
        free_area(self.view.viewport.size, &self.covered)
    }

    /// A feature's extent in projected metres (a point's is the point).
    pub fn bounds_of(&self, hit: Hit) -> Bounds {
        match hit {
            Hit::Area(i) => self.proj.area_bounds[i],
            Hit::Point(i) => Bounds {
                min: self.proj.points[i],
                max: self.proj.points[i],
            },
            Hit::Line(i) => self.proj.line_bounds[i],
        }
    }

    /// The view that shows a feature in the free area, or `None` when it is already there.
    ///
    /// With `zoom` the feature is fitted to the free area (an area fills it, a point is shown
    /// closer in), as `select(id, {zoom: true})` promises. Without, the zoom stays unless the
    /// feature does not fit, then it zooms out just enough: never further in than the user
    /// had it. Either way the feature ends up in the middle of the free area.
    pub fn view_into_free(&self, hit: Hit, zoom: bool) -> Option<Viewport> {
        let vp = self.view.viewport;
        let free = self.free_area();
        let [fw, fh] = free.size();
        if fw < 1.0 || fh < 1.0 {
            return None;
        }
        let b = self.bounds_of(hit);
        // A feature with no shape (a null geometry) has nowhere to be shown: keep the view.
        if b.is_empty() {
            return None;
        }
        let pad = SELECT_PADDING.min(fw.min(fh) / 10.0);
        if !zoom && vp.shows_inside(&b, &free, IN_VIEW_MARGIN.min(pad)) {
            return None;
        }
        let mut target = vp;
        let fits = vp.zoom_to_fit_into(&b, &free, pad);
        target.zoom = match (hit, zoom) {
            (Hit::Point(_), true) => vp.zoom.max(self.view.detail_zoom + 0.5),
            (Hit::Area(_) | Hit::Line(_), true) => fits,
            (_, false) => vp.zoom.min(fits),
        };
        target.put_at(b.center(), free.center());
        target.clamp_in(&self.proj.extent, &free);
        Some(target)
    }

    /// Selects a feature (or clears with `None`) and starts easing it into the free area;
    /// `true` when the view is to move ([`PlanView::ease`] moves it). Clearing never moves.
    pub fn select(&mut self, hit: Option<Hit>, zoom: bool) -> bool {
        self.view.selected = hit;
        let target = hit.and_then(|h| self.view_into_free(h, zoom));
        match target {
            Some(t) => {
                self.transition = Some((self.view.viewport, t));
                self.fitted = false;
                true
            }
            None => false,
        }
    }

    /// Moves an eased transition to `t` (0 to 1, already eased by the caller); `true` while
    /// it is not finished. At 1 the view is exactly the target.
    pub fn ease(&mut self, t: f64) -> bool {
        let Some((from, to)) = self.transition else {
            return false;
        };
        let mut v = from.lerp(&to, t);
        v.size = self.view.viewport.size;
        self.view.viewport = v;
        if t >= 1.0 || !t.is_finite() {
            self.transition = None;
            return false;
        }
        true
    }

    /// Stops a transition where it is (the user grabbed the map).
    pub fn stop(&mut self) {
        self.transition = None;
    }

    /// `true` while an eased transition is under way.
    pub fn moving(&self) -> bool {
        self.transition.is_some()
    }

    /// Pans by a drag of `dx, dy` CSS pixels.
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        self.transition = None;
        self.view.viewport.pan_by(dx, dy);
        self.clamp();
    }

    /// Zooms by `dz` levels about CSS pixel `at`.
    pub fn zoom_at(&mut self, dz: f64, at: [f64; 2]) {
        self.transition = None;
        self.view.viewport.zoom_at(dz, at);
        self.clamp();
    }

    /// The viewport, for `view` getters.
    pub fn viewport(&self) -> &Viewport {
        &self.view.viewport
    }

    /// The feature under CSS pixel `px`; markers count within `radius` pixels of their
    /// centre, lines within half of `radius` of the edge of their casing (so a finger, with
    /// its larger radius, gets more room, and a tap beside a road still reaches the zone).
    pub fn pick(&self, px: [f64; 2], radius: f64) -> Option<Hit> {
        let vp = &self.view.viewport;
        let world = vp.to_world(px);
        let plan = &self.plan;
        let view = &self.view;
        self.index.pick(
            world,
            radius / vp.scale(),
            (LINE_CASING_WIDTH / 2.0 + radius / 2.0) / vp.scale(),
            &Visible {
                point: &|i| view.shows_point(&plan.points[i]),
                area: &|i| plan.areas[i].role != AreaRole::Zone || view.shows("zones"),
                line: &|i| view.shows_line(&plan.lines[i]),
            },
            &self.proj,
        )
    }

    /// The feature with `id`.
    pub fn find(&self, id: &str) -> Option<Hit> {
        if let Some(i) = self
            .plan
            .areas
            .iter()
            .position(|a| a.id == id && a.role != AreaRole::Context)
        {
            return Some(Hit::Area(i));
        }
        if let Some(i) = self.plan.lines.iter().position(|l| l.id == id) {
            return Some(Hit::Line(i));
        }
        self.plan
            .points
            .iter()
            .position(|p| p.id == id)
            .map(Hit::Point)
    }

    /// Id, kind and name of a hit.
    pub fn describe(&self, hit: Hit) -> FeatureRef {
        let lang = self.view.lang;
        match hit {
            Hit::Area(i) => {
                let a = &self.plan.areas[i];
                let kind = match a.role {
                    AreaRole::Zone => "zone",
                    AreaRole::Boundary => "district",
                    _ => "area",
                };
                FeatureRef {
                    id: a.id.clone(),
                    kind,
                    name: a.name.get(lang).to_owned(),
                }
            }
            Hit::Point(i) => {
                let p = &self.plan.points[i];
                FeatureRef {
                    id: p.id.clone(),
                    kind: "project",
                    name: p.name.get(lang).to_owned(),
                }
            }
            Hit::Line(i) => {
                let l = &self.plan.lines[i];
                FeatureRef {
                    id: l.id.clone(),
                    kind: "line",
                    name: l.name.get(lang).to_owned(),
                }
            }
        }
    }

    /// The keyboard order: zones (and bare areas) in data order, then the district, then the
    /// visible lines in data order, then the visible points by priority and name, so Tab
    /// meets the plan's structure first. Features without a shape are not on the map: the
    /// element's list reaches them.
    pub fn focus_order(&self) -> Vec<Hit> {
        let mut order: Vec<Hit> = self
            .plan
            .areas
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                matches!(a.role, AreaRole::Zone | AreaRole::Area)
                    && (a.role != AreaRole::Zone || self.view.shows("zones"))
                    && !a.geometry.0.is_empty()
            })
            .map(|(i, _)| Hit::Area(i))
            .collect();
        order.extend(
            self.plan
                .areas
                .iter()
                .enumerate()
                .filter(|(_, a)| a.role == AreaRole::Boundary && !a.geometry.0.is_empty())
                .map(|(i, _)| Hit::Area(i)),
        );
        order.extend(
            self.plan
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| self.view.shows_line(l) && !l.geometry.0.is_empty())
                .map(|(i, _)| Hit::Line(i)),
        );
        let mut pts: Vec<usize> = (0..self.plan.points.len())
            .filter(|&i| self.view.shows_point(&self.plan.points[i]))
            .collect();
        crate::order::sort_by(&mut pts, &|&a, &b| {
            let (pa, pb) = (&self.plan.points[a], &self.plan.points[b]);
            pb.priority
                .cmp(&pa.priority)
                .then_with(|| pa.name.zh.cmp(&pb.name.zh))
        });
        order.extend(pts.into_iter().map(Hit::Point));
        order
    }

    /// Moves keyboard focus one step; `None` when it leaves the list (so Tab can leave the
    /// widget: the canvas never traps focus).
    pub fn focus_step(&mut self, forward: bool) -> Option<Hit> {
        let order = {
            let mut cache = self.focus_cache.borrow_mut();
            match &*cache {
                Some((hidden, order)) if *hidden == self.view.hidden => order.clone(),
                _ => {
                    let order = std::rc::Rc::new(self.focus_order());
                    *cache = Some((self.view.hidden.clone(), order.clone()));
                    order
                }
            }
        };
        let next = match self
            .view
            .focused
            .and_then(|f| order.iter().position(|h| *h == f))
        {
            None if forward => order.first().copied(),
            None => order.last().copied(),
            Some(k) if forward => order.get(k + 1).copied(),
            Some(k) => k.checked_sub(1).and_then(|k| order.get(k).copied()),
        };
        self.view.focused = next;
        if let Some(h) = next {
            self.reveal(h);
        }
        next
    }

    /// Brings a hit's anchor into the free area when it is outside, keeping the zoom.
    fn reveal(&mut self, hit: Hit) {
        let p = self.anchor(hit);
        if !p.iter().all(|c| c.is_finite()) {
            return;
        }
        let free = self.free_area();
        let vp = &mut self.view.viewport;
        let s = vp.to_screen(p);
        let m = 40.0;
        if s[0] < free.min[0] + m
            || s[1] < free.min[1] + m
            || s[0] > free.max[0] - m
            || s[1] > free.max[1] - m
        {
            self.transition = None;
            vp.put_at(p, free.center());
        }
    }

    /// The point a hit is labelled at, in projected metres.
    pub fn anchor(&self, hit: Hit) -> [f64; 2] {
        match hit {
            Hit::Area(i) => self.proj.label_point(i),
            Hit::Point(i) => self.proj.points[i],
            Hit::Line(i) => self.proj.line_anchors[i],
        }
    }

    /// Zooms the view onto a feature at once: an area fills the free area, a point is centred
    /// in it closer in.
    pub fn zoom_to(&mut self, hit: Hit) {
        if let Some(t) = self.view_into_free(hit, true) {
            self.transition = None;
            self.view.viewport = t;
        }
        self.clamp();
    }

    /// The frame for the current view: basemap tiles (when set and shown) under the plan.
    pub fn scene(&self, measure: &dyn MeasureText) -> Scene {
        self.frame(measure, false).0
    }

    /// The frame, with the basemap as an export may draw it; `true` when the export had to
    /// leave the basemap out (tiles without CORS).
    fn frame(&self, measure: &dyn MeasureText, export: bool) -> (Scene, bool) {
        let mut scene = build(&self.plan, &self.proj, &self.view, measure);
        let mut omitted = false;
        if let Some(b) = self.basemap.as_ref().filter(|_| self.view.basemap) {
            let (tiles, left_out) = b.items(&self.view.viewport, export);
            omitted = left_out;
            scene.items.splice(0..0, tiles);
        }
        (scene, omitted)
    }

    /// The frame with what an export needs on top: title, legend, the 示意 note and a footer
    /// naming the plan and crediting the data.
    pub fn export_scene(&self, measure: &dyn MeasureText) -> Scene {
        self.export_frame(measure, false)
    }

    /// The export frame; `svg` says the tiles cannot come along (an SVG keeps vectors only,
    /// and a tile URL in it would carry the deployer's key).
    fn export_frame(&self, measure: &dyn MeasureText, svg: bool) -> Scene {
        // An export is kept: its labels where the final frame has them, even when it is asked
        // for before the page worked out the deferred ones (issue 13).
        self.proj.settle_labels(usize::MAX);
        let (mut scene, omitted) = self.frame(measure, true);
        // What shows, not the margin the screen keeps for reuse: an SVG holds nothing outside.
        let shown = self.view.viewport.visible();
        scene.drawn = shown;
        scene.items.retain(|i| match i {
            Item::Area { index, .. } => self.proj.area_bounds[*index].intersects(&shown),
            _ => true,
        });
        // Exports are printed and zoomed into: full detail, whatever the screen needed.
        for item in &mut scene.items {
            if let Item::Area { lod, .. } | Item::Line { lod, .. } = item {
                *lod = 0;
            }
        }
        let theme = Theme::of(self.view.theme).with(&self.view.overrides);
        let lang = self.view.lang;
        let [w, h] = scene.size;
        let panel = theme.background.alpha(0.88);
        let title = self.plan.title.get(lang).to_owned();
        scene.items.push(Item::Rect {
            bounds: Bounds {
                min: [0.0, 0.0],
                max: [w, 34.0],
            },
            fill: panel,
            stroke: None,
        });
        scene.items.push(Item::Label {
            at: [12.0, 17.0],
            text: title,
            size: 16.0,
            color: theme.text,
            halo: None,
            bold: true,
            align: Align::Start,
        });
        // Legend, top-left under the title: one swatch per zone, then the lines (each by name
        // when there are a few, else one row per kind).
        enum Swatch {
            Zone(crate::scene::Color),
            Line(crate::scene::LineStyle, crate::scene::LineStyle),
        }
        let mut rows: Vec<(Swatch, String)> = (0..self.plan.areas.len())
            .filter(|&i| self.plan.areas[i].role == AreaRole::Zone)
            .map(|i| {
                let c = zone_color(&self.plan, &theme, i);
                (
                    Swatch::Zone(c),
                    self.plan.areas[i].name.get(lang).to_owned(),
                )
            })
            .collect();
        let lines: Vec<&crate::plan::LineFeature> = self
            .plan
            .lines
            .iter()
            .filter(|l| self.view.shows_line(l) && !l.geometry.0.is_empty())
            .collect();
        if lines.len() <= 6 {
            for l in &lines {
                let (casing, stroke) = line_styles(l, &theme);
                rows.push((Swatch::Line(casing, stroke), l.name.get(lang).to_owned()));
            }
        } else {
            let mut seen = Vec::new();
            for l in &lines {
                let class = l.style_class();
                if !seen.contains(&class) {
                    seen.push(class);
                    let (casing, stroke) = line_styles(l, &theme);
                    rows.push((
                        Swatch::Line(casing, stroke),
                        ui(lang, class_key(class)).to_owned(),
                    ));
                }
            }
        }
        if !rows.is_empty() {
            let lw = rows
                .iter()
                .map(|(_, name)| measure.width(name, 12.0))
                .fold(0.0, f64::max)
                + 40.0;
            scene.items.push(Item::Rect {
                bounds: Bounds {
                    min: [8.0, 42.0],
                    max: [8.0 + lw, 50.0 + 18.0 * rows.len() as f64],
                },
                fill: panel,
                stroke: Some(theme.context_stroke),
            });
            for (k, (swatch, name)) in rows.into_iter().enumerate() {
                let y = 55.0 + 18.0 * k as f64;
                match swatch {
                    Swatch::Zone(c) => scene.items.push(Item::Marker {
                        at: [20.0, y],
                        symbol: Symbol::Square,
                        radius: 6.0,
                        fill: c.alpha(0.75),
                        stroke: c,
                        stroke_width: 1.0,
                    }),
                    Swatch::Line(casing, stroke) => {
                        for s in [casing, stroke] {
                            scene.items.push(Item::Polyline {
                                points: vec![[13.0, y], [29.0, y]],
                                color: s.color,
                                width: s.width,
                            });
                        }
                    }
                }
                scene.items.push(Item::Label {
                    at: [36.0, y],
                    text: name,
                    size: 12.0,
                    color: theme.text,
                    halo: None,
                    bold: false,
                    align: Align::Start,
                });
            }
        }
        let mut footer = Vec::new();
        if let Some(d) = &self.plan.document {
            footer.push(d.title.get(lang).to_owned());
        }
        footer.extend(self.plan.credits.iter().map(|c| c.get(lang).to_owned()));
        if self.plan.has_schematic() {
            footer.push(ui(lang, "schematic_note").to_owned());
        }
        if let Some(b) = self.basemap.as_ref().filter(|_| self.view.basemap) {
            let credit = basemap_credit(lang, b);
            if !credit.is_empty() {
                footer.push(credit);
            }
            if svg {
                footer.push(ui(lang, "basemap_svg").to_owned());
            } else if omitted {
                footer.push(ui(lang, "basemap_cors").to_owned());
            }
        }
        let lines = footer.len() as f64;
        scene.items.push(Item::Rect {
            bounds: Bounds {
                min: [0.0, h - 8.0 - 15.0 * lines],
                max: [w, h],
            },
            fill: panel,
            stroke: None,
        });
        for (k, line) in footer.into_iter().enumerate() {
            let y = h - 4.0 - 15.0 * (lines - k as f64) + 7.5;
            scene.items.push(Item::Label {
                at: [10.0, y],
                text: line,
                size: 11.0,
                color: theme.muted,
                halo: None,
                bold: false,
                align: Align::Start,
            });
        }
        scene
    }

    /// The export as an SVG document.
    pub fn to_svg(&self, measure: &dyn MeasureText) -> String {
        let mut svg = SvgSurface::new();
        draw(&self.export_frame(measure, true), &self.proj, &mut svg);
        svg.finish()
    }
}

/// The basemap's credit line: who made it and its 审图号, as the map and every export show it.
pub fn basemap_credit(lang: Lang, b: &Basemap) -> String {
    let mut parts = Vec::new();
    if !b.credit.trim().is_empty() {
        parts.push(match lang {
            Lang::Zh => format!("底图：{}", b.credit.trim()),
            Lang::En => format!("Basemap: {}", b.credit.trim()),
        });
    }
    if !b.review_number.trim().is_empty() {
        parts.push(match lang {
            Lang::Zh => format!("审图号：{}", b.review_number.trim()),
            Lang::En => format!("Map review no. (审图号) {}", b.review_number.trim()),
        });
    }
    parts.join(" · ")
}

/// The `ui` key naming a kind of line.
fn class_key(class: crate::plan::LineClass) -> &'static str {
    match class {
        crate::plan::LineClass::Road => "road",
        crate::plan::LineClass::Water => "water",
        crate::plan::LineClass::Rail => "rail",
        crate::plan::LineClass::Other => "line",
    }
}

/// The few UI strings the pure core itself draws (exports). The element's own strings live in
/// its JS, where its DOM is.
pub fn ui(lang: Lang, key: &str) -> &'static str {
    match (key, lang) {
        ("schematic_note", Lang::Zh) => "分区范围为示意，非法定边界",
        ("schematic_note", Lang::En) => "Zone outlines are schematic (示意), not legal boundaries",
        ("road", Lang::Zh) => "道路",
        ("road", Lang::En) => "Roads",
        ("water", Lang::Zh) => "河道",
        ("water", Lang::En) => "Waterways",
        ("rail", Lang::Zh) => "铁路",
        ("rail", Lang::En) => "Railways",
        ("line", Lang::Zh) => "线路",
        ("line", Lang::En) => "Lines",
        ("basemap_cors", Lang::Zh) => "底图未包含：瓦片服务未允许跨域读取（CORS）",
        ("basemap_cors", Lang::En) => {
            "Basemap left out: its tile server does not allow cross-origin reading (CORS)"
        }
        ("basemap_svg", Lang::Zh) => "SVG 不含底图瓦片",
        ("basemap_svg", Lang::En) => "Basemap tiles are not included in SVG",
        _ => "",
    }
}
