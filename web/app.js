// sentivec's page: talks only to the server that served it (no CDN, no build step).
// Text from users and from the model is always inserted with textContent, never as HTML.

const $ = (id) => document.getElementById(id);
const SVG_NS = 'http://www.w3.org/2000/svg';
const POS = [22, 163, 74];
const NEG = [220, 38, 38];
const GREY = [156, 163, 175];

let labels = ['negative', 'positive'];
/** Display names of the labels (train --label-names), in the same order. */
let names = labels;
/** k > 2 classes: each class has its own colour (tokens, map, legend); two labels keep the red–green scale. */
let multi = false;
const name = (label) => names[labels.indexOf(label)] ?? label;

/** Colour of class c of k: negative-ish red, neutral amber, positive green for three; a fixed palette beyond. */
const PALETTE = [[220, 38, 38], [37, 99, 235], [22, 163, 74], [217, 119, 6], [124, 58, 237], [8, 145, 178], [219, 39, 119], [101, 163, 13]];
function classColour(label) {
  const c = labels.indexOf(label);
  if (labels.length === 3) return [NEG, [217, 119, 6], POS][c] ?? GREY;
  return PALETTE[c % PALETTE.length] ?? GREY;
}
const rgb = (c, a = 1) => `rgba(${c.join(',')},${a})`;

/** Swatches naming each class in its colour (k > 2). */
function classLegend() {
  return labels.map((l) => {
    const s = document.createElement('span');
    s.className = 'swatch';
    s.dataset.label = l;
    s.style.setProperty('--swatch', rgb(classColour(l)));
    s.textContent = name(l);
    return s;
  });
}

async function api(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data && data.error;
    throw new Error(e ? `${e.field ? `${e.field} ` : ''}${e.reason}` : `HTTP ${res.status}`);
  }
  return data;
}

const signed = (x, digits = 3) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

/** Colour for a value in [-1, 1]: red (negative) through grey to green (positive). */
function diverging(t) {
  const c = t >= 0 ? POS : NEG;
  const a = Math.min(1, Math.abs(t));
  return `rgb(${GREY.map((g, i) => Math.round(g + (c[i] - g) * a)).join(',')})`;
}

// ---------- model summary ----------

/** A rating model's scale ({ min, max }), null for a classifier. */
let ratingScale = null;

/** The predicted rating as stars (max of the scale in all, filled to the nearest half; scales beyond 0..10 as a number only). */
function showStars(rating) {
  const box = $('stars');
  if (!ratingScale || typeof rating !== 'number') {
    box.hidden = true;
    return;
  }
  const value = `${Number(rating.toFixed(1))} on ${ratingScale.min}..${ratingScale.max}`;
  if (ratingScale.min >= 0 && ratingScale.max <= 10) {
    const total = Math.round(ratingScale.max);
    const filled = Math.round(2 * rating) / 2;
    const whole = Math.floor(filled);
    box.textContent = `${'★'.repeat(whole)}${filled > whole ? '⯪' : ''}${'☆'.repeat(Math.max(0, total - Math.ceil(filled)))} ${value}`;
  } else box.textContent = value;
  box.dataset.rating = String(rating);
  box.hidden = false;
}

/** A multi-target model's targets ({ name, labels, names, info }); null for one target. */
let targets = null;
/** The target whose answer the prediction card explains (a multi-target model), and the last answer shown. */
let shownTarget = null;
let last = null;

/** Labels, names, colours and stars of the target the card shows (the model's own for one target). */
function useLabels(m, withMap) {
  labels = m.labels;
  names = Array.isArray(m.names) && m.names.length === labels.length ? m.names : labels;
  multi = labels.length > 2;
  // The legend's two-label form is rebuilt, so switching targets can go from k classes back to two.
  if (multi) $('legend').replaceChildren('toward ', ...classLegend());
  else {
    const side = (cls, text) => {
      const s = document.createElement('span');
      s.className = `swatch ${cls}`;
      const b = document.createElement('b');
      b.textContent = text;
      s.append('toward ', b);
      return s;
    };
    $('legend').replaceChildren(side('pos', names[1]), ' ', side('neg', names[0]));
    $('top-neg-title').textContent = `pushed toward ${names[0]}`;
    $('top-pos-title').textContent = `pushed toward ${names[1]}`;
  }
  if (withMap && multi) $('map-legend').replaceChildren('Each word is coloured by the class it leans to: ', ...classLegend());
  const scale = m.info?.target?.task ? m.info.target.scale : undefined;
  ratingScale = scale && typeof scale.min === 'number' && typeof scale.max === 'number' ? scale : null;
}

