// Small SVG charts drawn here, so the page needs no chart library.

const SVG = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes. */
export function svg(name, attributes = {}, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

const percent = (p) => `${(p * 100).toFixed(1)} %`;

/** The ten probabilities as bars, the chosen digit's emphasised; the label lists every value for screen readers. */
export function probabilityBars(probabilities, chosen) {
  const width = 200;
  const height = 78;
  const plotTop = 4;
  const plotHeight = 54;
  const slot = width / 10;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'bars',
    role: 'img',
    'aria-label': `Probabilities: ${probabilities.map((p, digit) => `${digit}: ${percent(p)}`).join(', ')}`,
  });
  chart.append(svg('line', { x1: 0, x2: width, y1: plotTop + plotHeight + 0.5, y2: plotTop + plotHeight + 0.5, class: 'bars__axis' }));
  probabilities.forEach((p, digit) => {
    // A sliver even at 0 %, so that every digit visibly has a place.
    const h = Math.max(1, p * plotHeight);
    const top = digit === chosen;
    chart.append(svg('rect', {
      x: digit * slot + 3, y: plotTop + plotHeight - h, width: slot - 6, height: h, rx: 2,
      class: top ? 'bars__bar bars__bar--top' : 'bars__bar',
    }));
    chart.append(svg('text', {
      x: digit * slot + slot / 2, y: height - 4, 'text-anchor': 'middle',
      class: top ? 'bars__label bars__label--top' : 'bars__label',
    }, String(digit)));
  });
  return chart;
}

let patternCount = 0;

/** Dead and dormant units of each layer: two bars per layer, with the counts written beside them. */
export function unitsChart(layers) {
  const width = 280;
  const labelWidth = 50;
  const countWidth = 104;
  const barWidth = width - labelWidth - countWidth;
  const rowHeight = 28;
  const height = layers.length * rowHeight + 2;
  const id = `hatch-${++patternCount}`;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart units',
    role: 'img',
    'aria-label': `Units per layer: ${layers.map((l) => `${l.layer}: ${l.dead} of ${l.units} dead, ${l.dormant} dormant`).join('; ')}`,
  });
  const defs = svg('defs');
  const pattern = svg('pattern', { id, width: 4, height: 4, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pattern.append(svg('rect', { width: 4, height: 4, fill: '#fde7cf' }), svg('rect', { width: 2, height: 4, fill: '#b45309' }));
  defs.append(pattern);
  chart.append(defs);
  layers.forEach((layer, i) => {
    const y = i * rowHeight + 2;
    const dead = layer.units ? layer.dead / layer.units : 0;
    const dormant = layer.units ? layer.dormant / layer.units : 0;
    chart.append(svg('text', { x: 0, y: y + 16, class: 'chart__strong' }, layer.layer));
    chart.append(svg('rect', { x: labelWidth, y, width: barWidth, height: 10, rx: 2, class: 'units__track' }));
    chart.append(svg('rect', { x: labelWidth, y, width: Math.max(dead > 0 ? 2 : 0, dead * barWidth), height: 10, rx: 2, class: 'units__dead' }));
    chart.append(svg('rect', { x: labelWidth, y: y + 12, width: barWidth, height: 10, rx: 2, class: 'units__track' }));
    chart.append(svg('rect', {
      x: labelWidth, y: y + 12, width: Math.max(dormant > 0 ? 2 : 0, dormant * barWidth), height: 10, rx: 2,
      fill: `url(#${id})`, stroke: dormant > 0 ? '#b45309' : 'none', 'stroke-width': 1,
    }));
    chart.append(svg('text', { x: width, y: y + 9, 'text-anchor': 'end' }, `${layer.dead}/${layer.units} dead`));
    chart.append(svg('text', { x: width, y: y + 21, 'text-anchor': 'end' }, `${layer.dormant}/${layer.units} dormant`));
  });
  return chart;
}

// Lines told apart by dash as well as colour.
const LINE_STYLES = [
  { stroke: '#1d4ed8', dash: '' },
  { stroke: '#b45309', dash: '5 3' },
  { stroke: '#047857', dash: '1.5 2.5' },
  { stroke: '#7c3aed', dash: '8 3 2 3' },
];

/** The dead fraction of each layer from initialisation (epoch 0) through every epoch, the kept epoch marked. */
export function historyChart(history, bestEpoch) {
  const width = 280;
  const height = 120;
  const left = 30;
  const right = 8;
  const top = 8;
  const bottom = 20;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const lastEpoch = Math.max(1, ...history.map((s) => s.epoch));
  const layerNames = history[0]?.layers.map((l) => l.layer) ?? [];
  const fraction = (l) => (l.units ? l.dead / l.units : 0);
  const peak = Math.max(0.05, ...history.flatMap((s) => s.layers.map(fraction)));
  const yMax = Math.min(1, Math.ceil(peak * 10) / 10);
  const x = (epoch) => left + (epoch / lastEpoch) * plotWidth;
  const y = (value) => top + plotHeight - (value / yMax) * plotHeight;

  const last = history[history.length - 1];
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'chart history',
    role: 'img',
    'aria-label': `Dead units through ${lastEpoch} epochs: ${layerNames.map((name, i) =>
      `${name} from ${Math.round(fraction(history[0].layers[i]) * 100)} % to ${Math.round(fraction(last.layers[i]) * 100)} %`).join('; ')}`,
  });
  for (const tick of [0, yMax / 2, yMax]) {
    chart.append(svg('line', { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: 'history__grid' }));
    chart.append(svg('text', { x: left - 4, y: y(tick) + 3, 'text-anchor': 'end' }, `${Math.round(tick * 100)}%`));
  }
  for (const epoch of [0, Math.round(lastEpoch / 2), lastEpoch]) {
    chart.append(svg('text', { x: x(epoch), y: height - 6, 'text-anchor': 'middle' }, String(epoch)));
  }
  if (bestEpoch > 0) {
    chart.append(svg('line', { x1: x(bestEpoch), x2: x(bestEpoch), y1: top, y2: top + plotHeight, class: 'history__best' }));
  }
  layerNames.forEach((name, i) => {
    const style = LINE_STYLES[i % LINE_STYLES.length];
    const points = history.map((s) => `${x(s.epoch).toFixed(1)},${y(fraction(s.layers[i])).toFixed(1)}`).join(' ');
    chart.append(svg('polyline', {
      points, class: 'history__line', stroke: style.stroke,
      ...(style.dash ? { 'stroke-dasharray': style.dash } : {}),
    }));
  });
  return chart;
}

/** The legend of a history chart: each layer's line drawn small, with its name. */
export function historyLegend(layerNames, bestEpoch) {
  const legend = document.createElement('p');
  legend.className = 'legend';
  layerNames.forEach((name, i) => {
    const style = LINE_STYLES[i % LINE_STYLES.length];
    const item = document.createElement('span');
    const sample = svg('svg', { width: 22, height: 8, viewBox: '0 0 22 8', 'aria-hidden': 'true' });
    sample.append(svg('line', { x1: 0, x2: 22, y1: 4, y2: 4, stroke: style.stroke, 'stroke-width': 2, ...(style.dash ? { 'stroke-dasharray': style.dash } : {}) }));
    item.append(sample, ` ${name}`);
    legend.append(item);
  });
  if (bestEpoch > 0) {
    const item = document.createElement('span');
    item.textContent = `┊ kept epoch ${bestEpoch}`;
    legend.append(item);
  }
  return legend;
}
