// Types of planmap's public contract: the <plan-map> custom element that `import 'planmap'`
// (or <script type="module" src="planmap.js">) defines. Checked against the implementation
// (www/planmap-element.js) and against a usage file by `cargo xtask test`.

/** What `planmap-select` carries; `id`, `kind` and `name` are null when the selection is cleared. */
export interface PlanMapSelectDetail {
  id: string | null;
  kind: PlanMapFeatureKind | null;
  name: string | null;
}

/** The kinds of feature a selection can be. */
export type PlanMapFeatureKind = 'zone' | 'district' | 'project' | 'line' | (string & {});

/** What `planmap-ready` carries: the loader's warnings (a bad feature is skipped, not fatal). */
export interface PlanMapReadyDetail {
  warnings: string[];
}

/** What `planmap-error` carries: a readable message naming the file, feature or property. */
export interface PlanMapErrorDetail {
  message: string;
}

/** What `planmap-charts` carries when a details panel's charts are drawn. */
export interface PlanMapChartsDetail {
  area: string;
  count: number;
}

/** The element's events (all bubble; all but planmap-charts also cross shadow roots). */
export interface PlanMapEventMap extends HTMLElementEventMap {
  'planmap-ready': CustomEvent<PlanMapReadyDetail>;
  'planmap-select': CustomEvent<PlanMapSelectDetail>;
  'planmap-error': CustomEvent<PlanMapErrorDetail>;
  'planmap-charts': CustomEvent<PlanMapChartsDetail>;
}

/** The element's attributes, for typing templates and JSX. */
export interface PlanMapAttributes {
  /** A planmap manifest (plan.json) or any GeoJSON; resolved against the page. */
  src?: string;
  /** The largest file read, in MB: lowers the default cap of 256 MB. Files over 8 MB are
   * streamed in a Web Worker with a progress bar. */
  'max-size'?: number | `${number}`;
  /** `zh-CN` (default) or `en`. */
  lang?: 'zh-CN' | 'en' | (string & {});
  /** `light` (default), `dark` or `contrast` (larger type, for projectors). */
  theme?: 'light' | 'dark' | 'contrast';
  /** Present: keep the selected zone, indicator and year in the URL hash. */
  hash?: boolean | '';
  /** A street basemap (off by default: no request leaves the page without it): an XYZ
   * template with `{z}` `{x}` `{y}` and optional `{s}`, `{r}`, `{k}`, or a 天地图 preset. */
  basemap?: 'tianditu-vec' | 'tianditu-img' | (string & {});
  /** The deployer's 天地图 `tk` key (or `{k}` in a template). */
  'basemap-key'?: string;
  /** The tiles' coordinate system; the presets are `wgs84`. */
  'basemap-crs'?: 'wgs84' | 'gcj02';
  /** Who made the tiles, shown bottom-left and in exports. */
  'basemap-credit'?: string;
  /** The basemap's 审图号, shown bottom-left, in PNG and SVG exports and in print. */
  'review-number'?: string;
}

/** The map's view: centre in degrees and a zoom level. */
export interface PlanMapView {
  center: [lon: number, lat: number];
  zoom: number;
}

/** The selected feature. */
export interface PlanMapFeature {
  id: string;
  kind: PlanMapFeatureKind;
  name: string;
}

/** `<plan-map>`: a district plan's zones, projects and figures on a canvas. */
export declare class PlanMapElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** Resolves (with the element) after the first frame is drawn; rejects when the plan cannot be shown. */
  readonly ready: Promise<PlanMapElement>;
  /** The selection, or null. */
  readonly selected: PlanMapFeature | null;
  /** The view (null before a plan is loaded); setting it moves the map. */
  get view(): PlanMapView | null;
  set view(v: Partial<PlanMapView> | null);
  /** The loader's warnings for the current plan. */
  warnings: string[] | undefined;
  /** Selects a zone, district, project or line by id (null clears); `zoom` also zooms to it. */
  select(id: string | null, options?: { zoom?: boolean }): PlanMapFeature | null;
  /** Draws now, synchronously; true when a frame was drawn. */
  render(): boolean;
  /** Schedules one frame. */
  invalidate(): void;
  /** Shows the whole plan. */
  fit(): void;
  /** Colours areas by an indicator (or a numeric property of a bare GeoJSON); null clears. */
  setIndicator(id: string | null): void;
  /** Shows the figures as of 2015, 2020 or 2025 (0 or null: the latest). */
  setYear(year: number | string | null): void;
  /** Full screen presentation: overview, each zone, summary. Resolves once the overview shows. */
  present(): Promise<void>;
  /** The next step of the presentation. */
  next(): void;
  /** The previous step of the presentation. */
  prev(): void;
  /** The current view as a PNG at `scale` × the CSS size (1–4, default 2). */
  toPNG(scale?: number): Promise<Blob>;
  /** The current view as an SVG document. */
  toSVG(): string;
  /** Opens the table of every figure. */
  showTable(): Promise<void>;
  /** Downloads every figure as CSV (UTF-8 with BOM) and returns it. */
  downloadCSV(): Promise<Blob>;
  /** Re-reads the CSS custom properties that style the canvas. */
  refreshStyle(): void;
  /** Releases every listener, observer and the wasm object (also done when removed from the page). */
  destroy(): void;

  addEventListener<K extends keyof PlanMapEventMap>(type: K, listener: (this: PlanMapElement, ev: PlanMapEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof PlanMapEventMap>(type: K, listener: (this: PlanMapElement, ev: PlanMapEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** An http(s) URL from data as an absolute link, or null (javascript:, data: … never become links). */
export declare function safeHref(url: unknown): string | null;

declare global {
  interface HTMLElementTagNameMap {
    'plan-map': PlanMapElement;
  }
}