async function loadModel() {
  try {
    const m = await api('/v1/model');
    useLabels(m, true);
    if (Array.isArray(m.targets) && m.targets.length > 1) showTargetChoice(m.targets);
    const parts = [`labels ${names.join(' / ')}`, `${m.vocabularySize.toLocaleString('en')} words`, `${m.dim} dimensions`];
    // Optional figures from the training info; the page works without them.
    const docs = m.info?.data?.labeled;
    if (typeof docs === 'number') parts.push(`trained on ${docs.toLocaleString('en')} labelled texts`);
    // The honest estimate (nested CV, every label-reading step inside the folds), not the
    // inner C-search accuracy, which saw the folds it was chosen on.
    const est = m.estimate ?? m.info?.estimate;
    const mae = m.info?.rating?.estimate;
    if (mae && typeof mae.value === 'number') {
      parts.push(`estimated mean absolute error ${mae.value.toFixed(2)} stars (95% interval ${mae.low.toFixed(2)}–${mae.high.toFixed(2)}; predicting the mean: ${mae.baseline.toFixed(2)}; cross-validation)`);
    } else if (est && typeof est.value === 'number') {
      const pct = (x) => `${(100 * x).toFixed(1)}%`;
      parts.push(`estimated ${est.metric ?? 'accuracy'} ${pct(est.value)} (95% interval ${pct(est.low)}–${pct(est.high)}, nested cross-validation)`);
    }
    $('model-summary').textContent = parts.join(' · ');
    if (m.info?.selection) loadFeatures();
    // The placeholder shows what this model reads: a short training text it stored, else a prompt naming its labels.
    const example = m.info?.data?.example;
    $('text').placeholder = typeof example === 'string' && example !== '' ? example : `Type a text to label as ${names.slice(0, -1).join(', ')} or ${names.at(-1)}…`;
  } catch (e) {
    $('model-summary').textContent = `cannot reach the model: ${e.message}`;
  }
}

// ---------- several targets (train --target) ----------

/** A choice of the target the card explains; every target's answer is listed under the verdict. */
function showTargetChoice(list) {
  targets = list;
  shownTarget = list[0].name;
  const select = $('target');
  select.replaceChildren(...list.map((t) => {
    const o = document.createElement('option');
    o.value = t.name;
    o.textContent = t.name;
    return o;
  }));
  select.addEventListener('change', () => {
    shownTarget = select.value;
    const t = targets.find((x) => x.name === shownTarget);
    if (t) useLabels(t, false);
    if (last) {
      renderTargets(last.p);
      renderPrediction(last.text, last.p.targets[shownTarget]);
    }
  });
  $('target-choice').hidden = false;
}

/** One line per target: its label (or rating) and probability; the chosen target is marked. */
function renderTargets(p) {
  const box = $('target-answers');
  if (!targets || !p.targets) {
    box.hidden = true;
    return;
  }
  box.replaceChildren(...targets.map((t) => {
    const a = p.targets[t.name];
    const li = document.createElement('li');
    li.dataset.target = t.name;
    li.dataset.label = a.label;
    if (t.name === shownTarget) li.className = 'shown';
    const shown = a.name ?? (Array.isArray(t.names) ? t.names[t.labels.indexOf(a.label)] : undefined) ?? a.label;
    li.textContent = `${t.name}: ${typeof a.rating === 'number' ? `rating ${Number(a.rating.toFixed(2))}` : `${shown} ${(100 * a.probability).toFixed(1)}%`}`;
    return li;
  }));
  box.hidden = false;
}

