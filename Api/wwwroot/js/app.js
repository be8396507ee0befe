// The page: draw (or drop) a digit, classify it with every activation's network, show each answer,
// the 28×28 image the networks saw, and the models behind them.

import { compare, getJson } from './api.js';
import { probabilityBars } from './charts.js';
import { DrawingPad } from './drawing.js';
import { renderModels } from './models.js';

const DEBOUNCE_MS = 250;

// Names for the activations until GET /v1/activations answers (or if it cannot).
const names = new Map([
  ['relu', 'ReLU'], ['leaky_relu', 'Leaky ReLU'], ['elu', 'ELU'], ['noisy_relu', 'Noisy ReLU'],
  ['softsign', 'Softsign'], ['relu_softsign', 'ReLU–Softsign'],
]);
const formulas = new Map();

const $ = (id) => document.getElementById(id);
const ui = {
  pad: $('pad'),
  seen: $('seen'),
  undo: $('undo'),
  clear: $('clear'),
  classify: $('classify'),
  width: $('stroke-width'),
  widthValue: $('stroke-width-value'),
  file: $('file'),
  dropzone: $('dropzone'),
  message: $('message'),
  verdict: $('verdict'),
  majority: $('majority'),
  agreement: $('agreement'),
  elapsed: $('elapsed'),
  results: $('results'),
  models: $('model-groups'),
  modelsMessage: $('models-message'),
};

// What is classified: the pad, or the file as chosen (its own bytes, not a re-encoding) until drawn over.
let upload = null;
let timer = 0;
let inFlight = null;
let sequence = 0;

const pad = new DrawingPad(ui.pad, {
  onChange(kind) {
    ui.undo.disabled = !pad.canUndo;
    if (kind !== 'image') {
      upload = null;
    }
    if (pad.isEmpty) {
      reset();
      return;
    }
    schedule();
  },
});

function architecture() {
  return document.querySelector('input[name="architecture"]:checked')?.value ?? 'enhanced';
}

function showMessage(text, kind = 'info') {
  ui.message.textContent = text;
  ui.message.className = `message${kind === 'error' ? ' message--error' : ''}${kind === 'busy' ? ' message--busy' : ''}${kind === 'quiet' ? ' visually-hidden' : ''}`;
}

// `data-classifying` on <body> is "pending" while the debounce waits and "running" while the service answers,
// so that a test (or a stylesheet) can tell when the answer shown is the one for the current drawing.
function setActivity(state) {
  if (state) {
    document.body.dataset.classifying = state;
  } else {
    delete document.body.dataset.classifying;
  }
}

const pendingTimer = () => timer !== 0;

function cancel() {
  clearTimeout(timer);
  timer = 0;
  inFlight?.abort();
  inFlight = null;
  setActivity(null);
}

function reset() {
  cancel();
  sequence++;
  ui.verdict.hidden = true;
  ui.results.replaceChildren();
  ui.results.removeAttribute('aria-busy');
  drawSeen(null);
  showMessage('Draw a digit to start.');
}

function schedule() {
  clearTimeout(timer);
  if (!inFlight) {
    setActivity('pending');
  }
  timer = setTimeout(() => {
    timer = 0;
    classify();
  }, DEBOUNCE_MS);
}

async function classify() {
  cancel();
  const ticket = ++sequence;
  const controller = new AbortController();
  inFlight = controller;
  setActivity('running');
  ui.results.setAttribute('aria-busy', 'true');
  if (ui.results.childElementCount === 0) {
    showMessage('Classifying…', 'busy');
  }
  try {
    const image = upload ?? { blob: await pad.toBlob(), name: 'drawing.png' };
    const answer = await compare(image.blob, image.name, architecture(), controller.signal);
    if (ticket === sequence) {
      render(answer);
    }
  } catch (error) {
    if (error.name === 'AbortError' || ticket !== sequence) {
      return;
    }
    ui.verdict.hidden = true;
    ui.results.replaceChildren();
    drawSeen(null);
    showMessage(error.message, 'error');
  } finally {
    if (ticket === sequence) {
      inFlight = null;
      ui.results.removeAttribute('aria-busy');
      // A stroke drawn meanwhile has its own classification waiting.
      setActivity(pendingTimer() ? 'pending' : null);
    }
  }
}

function render(answer) {
  const majority = answer.majorityDigit;
  ui.majority.textContent = String(majority);
  ui.agreement.textContent = answer.agreeing === answer.modelCount
    ? `All ${answer.modelCount} networks agree`
    : `${answer.agreeing} of ${answer.modelCount} networks agree`;
  ui.elapsed.textContent = `${answer.architecture} · ${answer.elapsedMilliseconds.toFixed(1)} ms in all`;
  ui.verdict.hidden = false;
  showMessage(`Majority: ${majority}. ${ui.agreement.textContent}.`, 'quiet');

  ui.results.replaceChildren(...answer.results.map((verdict) => resultCard(verdict, majority)));
  drawSeen(answer.image);
}

