// The models view: each model's state, backend, accuracy and its units, from GET /v1/models.

import { getJson } from './api.js';
import { historyChart, historyLegend, unitsChart } from './charts.js';

const el = (tag, className, text) => {
  const element = document.createElement(tag);
  if (className) {
    element.className = className;
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
};

const accuracy = (value) => (typeof value === 'number' ? `${(value * 100).toFixed(2)} %` : '–');

function fact(list, term, value) {
  list.append(el('dt', '', term), el('dd', '', value));
}

function modelCard(model, names, formulas) {
  const card = model.card;
  const item = el('li', 'model');
  item.dataset.model = model.name;
  const head = el('div', 'model__head');
  const title = el('h4', 'model__name', card ? names.get(card.activation) ?? card.activation : model.name);
  const state = el('span', `state state--${model.state}`, model.state === 'ready' ? '● Ready' : model.state === 'loading' ? '◌ Loading' : '✕ Failed');
  head.append(title, state);
  item.append(head);

  const facts = el('dl', 'model__facts');
  fact(facts, 'Model', model.name + (model.default ? ' (default)' : ''));
  if (card && formulas.has(card.activation)) {
    fact(facts, 'Activation', formulas.get(card.activation));
  }
  fact(facts, 'Runs on', model.backend ? `${model.backend} · ${model.device}` : '–');
  if (card) {
    fact(facts, 'Validation', accuracy(card.validationAccuracy));
    fact(facts, 'Test', accuracy(card.testAccuracy));
    fact(facts, 'Trained', `${card.epochs} epochs, kept ${card.bestEpoch}, ${Math.round(card.trainingSeconds)} s`);
  }
  item.append(facts);
  if (model.reason) {
    item.append(el('p', 'model__reason', model.reason));
  }

  if (card?.units?.length) {
    item.append(el('p', 'chart-title', 'Dead and dormant units'));
    item.append(unitsChart(card.units));
    const legend = el('p', 'legend');
    const dead = el('span');
    dead.append(el('span', 'legend__swatch legend__swatch--dead'), 'dead');
    const dormant = el('span');
    dormant.append(el('span', 'legend__swatch legend__swatch--dormant'), 'dormant');
    legend.append(dead, dormant);
    item.append(legend);
  }
  if (card?.unitHistory?.length) {
    item.append(el('p', 'chart-title', 'Dead units through training'));
    item.append(historyChart(card.unitHistory, card.bestEpoch));
    item.append(historyLegend(card.unitHistory[0].layers.map((l) => l.layer), card.bestEpoch));
  }
  return item;
}

const ARCHITECTURE_TITLES = { enhanced: 'Enhanced networks', baseline: 'Baseline networks' };

/** Renders the models; resolves with whether any model is still loading. */
export async function renderModels(container, message, names, formulas) {
  let models;
  try {
    models = await getJson('v1/models');
  } catch (error) {
    message.textContent = `The models could not be listed: ${error.message}`;
    message.classList.add('message--error');
    return false;
  }
  message.classList.remove('message--error');
  const ready = models.filter((m) => m.state === 'ready').length;
  message.textContent = `${ready} of ${models.length} models serve.`;

  const groups = new Map();
  for (const model of models) {
    const architecture = model.card?.architecture ?? 'other';
    if (!groups.has(architecture)) {
      groups.set(architecture, []);
    }
    groups.get(architecture).push(model);
  }
  const order = ['enhanced', 'baseline', ...[...groups.keys()].filter((a) => a !== 'enhanced' && a !== 'baseline')];
  const fragment = document.createDocumentFragment();
  for (const architecture of order) {
    const members = groups.get(architecture);
    if (!members) {
      continue;
    }
    const section = el('section', 'model-group');
    section.dataset.architecture = architecture;
    const heading = el('h3', '', ARCHITECTURE_TITLES[architecture] ?? 'Other models');
    heading.id = `models-${architecture}`;
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading);
    const description = members.find((m) => m.card)?.card.architectureDescription;
    if (description) {
      section.append(el('p', 'model-group__desc', description));
    }
    const list = el('ul', 'model-grid');
    for (const model of members) {
      list.append(modelCard(model, names, formulas));
    }
    section.append(list);
    fragment.append(section);
  }
  container.replaceChildren(fragment);
  return models.some((m) => m.state === 'loading');
}