// ---------- the training ranking (models trained with --select) ----------

async function loadFeatures() {
  try {
    const { ranking, selection } = await api('/v1/features');
    const kept = selection ? `; the classifier kept ${selection.kept} of ${selection.words} words (${selection.spec})` : '';
    $('features-caption').textContent = `χ² of each word against the label on the ${ranking.documents.toLocaleString('en')} training texts, Benjamini–Hochberg corrected: ${ranking.significant} of ${ranking.tested} words significant at ${ranking.alpha}${kept}.`;
    const rows = $('features-rows');
    rows.replaceChildren();
    for (const f of ranking.features.slice(0, 25)) {
      const tr = document.createElement('tr');
      const cells = [f.word, f.towards, f.chi2.toFixed(1), f.corrected < 1e-3 ? f.corrected.toExponential(1) : f.corrected.toPrecision(2), `${f.logOdds.toFixed(2)} [${f.low.toFixed(2)}, ${f.high.toFixed(2)}]`];
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c;
        tr.append(td);
      }
      tr.className = f.towards === labels[1] ? 'pos' : 'neg';
      rows.append(tr);
    }
    $('features-card').hidden = false;
  } catch {
    // Models trained without --select store no ranking: the card stays hidden.
  }
}

// ---------- prediction with highlighted words ----------

async function analyse() {
  const text = $('text').value;
  $('error').hidden = true;
  if (text.trim() === '') {
    showError('Type a text first.');
    return;
  }
  $('analyze').disabled = true;
  $('status').textContent = 'analysing…';
  try {
    const { predictions } = await api('/v1/predict', { text, explain: true, top: 5 });
    const p = predictions[0];
    last = { text, p };
    renderTargets(p);
    renderPrediction(text, targets && p.targets ? p.targets[shownTarget] : p);
  } catch (e) {
    showError(e.message);
  } finally {
    $('analyze').disabled = false;
    $('status').textContent = '';
  }
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}

function renderPrediction(text, p) {
  const positive = p.label === labels[1];
  const label = $('label');
  label.textContent = name(p.label);
  label.dataset.label = p.label;
  if (multi) {
    label.className = 'label';
    label.style.backgroundColor = rgb(classColour(p.label));
    label.dataset.sign = '';
    $('top-pos-title').textContent = `pushed toward ${name(p.label)}`;
    $('top-neg-title').textContent = `pushed away from ${name(p.label)}`;
  } else {
    label.className = `label ${positive ? 'positive' : 'negative'}`;
    label.dataset.sign = positive ? 'positive' : 'negative';
  }
  $('probability').textContent = `${(100 * p.probability).toFixed(1)}%`;
  showStars(p.rating);
  // Every class's probability, in the model's label order.
  $('probabilities').replaceChildren(...labels.map((l) => {
    const row = document.createElement('li');
    row.dataset.label = l;
    const bar = document.createElement('span');
    bar.className = 'bar';
    const share = p.probabilities?.[l] ?? 0;
    bar.style.width = `${(100 * share).toFixed(1)}%`;
    bar.style.backgroundColor = multi ? rgb(classColour(l)) : rgb(l === labels[1] ? POS : NEG);
    const text = document.createElement('span');
    text.className = 'p';
    text.textContent = `${name(l)} ${(100 * share).toFixed(1)}%`;
    row.append(bar, text);
    return row;
  }));
  $('score').textContent = `score ${signed(p.score)} (intercept ${signed(p.intercept)})`;
  // With no known word the model has nothing to go on: say so rather than show a confident-looking number.
  const unknown = p.oov.length > 0 ? ` Unknown: ${p.oov.slice(0, 20).join(' ')}${p.oov.length > 20 ? ' …' : ''}` : '';
  $('evidence').textContent = p.evidence === 0
    ? `The model knows none of these words: ${(100 * p.probability).toFixed(1)}% is the class prior (the share of ${p.label} in its training texts).${unknown}`
    : `${p.evidence} known word${p.evidence === 1 ? '' : 's'}.${unknown}`;
  $('evidence').dataset.evidence = String(p.evidence);

  const box = $('tokens');
  box.replaceChildren();
  const maxAbs = Math.max(1e-12, ...p.tokens.map((t) => Math.abs(t.weight)));
  let at = 0;
  for (const t of p.tokens) {
    if (t.start < at) continue; // overlapping offsets would duplicate text
    if (t.start > at) box.append(text.slice(at, t.start));
    const span = document.createElement('span');
    span.textContent = text.slice(t.start, t.end);
    span.className = 'tok';
    span.dataset.weight = String(t.weight);
    span.dataset.sign = t.weight > 0 ? 'positive' : t.weight < 0 ? 'negative' : 'zero';
    if (t.word !== null) {
      // Two labels: green toward positive, red toward negative. k classes: the colour of the class the word pushes toward.
      const c = multi ? classColour(t.toward) : t.weight >= 0 ? POS : NEG;
      if (multi) span.dataset.toward = t.toward;
      span.style.backgroundColor = `rgba(${c.join(',')},${(0.8 * Math.abs(t.weight) / maxAbs).toFixed(3)})`;
      span.classList.add('word');
      span.dataset.word = t.word;
      span.title = multi ? `${t.word}: toward ${name(t.toward)}; ${signed(t.weight, 4)} for ${name(p.label)}` : `${t.word}: ${signed(t.weight, 4)}`;
      span.tabIndex = 0;
      span.setAttribute('role', 'button');
    }
    box.append(span);
    at = t.end;
  }
  if (at < text.length) box.append(text.slice(at));

  const list = (ws) => ws.map((w) => `${w.word} (${signed(w.weight, 3)})`).join(', ') || '—';
  $('top-pos').textContent = list(p.top.positive);
  $('top-neg').textContent = list(p.top.negative);
  $('result').hidden = false;
}

