// Every UI string of the element, in both languages of the public contract.
export const STRINGS = {
  zh: {
    loading: '正在加载地图…',
    loadFailed: '无法加载地图数据',
    internalError: '地图出现内部错误',
    outOfMemory: '内存不足，地图无法继续',
    zoomIn: '放大', zoomOut: '缩小', fit: '显示全部', present: '演示模式', exitPresent: '退出演示',
    next: '下一页', prev: '上一页',
    close: '关闭', legend: '图例', zones: '发展片区', list: '分区与项目列表', projects: '项目与地点',
    mapControls: '地图控制', details: '详情', source: '规划原文', section: '出处',
    schematic: '示意范围', schematicNote: '分区范围为示意，非法定边界',
    approximate: '位置为近似', surveyed: '位置来自公开资料',
    kind: { zone: '发展片区', district: '全区', project: '项目', area: '区域' },
    status: { operating: '建成运营', under_construction: '在建', planned: '规划', existing: '现有' },
    valueKind: { baseline: '基期', actual: '实际', cumulative: '累计', target: '目标' },
    indicator: '指标', year: '年份', value: '数值', noValues: '规划未给出本区域的指标数值。',
    selected: '已选中', cleared: '已取消选择', focused: '焦点',
    mapLabel: (/** @type {string} */ title, /** @type {number} */ zones, /** @type {number} */ points) => `${title}：地图，含 ${zones} 个发展片区、${points} 个项目与地点。按 ] 和 [ 键逐个浏览片区、线路与项目，Enter 选择，方向键平移，加减号缩放，Tab 离开地图。`,
    zoneCount: (/** @type {number} */ n) => `${n} 个`,
    overview: '总览', summary: '小结',
    atLeast: '以上',
    credits: '数据来源',
    keyboardHelp: '] / [ 浏览 · Enter 选择 · 方向键平移 · +/− 缩放 · Esc 取消',
    projectsInZone: '片区内项目',
    showZones: '显示片区',
    link: '相关链接', statusFilter: '项目状态', unit: '单位', table: '数据表', tableTitle: '全部指标数值', downloadCSV: '下载 CSV', area: '区域', kindCol: '类型', quote: '规划原文',
    colourBy: '按指标着色', none: '不着色', yearLabel: '年份', latest: '最新', targetYear: '（目标）', noData: '无数据',
    patterns: '图案填充', progress: '目标进展', charts: '历年数值', sortBy: '按此列排序',
    progressLabel: (/** @type {string | undefined} */ name, /** @type {string} */ latest, /** @type {number} */ ly, /** @type {string} */ target, /** @type {number} */ ty, /** @type {string} */ unit, /** @type {number} */ pct) => `${name}：${ly}年 ${latest}，${ty}年目标 ${target} ${unit}，完成 ${pct}%`,
  },
  en: {
    loading: 'Loading the map…',
    loadFailed: 'Could not load the map data',
    internalError: 'The map hit an internal error',
    outOfMemory: 'The map ran out of memory',
    zoomIn: 'Zoom in', zoomOut: 'Zoom out', fit: 'Show all', present: 'Presentation', exitPresent: 'Leave presentation',
    next: 'Next', prev: 'Previous',
    close: 'Close', legend: 'Legend', zones: 'Development zones', list: 'Zones and projects', projects: 'Projects and places',
    mapControls: 'Map controls', details: 'Details', source: 'Plan text', section: 'Section',
    schematic: 'schematic outline', schematicNote: 'Zone outlines are schematic (示意), not legal boundaries',
    approximate: 'approximate position', surveyed: 'position from a published source',
    kind: { zone: 'Development zone', district: 'District', project: 'Project', area: 'Area' },
    status: { operating: 'Operating', under_construction: 'Under construction', planned: 'Planned', existing: 'Existing' },
    valueKind: { baseline: 'baseline', actual: 'actual', cumulative: 'cumulative', target: 'target' },
    indicator: 'Indicator', year: 'Year', value: 'Value', noValues: 'The plan gives no figures for this area.',
    selected: 'Selected', cleared: 'Selection cleared', focused: 'Focus',
    mapLabel: (/** @type {string} */ title, /** @type {number} */ zones, /** @type {number} */ points) => `${title}: map with ${zones} development zones and ${points} projects and places. ] and [ step through the zones, lines and projects, Enter selects, arrow keys pan, plus and minus zoom, Tab leaves the map.`,
    zoneCount: (/** @type {number} */ n) => `${n}`,
    overview: 'Overview', summary: 'Summary',
    atLeast: 'or more',
    credits: 'Data',
    keyboardHelp: '] / [ browse · Enter select · Arrows pan · +/− zoom · Esc clear',
    projectsInZone: 'Projects in this zone',
    showZones: 'Show zones',
    link: 'Link', statusFilter: 'Project status', unit: 'Unit', table: 'Data table', tableTitle: 'Every figure of the plan', downloadCSV: 'Download CSV', area: 'Area', kindCol: 'Kind', quote: 'Plan text',
    colourBy: 'Colour by', none: 'None', yearLabel: 'Year', latest: 'Latest', targetYear: ' (target)', noData: 'No data',
    patterns: 'Patterns', progress: 'Progress to target', charts: 'Values by year', sortBy: 'Sort by this column',
    progressLabel: (/** @type {string | undefined} */ name, /** @type {string} */ latest, /** @type {number} */ ly, /** @type {string} */ target, /** @type {number} */ ty, /** @type {string} */ unit, /** @type {number} */ pct) => `${name}: ${latest} in ${ly}, target ${target} ${unit} for ${ty}, ${pct}% reached`,
  },
};

/**
 * The strings of `lang` (English for any `en…`, Chinese otherwise).
 * @param {string | null} lang
 */
export function strings(lang) {
  return String(lang || '').toLowerCase().startsWith('en') ? STRINGS.en : STRINGS.zh;
}
