// The element's shadow styles, adopted as a constructed stylesheet: no inline <style> and no
// style attributes, so a page's strict Content-Security-Policy needs no 'unsafe-inline'.
// Colours and fonts are CSS custom properties a host page may override on the element.
export const CSS = `
:host {
  --planmap-font: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  --planmap-bg: #f4f6f8; --planmap-panel: #ffffff; --planmap-text: #1b1f24; --planmap-muted: #59636e;
  --planmap-border: #c5ccd3; --planmap-accent: #0050b3; --planmap-focus: #0050b3; --planmap-button: #ffffff;
  display: block; position: relative; min-height: 240px; height: 480px; overflow: hidden;
  font-family: var(--planmap-font); color: var(--planmap-text); background: var(--planmap-bg);
  font-size: 14px; line-height: 1.5; contain: content;
}
:host([theme="dark"]) {
  --planmap-bg: #14181d; --planmap-panel: #1e242b; --planmap-text: #f1f4f7; --planmap-muted: #b4bec8;
  --planmap-border: #46515c; --planmap-accent: #7cc4ff; --planmap-focus: #7cc4ff; --planmap-button: #262d35;
}
:host([theme="contrast"]) {
  --planmap-bg: #000; --planmap-panel: #000; --planmap-text: #fff; --planmap-muted: #e0e0e0;
  --planmap-border: #fff; --planmap-accent: #ffff00; --planmap-focus: #00ffff; --planmap-button: #000;
  font-size: 18px;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.pm { position: absolute; inset: 0; display: flex; flex-direction: column; }
.stage { position: relative; flex: 1 1 auto; min-height: 0;
  --pm-free-top: 0px; --pm-free-right: 0px; --pm-free-bottom: 0px; --pm-free-left: 0px; }
.stage > canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; touch-action: none; cursor: grab; }
.stage > canvas:active { cursor: grabbing; }
.stage > canvas:focus { outline: none; }
.stage > canvas:focus-visible { outline: 3px solid var(--planmap-focus); outline-offset: -3px; }
button, summary { font: inherit; color: var(--planmap-text); }
button { background: var(--planmap-button); border: 1px solid var(--planmap-border); border-radius: 6px; cursor: pointer; min-width: 36px; min-height: 36px; }
button:hover { border-color: var(--planmap-accent); }
:focus-visible { outline: 3px solid var(--planmap-focus); outline-offset: 2px; }
.controls { position: absolute; right: calc(var(--pm-free-right) + 10px); bottom: calc(var(--pm-free-bottom) + 34px); display: flex; flex-direction: column; gap: 6px; }
.controls button { width: 40px; height: 40px; font-size: 20px; line-height: 1; padding: 0; }
.controls .present { font-size: 15px; }
/* A short free part (a small embed, a full bottom sheet): the buttons in a row, the notes above. */
.stage[data-compact] .controls { flex-direction: row; bottom: calc(var(--pm-free-bottom) + 8px); }
.stage[data-compact] .mapnotes { bottom: calc(var(--pm-free-bottom) + 56px); right: calc(var(--pm-free-right) + 8px); }
.legend { position: absolute; top: 10px; right: 10px; max-width: min(320px, 60%); max-height: max(44px, calc(100% - var(--pm-free-bottom) - 280px)); overflow: auto;
  background: var(--planmap-panel); border: 1px solid var(--planmap-border); border-radius: 8px; padding: 4px 10px; font-size: 0.9em; }
.legend summary { cursor: pointer; font-weight: bold; padding: 4px 0; }
/* WCAG 2.2 2.5.8 Target Size: every control at least 24×24 CSS px in every theme (issue 12),
   44×44 on coarse pointers where there is room. */
.legend input[type="checkbox"], .list input[type="checkbox"] { width: 24px; height: 24px; margin: 0 6px 0 0; vertical-align: middle; flex: none; }
.legend label { display: inline-flex; align-items: center; min-height: 24px; }
.legend select { min-height: 24px; }
summary { min-height: 24px; }
@media (pointer: coarse) {
  .controls button { width: 44px; height: 44px; }
  .legend input[type="checkbox"] { width: 32px; height: 32px; }
  .legend select, .legend summary, .list summary { min-height: 44px; }
}
.legend ul, .list ul { list-style: none; margin: 0; padding: 0; }
.legend li { display: flex; align-items: center; gap: 6px; margin: 3px 0; }
.legend label { display: flex; align-items: center; gap: 6px; cursor: pointer; }
.legend input { width: 18px; height: 18px; margin: 0; accent-color: var(--planmap-accent); }
.swatch { width: 14px; height: 14px; border-radius: 3px; flex: none; border: 1px solid var(--planmap-border); }
.symbol { width: 14px; height: 14px; flex: none; }
.legend h3 { font-size: 1em; margin: 6px 0 2px; }
/* The map's own notes (credits, the 示意 note, a basemap's credit and 审图号) live in .mapnotes,
   kept inside the free area: above a bottom sheet, right of a side panel, left of the zoom
   buttons; they wrap rather than being cut. */
.mapnotes { position: absolute; left: calc(var(--pm-free-left) + 8px); right: calc(var(--pm-free-right) + 60px);
  bottom: calc(var(--pm-free-bottom) + 6px); display: flex; flex-direction: column; align-items: flex-start; gap: 2px;
  pointer-events: none; z-index: 1; }
.mapnotes > * { max-width: 100%; font-size: max(12px, 0.8em); line-height: 1.35; color: var(--planmap-muted); white-space: normal; overflow-wrap: anywhere;
  background: color-mix(in srgb, var(--planmap-bg) 90%, transparent); border-radius: 4px; padding: 1px 5px;
  text-shadow: 0 0 3px var(--planmap-bg), 0 0 3px var(--planmap-bg); }
.tooltip { position: absolute; pointer-events: none; background: var(--planmap-panel); color: var(--planmap-text); border: 1px solid var(--planmap-border);
  border-radius: 6px; padding: 4px 8px; font-size: 13px; max-width: 260px; box-shadow: 0 2px 8px rgba(0,0,0,.18); z-index: 3; }
.tooltip .sub { color: var(--planmap-muted); font-size: 12px; }
/* The panel: a head that stays (name, kind, key figure) and a body that scrolls. */
.panel { position: absolute; top: 56px; left: 10px; bottom: 10px; width: min(360px, calc(100% - 20px)); z-index: 4;
  display: flex; flex-direction: column; overflow: hidden; padding: 0;
  background: var(--planmap-panel); border: 1px solid var(--planmap-border); border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
.panel > .head { flex: none; position: relative; padding: 12px 14px 4px; }
.panel > .body { flex: 1 1 auto; min-height: 0; overflow: auto; padding: 0 14px 12px; }
.panel .key { display: none; margin: 0 0 4px; font-weight: bold; }
.panel:focus { outline: none; }
.panel:focus-visible { outline: 3px solid var(--planmap-focus); outline-offset: -3px; }
.sheet-handle { display: none; }
.panel h2 { font-size: 1.2em; margin: 0 36px 4px 0; }
.panel h2 + .meta { margin-right: 36px; }
.panel .close { position: absolute; top: 8px; right: 8px; }
.panel .meta { color: var(--planmap-muted); margin: 0 0 8px; }
.panel dl { margin: 6px 0; } .panel dt { font-weight: bold; margin-top: 6px; } .panel dd { margin: 0; }
.panel blockquote { margin: 8px 0; padding: 6px 10px; border-left: 4px solid var(--planmap-accent); background: var(--planmap-bg); }
.panel cite { display: block; color: var(--planmap-muted); font-style: normal; font-size: 0.9em; margin-top: 4px; }
.panel table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
.panel th, .panel td { text-align: left; padding: 3px 4px; border-bottom: 1px solid var(--planmap-border); vertical-align: top; }
.panel td.num { text-align: right; font-variant-numeric: tabular-nums; } .panel td.num .figure { white-space: nowrap; }
.panel .quote-btn { min-height: 28px; min-width: 28px; font-size: 0.85em; padding: 0 6px; }
.panel ul.projects { padding-left: 0; list-style: none; } .panel ul.projects button { margin: 2px 0; text-align: left; min-height: 32px; }

.charts figure { margin: 8px 0; } .charts figcaption { font-weight: bold; font-size: 0.92em; }
.charts canvas { display: block; width: 100%; height: 130px; }
.charts canvas.progress { height: 36px; }
/* Said where the charts would be when the extras module trapped (the map goes on). */
.charts-error { margin: 8px 0; padding: 6px 10px; border-left: 4px solid var(--planmap-accent); background: var(--planmap-bg); }
.panel tr.current-year th, .panel tr.current-year td { background: var(--planmap-bg); font-weight: bold; }
.legend select { font: inherit; max-width: 100%; margin: 2px 0 4px; color: var(--planmap-text); background: var(--planmap-button); border: 1px solid var(--planmap-border); }
.legend .scale { display: flex; align-items: center; gap: 4px; font-size: 0.85em; flex-wrap: wrap; }
.legend .ramp { display: flex; } .legend .ramp span { width: 18px; height: 12px; }
.legend .nodata { width: 18px; height: 12px; border: 1px solid var(--planmap-border);
  background: repeating-linear-gradient(45deg, var(--planmap-bg) 0 3px, var(--planmap-muted) 3px 5px); }
.datatable { position: absolute; inset: 8px; z-index: 6; background: var(--planmap-panel); border: 1px solid var(--planmap-border);
  border-radius: 8px; padding: 10px 12px; overflow: auto; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
.datatable header { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
.datatable h2 { font-size: 1.1em; margin: 0 auto 0 0; }
.datatable table { border-collapse: collapse; width: 100%; font-size: 0.88em; }
.datatable th, .datatable td { border-bottom: 1px solid var(--planmap-border); padding: 3px 5px; text-align: left; vertical-align: top; }
.datatable th button { border: none; background: none; font-weight: bold; padding: 0; min-height: 28px; text-align: left; }
.datatable td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.datatable td.quote { min-width: 16em; color: var(--planmap-muted); }
@media (max-width: 600px) {
  /* The bottom sheet: planmap-inview.js sets its peek and full heights. */
  .panel { top: auto; left: 0; right: 0; bottom: 0; width: auto; height: 45%; max-height: calc(100% - 56px); border-radius: 14px 14px 0 0; border-bottom: none; }
  .panel > .head { padding-top: 0; }
  .panel .key { display: block; }
  /* Full shows the figure in its table. */
  .panel[data-sheet="full"] .key { display: none; }
  .sheet-handle { display: block; width: 100%; min-height: 24px; margin: 0; padding: 8px 0 6px; border: none; border-radius: 14px 14px 0 0;
    background: transparent; cursor: grab; touch-action: none; }
  .sheet-handle::before { content: ""; display: block; width: 44px; height: 5px; margin: 0 auto; border-radius: 3px; background: var(--planmap-muted); }
  .sheet-handle:focus-visible { outline-offset: -3px; }
  .legend { max-width: 70%; }
}
.list { position: absolute; left: 10px; top: 10px; max-width: min(320px, 70%); max-height: max(44px, calc(100% - var(--pm-free-bottom) - 60px)); overflow: auto; z-index: 2;
  background: var(--planmap-panel); border: 1px solid var(--planmap-border); border-radius: 8px; padding: 2px 10px; font-size: 0.9em; }
.list[open] { z-index: 5; }
.list summary { cursor: pointer; padding: 6px 0; font-weight: bold; }
.list button { display: block; width: 100%; text-align: left; border: none; border-radius: 4px; min-height: 32px; padding: 2px 6px; background: transparent; }
.list button[aria-pressed="true"] { background: var(--planmap-bg); font-weight: bold; }
.list h3 { font-size: 1em; margin: 6px 0 2px; }
.message { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; padding: 24px; text-align: center;
  background: var(--planmap-bg); color: var(--planmap-text); z-index: 10; }
.message p { max-width: 36em; margin: 0; }
.load-progress { position: absolute; left: 50%; top: 50%; transform: translate(-50%, -50%); width: min(24em, 80%); box-sizing: border-box; padding: 12px 16px;
  display: flex; flex-direction: column; gap: 8px; align-items: stretch; text-align: center; z-index: 6;
  background: var(--planmap-panel); color: var(--planmap-text); border: 1px solid var(--planmap-border); border-radius: 8px; }
.load-progress progress { width: 100%; height: 12px; accent-color: var(--planmap-accent); }
.load-progress .count { font-variant-numeric: tabular-nums; }
.streaming > .legend, .streaming > .list { display: none; }
.nothing { position: absolute; left: 50%; top: 50%; transform: translate(-50%, -50%); max-width: min(30em, 80%); margin: 0; padding: 10px 14px; text-align: center;
  background: var(--planmap-panel); border: 1px solid var(--planmap-border); border-radius: 8px; z-index: 1; pointer-events: none; }
.nothing .detail { display: block; color: var(--planmap-muted); font-size: 0.85em; margin-top: 4px; }
.legend .line-icon { width: 22px; height: 10px; vertical-align: middle; margin-right: 4px; }
.message .detail { display: block; color: var(--planmap-muted); font-size: 0.9em; margin-top: 6px; word-break: break-all; }
.caption { position: absolute; left: 0; right: 0; bottom: 0; padding: 16px 24px 20px; z-index: 5; background: var(--planmap-panel);
  border-top: 3px solid var(--planmap-accent); font-size: 1.3em; }
.caption h2 { margin: 0 0 4px; font-size: 1.5em; } .caption p { margin: 2px 0; }
.caption .nav { position: absolute; right: 16px; top: 12px; display: flex; gap: 8px; }
:host([data-presenting]) .legend, :host([data-presenting]) .list, :host([data-presenting]) .controls,
:host([data-presenting]) .panel { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
@media print {
  :host { height: auto !important; overflow: visible; contain: none; }
  .pm { position: static; display: block; }
  .stage { height: auto; }
  .stage > canvas { position: static; height: auto; max-height: 160mm; object-fit: contain; }
  .controls, .tooltip, .list, .legend summary, .legend select, .panel, .datatable header button { display: none !important; }
  .datatable { display: block !important; position: static; box-shadow: none; border: none; overflow: visible; }
}
`;