// ---------- word panel ----------

async function showWord(word) {
  $('word-empty').hidden = true;
  $('word-details').hidden = false;
  $('word-title').textContent = word;
  $('word-sentiment').textContent = 'loading…';
  $('word-frequency').textContent = '';
  $('neighbours').replaceChildren();
  for (const el of document.querySelectorAll('.selected')) el.classList.remove('selected');
  for (const el of document.querySelectorAll('[data-word]')) if (el.dataset.word === word) el.classList.add('selected');
  try {
    const info = await api(`/v1/words/${encodeURIComponent(word)}?k=10`);
    const s = info.sentiment;
    const classes = info.classes ? Object.entries(info.classes).sort((a, b) => b[1] - a[1]) : null;
    $('word-sentiment').textContent = classes
      ? `leans ${name(classes[0][0])}: ${classes.map(([l, q]) => `${name(l)} ${(100 * q).toFixed(0)}%`).join(', ')}`
      : s === null
        ? 'no sentiment score (the model has no sentiment component)'
        : `sentiment ${signed(s)} (leans ${s >= 0 ? names[1] : names[0]})`;
    $('word-sentiment').dataset.lean = classes ? classes[0][0] : '';
    $('word-sentiment').dataset.sentiment = s === null ? '' : String(s);
    $('word-frequency').textContent = `${info.frequency.toLocaleString('en')} occurrences in training`;
    const items = info.neighbors.map((n) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = n.word;
      b.dataset.word = n.word;
      b.dataset.testid = 'neighbour';
      b.addEventListener('click', () => showWord(n.word));
      const sim = document.createElement('span');
      sim.className = 'sim';
      sim.textContent = n.similarity.toFixed(3);
      li.append(b, sim);
      return li;
    });
    $('neighbours').replaceChildren(...items);
  } catch (e) {
    $('word-sentiment').textContent = e.message;
  }
}

// ---------- word map: SVG, wheel zoom, drag pan ----------

const W = 800;
const H = 520;
const PAD = 48;
const view = { s: 1, tx: 0, ty: 0 };
let mapLayer;
let circles = [];
let texts = [];