function resultCard(verdict, majority) {
  const item = document.createElement('li');
  const agrees = verdict.agreesWithMajority;
  item.className = agrees ? 'result' : 'result result--disagrees';
  item.dataset.activation = verdict.activation;
  item.dataset.digit = String(verdict.digit);

  const head = document.createElement('div');
  head.className = 'result__head';
  const title = document.createElement('div');
  const name = document.createElement('h3');
  name.className = 'result__name';
  // The parameters (α = 0.1) are in the models view; the cards keep to the name.
  name.textContent = (names.get(verdict.activation) ?? verdict.activation).replace(/\s*\(.*\)$/, '');
  title.append(name);
  const answer = document.createElement('div');
  answer.className = 'result__answer';
  const digit = document.createElement('p');
  digit.className = 'result__digit';
  digit.textContent = String(verdict.digit);
  const confidence = document.createElement('p');
  confidence.className = 'result__confidence';
  confidence.textContent = formatConfidence(verdict.confidence);
  answer.append(digit, confidence);
  head.append(title, answer);

  const badge = document.createElement('p');
  badge.className = `result__badge result__badge--${agrees ? 'agrees' : 'disagrees'}`;
  badge.textContent = agrees ? '✓ Agrees' : `✕ Disagrees: says ${verdict.digit}, not ${majority}`;

  const meta = document.createElement('p');
  meta.className = 'result__meta';
  meta.textContent = `${verdict.model} · ${verdict.backend} · ${verdict.inferenceMilliseconds.toFixed(2)} ms`;

  item.append(head, badge, probabilityBars(verdict.probabilities, verdict.digit), meta);
  return item;
}

/** 97.3 %, 99.87 %, or > 99.99 % rather than a rounded 100 %. */
function formatConfidence(p) {
  if (p >= 0.99995) {
    return '> 99.99 %';
  }
  return p >= 0.99 ? `${(p * 100).toFixed(2)} %` : `${(p * 100).toFixed(1)} %`;
}

/** The 28×28 input drawn 8× with crisp pixels, a faint grid and the centre (14, 14) marked. */
function drawSeen(pixels) {
  const g = ui.seen.getContext('2d');
  const cell = ui.seen.width / 28;
  g.fillStyle = '#000';
  g.fillRect(0, 0, ui.seen.width, ui.seen.height);
  if (pixels) {
    for (let row = 0; row < 28; row++) {
      for (let column = 0; column < 28; column++) {
        const v = Math.round(Math.min(1, Math.max(0, pixels[row * 28 + column])) * 255);
        if (v > 0) {
          g.fillStyle = `rgb(${v},${v},${v})`;
          g.fillRect(column * cell, row * cell, cell, cell);
        }
      }
    }
  }
  g.strokeStyle = 'rgba(255,255,255,0.07)';
  g.lineWidth = 1;
  g.beginPath();
  for (let i = 1; i < 28; i++) {
    g.moveTo(i * cell + 0.5, 0); g.lineTo(i * cell + 0.5, ui.seen.height);
    g.moveTo(0, i * cell + 0.5); g.lineTo(ui.seen.width, i * cell + 0.5);
  }
  g.stroke();
  g.strokeStyle = 'rgba(96,165,250,0.7)';
  g.beginPath();
  const c = 14 * cell;
  g.moveTo(c, c - 10); g.lineTo(c, c + 10);
  g.moveTo(c - 10, c); g.lineTo(c + 10, c);
  g.stroke();
  ui.seen.setAttribute('aria-label', pixels
    ? 'The 28 by 28 image the networks saw: the digit found, scaled to 20 pixels and centred by its centre of mass.'
    : 'The 28 by 28 image the networks saw: nothing yet.');
}

async function useFile(file) {
  if (!file) {
    return;
  }
  cancel();
  try {
    const bitmap = await createImageBitmap(file);
    pad.setBackground(bitmap);
  } catch {
    // The browser cannot show it; the service still says why it cannot read it.
    pad.clear();
  }
  upload = { blob: file, name: file.name || 'upload' };
  ui.undo.disabled = true;
  classify();
}

ui.undo.addEventListener('click', () => pad.undo());
ui.clear.addEventListener('click', () => pad.clear());
ui.classify.addEventListener('click', () => classify());
ui.width.addEventListener('input', () => {
  pad.width = Number(ui.width.value);
  ui.widthValue.textContent = `${ui.width.value} px`;
});
pad.width = Number(ui.width.value);
for (const radio of document.querySelectorAll('input[name="architecture"]')) {
  radio.addEventListener('change', () => {
    if (!pad.isEmpty || upload) {
      classify();
    }
  });
}
ui.file.addEventListener('change', () => {
  useFile(ui.file.files?.[0]);
  // The same file chosen again still counts as a change.
  ui.file.value = '';
});
for (const type of ['dragenter', 'dragover']) {
  ui.dropzone.addEventListener(type, (event) => {
    event.preventDefault();
    ui.dropzone.classList.add('is-over');
  });
}
for (const type of ['dragleave', 'drop']) {
  ui.dropzone.addEventListener(type, () => ui.dropzone.classList.remove('is-over'));
}
ui.dropzone.addEventListener('drop', (event) => {
  event.preventDefault();
  useFile(event.dataTransfer?.files?.[0]);
});
// A file dropped on the drawing is meant the same way.
ui.pad.addEventListener('dragover', (event) => event.preventDefault());
ui.pad.addEventListener('drop', (event) => {
  event.preventDefault();
  useFile(event.dataTransfer?.files?.[0]);
});
// A file dropped beside the drop zone must not replace the page.
for (const type of ['dragover', 'drop']) {
  window.addEventListener(type, (event) => event.preventDefault());
}
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 'z' && !event.shiftKey && pad.canUndo) {
    event.preventDefault();
    pad.undo();
  }
});

reset();

async function loadActivations() {
  try {
    for (const activation of await getJson('v1/activations')) {
      names.set(activation.id, activation.name);
      formulas.set(activation.id, activation.formula);
    }
  } catch {
    // The built-in names do.
  }
}

async function loadModels() {
  const loading = await renderModels(ui.models, ui.modelsMessage, names, formulas);
  if (loading) {
    setTimeout(loadModels, 2000);
  }
}

loadActivations().then(loadModels);
