// Demo page wiring: language and theme switches, and a log of the element's events.
const map = document.getElementById('map');
const log = document.getElementById('log');
for (const [id, attr] of [['opt-lang', 'lang'], ['opt-theme', 'theme']]) {
  const sel = document.getElementById(id);
  sel.value = map.getAttribute(attr);
  sel.addEventListener('change', () => {
    map.setAttribute(attr, sel.value);
    if (attr === 'lang') document.documentElement.lang = sel.value;
  });
}
for (const type of ['planmap-ready', 'planmap-select', 'planmap-error']) {
  map.addEventListener(type, (e) => {
    log.textContent = `${type} ${JSON.stringify(e.detail)}`;
  });
}