async function loadMap() {
  const svg = $('map');
  let points;
  try {
    ({ points } = await api('/v1/map?n=500'));
  } catch (e) {
    $('map-caption').textContent = `The map is unavailable (${e.message})`;
    return;
  }
  $('map-caption').textContent = `The ${points.length} most frequent words`;
  if (points.length === 0) return;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Each axis fills the frame: the second component usually spreads far less than the first.
  const kx = (W - 2 * PAD) / (x1 - x0 || 1);
  const ky = (H - 2 * PAD) / (y1 - y0 || 1);
  // One outlier should not wash out every other word's colour.
  const mags = points.map((p) => Math.abs(p.sentiment ?? 0)).sort((a, b) => a - b);
  const scale = mags[Math.floor(0.95 * (mags.length - 1))] || 1;
  const maxF = Math.max(...points.map((p) => p.frequency), 1);

  mapLayer = document.createElementNS(SVG_NS, 'g');
  const dots = document.createElementNS(SVG_NS, 'g');
  const names = document.createElementNS(SVG_NS, 'g');
  circles = [];
  texts = [];
  for (const p of points) {
    const cx = PAD + kx * (p.x - x0);
    const cy = H - (PAD + ky * (p.y - y0)); // y up, as in the PCA plane
    const c = document.createElementNS(SVG_NS, 'circle');
    c.setAttribute('cx', cx.toFixed(2));
    c.setAttribute('cy', cy.toFixed(2));
    c.dataset.r = String(2.5 + 4 * Math.sqrt(p.frequency / maxF));
    c.setAttribute('fill', p.lean !== undefined ? rgb(classColour(p.lean)) : p.sentiment === null ? 'rgb(156,163,175)' : diverging(p.sentiment / scale));
    if (p.lean !== undefined) c.dataset.lean = p.lean;
    c.dataset.word = p.word;
    c.dataset.sentiment = p.sentiment === null ? '' : String(p.sentiment);
    c.dataset.frequency = String(p.frequency);
    dots.append(c);
    circles.push(c);
    const t = document.createElementNS(SVG_NS, 'text');
    t.textContent = p.word;
    t.setAttribute('x', cx.toFixed(2));
    t.setAttribute('y', cy.toFixed(2));
    names.append(t);
    texts.push({ el: t, x: cx, y: cy, width: 6.2 * p.word.length, rank: Math.abs(p.sentiment ?? 0) / scale + p.frequency / maxF });
  }
  // Labels are offered strongest-sentiment first, so the map names its poles before its middle.
  texts.sort((a, b) => b.rank - a.rank);
  mapLayer.append(dots, names);
  svg.replaceChildren(mapLayer);
  applyView();

  svg.addEventListener('mouseover', (ev) => {
    const c = ev.target;
    if (!(c instanceof SVGCircleElement)) return;
    const s = c.dataset.sentiment;
    const lean = c.dataset.lean ? ` · leans ${name(c.dataset.lean)}` : s === '' ? '' : ` · sentiment ${signed(Number(s), 2)}`;
    $('map-tooltip').textContent = `${c.dataset.word}${lean} · ${Number(c.dataset.frequency).toLocaleString('en')}×`;
    $('map-tooltip').hidden = false;
  });
  svg.addEventListener('mousemove', (ev) => {
    const frame = svg.getBoundingClientRect();
    $('map-tooltip').style.left = `${ev.clientX - frame.left}px`;
    $('map-tooltip').style.top = `${ev.clientY - frame.top}px`;
  });
  svg.addEventListener('mouseout', (ev) => {
    if (ev.target instanceof SVGCircleElement) $('map-tooltip').hidden = true;
  });
  svg.addEventListener('click', (ev) => {
    if (ev.target instanceof SVGCircleElement && !dragged) showWord(ev.target.dataset.word);
  });
  svg.addEventListener('wheel', onWheel, { passive: false });
  svg.addEventListener('pointerdown', onPointerDown);
}

/** Client pixels → SVG user units (the SVG is scaled to the page width). */
function toSvg(svg, clientX, clientY) {
  const r = svg.getBoundingClientRect();
  return [((clientX - r.left) * W) / r.width, ((clientY - r.top) * H) / r.height];
}

function applyView() {
  if (!mapLayer) return;
  mapLayer.setAttribute('transform', `translate(${view.tx.toFixed(2)} ${view.ty.toFixed(2)}) scale(${view.s.toFixed(4)})`);
  // Dots grow slowly and labels keep their on-screen size while the plane zooms.
  for (const c of circles) {
    c.setAttribute('r', (Number(c.dataset.r) / Math.sqrt(view.s)).toFixed(3));
    c.setAttribute('stroke-width', (0.8 / view.s).toFixed(3));
  }
  placeLabels();
  $('map').dataset.zoom = view.s.toFixed(3);
}

/** Shows as many labels as fit without overlapping (more as you zoom in), in rank order. */
function placeLabels() {
  const fs = (11 / view.s).toFixed(3);
  const dy = (-7 / view.s).toFixed(3);
  const limit = Math.round(30 * view.s);
  const placed = [];
  for (const t of texts) {
    const sx = view.tx + view.s * t.x + 2;
    const sy = view.ty + view.s * t.y - 7;
    const box = [sx, sy - 9, sx + t.width, sy + 2];
    const show = placed.length < limit && box[0] >= 0 && box[2] <= W && box[1] >= 0 && box[3] <= H
      && !placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]);
    if (show) placed.push(box);
    t.el.style.display = show ? 'block' : 'none';
    t.el.setAttribute('font-size', fs);
    t.el.setAttribute('dy', dy);
    t.el.setAttribute('dx', (2 / view.s).toFixed(3));
  }
}

function onWheel(ev) {
  ev.preventDefault();
  const [px, py] = toSvg($('map'), ev.clientX, ev.clientY);
  const s = Math.min(60, Math.max(1, view.s * Math.exp(-ev.deltaY * 0.0015)));
  // Keep the point under the cursor where it is.
  view.tx = px - ((px - view.tx) * s) / view.s;
  view.ty = py - ((py - view.ty) * s) / view.s;
  view.s = s;
  applyView();
}

let dragged = false;
function onPointerDown(ev) {
  const svg = $('map');
  const [sx, sy] = toSvg(svg, ev.clientX, ev.clientY);
  const start = { tx: view.tx, ty: view.ty, sx, sy };
  dragged = false;
  // Listening on window (not pointer capture) keeps a click on a dot targeted at the dot.
  svg.classList.add('dragging');
  const move = (e) => {
    const [x, y] = toSvg(svg, e.clientX, e.clientY);
    if (Math.abs(x - sx) + Math.abs(y - sy) > 3) dragged = true;
    view.tx = start.tx + x - start.sx;
    view.ty = start.ty + y - start.sy;
    applyView();
  };
  const up = () => {
    svg.classList.remove('dragging');
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('pointercancel', up);
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
  window.addEventListener('pointercancel', up);
}

/** The map's word search: marks the word's dot (if it is among the mapped words) and opens it in the word panel. */
function searchMap() {
  const q = $('map-search').value.trim().toLowerCase();
  for (const c of circles) c.classList.toggle('found', q !== '' && c.dataset.word === q);
  const hit = circles.find((c) => c.dataset.word === q);
  $('map-search-result').textContent = q === '' ? '' : hit ? '' : `“${q}” is not among the mapped words`;
  if (q !== '') showWord(q);
}

// ---------- wiring ----------

$('map-search').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') searchMap();
});
$('map-search-go').addEventListener('click', searchMap);

$('analyze').addEventListener('click', analyse);
$('text').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) analyse();
});
$('tokens').addEventListener('click', (ev) => {
  const span = ev.target.closest('.tok.word');
  if (span) showWord(span.dataset.word);
});
$('tokens').addEventListener('keydown', (ev) => {
  const span = ev.target.closest('.tok.word');
  if (span && (ev.key === 'Enter' || ev.key === ' ')) {
    ev.preventDefault();
    showWord(span.dataset.word);
  }
});
$('map-reset').addEventListener('click', () => {
  Object.assign(view, { s: 1, tx: 0, ty: 0 });
  applyView();
});

loadModel();
loadMap();
