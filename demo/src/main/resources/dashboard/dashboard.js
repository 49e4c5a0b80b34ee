// The live dashboard: predictions, thumbnails and metrics arrive as server-sent events from /events.
// Live streams (emotion, one prediction per window) are cards; trailers (genre, one per trailer) a table.

// Okabe–Ito: told apart with every common colour-vision deficiency
const COLORS = {anger: '#D55E00', disgust: '#009E73', fear: '#CC79A7', happy: '#F0E442', sad: '#56B4E9', surprise: '#E69F00'};
const NO_DECISION = '#FFFFFF';
const HISTORY = 60;            // windows on a timeline
const MIN_SPAN = 12;           // windows the timeline's width stands for while a stream has fewer
const TICKS = 5;               // time-axis labels at most
const COMPACT_ABOVE = 20;      // streams; more than this and the list turns compact unless the user chose
const THUMB_WIDTH = 240;       // canvas pixels = CSS pixels, so what is drawn is what is shown
const MODALITIES = ['text', 'audio', 'video'];
const MAX_TRAILERS = 500;

const streams = new Map();
const trailers = new Map();
let compactChosen = null;      // null: automatic
let layoutPending = false;

const $ = id => document.getElementById(id);
const esc = s => String(s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const pad = n => String(n).padStart(2, '0');
/** Event time as the stream's own clock, hh:mm:ss (the page's time zone). */
const clock = ms => { const d = new Date(ms); return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`; };
const day = ms => { const d = new Date(ms); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; };

/** The fused input with the largest gate: what drove this decision most. */
function driver(p) {
  const gates = Object.entries(p.gates || {});
  return gates.length ? gates.reduce((a, b) => (b[1] > a[1] ? b : a)) : null;
}

$('legend').innerHTML = Object.entries(COLORS).map(([l, c]) => `<span style="color:${c}">■ ${l}</span>`).join('');

// ---- live streams -------------------------------------------------------------------------------

function card(name) {
  let s = streams.get(name);
  if (s) return s;
  const el = document.createElement('div');
  el.className = 'stream';
  el.dataset.stream = name;
  el.innerHTML = `
    <div class="thumb"><canvas width="${THUMB_WIDTH}" height="0"></canvas><div class="none">no thumbnail (ingest --thumbnails)</div></div>
    <div class="info"><div class="name"></div><div class="sub model"></div><div class="sub mods"></div>
      <div class="labels"></div><div class="sub compact-only when"></div></div>
    <div class="timeline-box">
      <div class="strip-row"><div class="sub">1<br><br><br><br>.5<br><br><br><br>0</div>
        <svg class="timeline" viewBox="0 0 ${MIN_SPAN} 1" preserveAspectRatio="none"></svg></div>
      <div class="strip-row"><div class="sub rows"></div>
        <svg class="strip" viewBox="0 0 ${MIN_SPAN} 3" preserveAspectRatio="none"></svg></div>
      <div class="axis"></div>
    </div>
    <div class="gates"></div>`;
  el.querySelector('.name').textContent = name;
  $('streams').appendChild(el);
  s = {name, el, points: [], last: null, lastDecisionAt: -Infinity, thumb: null, image: null};
  streams.set(name, s);
  scheduleLayout();
  return s;
}

function emotion(p) {
  const s = card(p.stream);
  s.last = p;
  s.points.push(p);
  if (s.points.length > HISTORY) s.points.shift();
  if (p.labels.some(l => l.decision)) s.lastDecisionAt = Math.max(s.lastDecisionAt, p.end);

  const el = s.el;
  el.querySelector('.model').textContent = p.model;
  el.querySelector('.mods').textContent = 'modalities: ' + (p.modalities.join(', ') || 'none');
  const top = [...p.labels].sort((a, b) => b.score - a.score).slice(0, 3);
  el.querySelector('.labels').innerHTML = top.map(l =>
    `<span class="${l.decision ? 'on' : ''}" data-label="${esc(l.label)}">${esc(l.label)} ${l.score.toFixed(2)}</span>`).join('');
  const drove = driver(p);
  el.querySelector('.gates').innerHTML = Object.entries(p.gates).map(([m, g]) =>
    `<div class="sub" data-gate="${esc(m)}">${esc(m)} ${g.toFixed(2)}</div>` +
    `<div class="bar${drove && drove[0] === m ? ' drove' : ''}"><div style="width:${Math.round(g * 100)}%"></div></div>`).join('');
  el.querySelector('.when').textContent = `${clock(p.end)} · driven by ${drove ? drove[0] : '—'}`;
  timeline(s);
  strip(s);
  axis(s);
  el.dataset.windows = s.points.length;
  drawThumb(s);
  scheduleLayout();
}

/** Windows the width stands for: window i is drawn from x = i to i + 1, its scores at i + 0.5. */
const span = s => Math.max(MIN_SPAN, s.points.length);

/** Six score lines, each label's decision threshold dashed, and a hover target per window. */
function timeline(s) {
  const width = span(s);
  const thresholds = s.last.labels.map(l =>
    `<line class="threshold" data-label="${esc(l.label)}" x1="0" x2="${width}" y1="${1 - l.threshold}" y2="${1 - l.threshold}"` +
    ` stroke="${COLORS[l.label] || '#999'}" stroke-dasharray="4 4" opacity="0.55" vector-effect="non-scaling-stroke"/>`).join('');
  const lines = Object.keys(COLORS).map(label => {
    const pts = s.points.map((q, i) => {
      const l = q.labels.find(x => x.label === label);
      return `${i + 0.5},${(1 - (l ? l.score : 0)).toFixed(3)}`;
    }).join(' ');
    return `<polyline points="${pts}" fill="none" stroke="${COLORS[label]}" vector-effect="non-scaling-stroke" style="stroke-width:1.5px"/>`;
  }).join('');
  const targets = s.points.map((q, i) => `<rect class="hover" data-i="${i}" x="${i}" y="0" width="1" height="1"/>`).join('');
  const svg = s.el.querySelector('svg.timeline');
  svg.setAttribute('viewBox', `0 0 ${width} 1`);
  svg.innerHTML = thresholds + lines + targets;
}

/** Per window: which modalities were present (dim) and which gate drove the decision (bright). */
function strip(s) {
  const rows = [...MODALITIES];
  if (s.points.some(q => 'early' in (q.gates || {}))) rows.push('early');
  const svg = s.el.querySelector('svg.strip');
  svg.setAttribute('viewBox', `0 0 ${span(s)} ${rows.length}`);
  svg.style.height = `${rows.length * 10}px`;
  s.el.querySelector('.rows').innerHTML = rows.join('<br>');
  svg.innerHTML = s.points.map((q, i) => {
    const drove = driver(q);
    return rows.map((m, r) => {
      const present = m === 'early' ? 'early' in q.gates : q.modalities.includes(m);
      if (!present) return '';
      const top = drove && drove[0] === m;
      return `<rect class="${top ? 'drove' : 'present'}" data-i="${i}" data-m="${m}" x="${i + 0.05}" y="${r + 0.1}" width="0.9" height="0.8"` +
        ` fill="${top ? '#F0F0F0' : '#56687a'}"/>`;
    }).join('');
  }).join('');
}

/** At most five ticks, each under its window, labelled with the window's end in the stream's event time. */
function axis(s) {
  const step = Math.max(1, Math.ceil(s.points.length / TICKS));
  s.el.querySelector('.axis').innerHTML = s.points.map((q, i) => (i % step ? '' :
    `<span data-i="${i}" data-ms="${q.end}" style="left:${((i + 0.5) / span(s) * 100).toFixed(2)}%">${clock(q.end)}</span>`)).join('');
}

/** The window a thumbnail belongs to: the newest one holding its time, else the newest. */
function windowAt(s, at) {
  for (let i = s.points.length - 1; i >= 0; i--) {
    if (s.points[i].start <= at && at < s.points[i].end) return s.points[i];
  }
  return s.last;
}

function thumbnail(t) {
  const s = card(t.stream);
  if (s.thumb && s.thumb.seq > t.seq) return;
  const image = new Image();
  image.onload = () => {
    if (s.thumb && s.thumb.seq > t.seq) return; // a newer one arrived first
    s.thumb = t;
    s.image = image;
    drawThumb(s);
  };
  image.src = `/thumbnail?stream=${encodeURIComponent(t.stream)}&seq=${t.seq}`;
}

/** The frame, the face box in the colour of the window's decision, and the decision written over it. */
function drawThumb(s) {
  if (!s.image) return;
  const canvas = s.el.querySelector('.thumb canvas');
  const w = THUMB_WIDTH;
  const h = Math.round(THUMB_WIDTH * s.thumb.height / s.thumb.width);
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(s.image, 0, 0, w, h);
  const q = windowAt(s, s.thumb.at);
  const decided = q ? q.labels.filter(l => l.decision).sort((a, b) => b.score - a.score) : [];
  const color = decided.length ? COLORS[decided[0].label] || NO_DECISION : NO_DECISION;
  const text = decided.length ? decided.map(l => `${l.label} ${l.score.toFixed(2)}`).join(' · ') : (q ? 'no emotion over its threshold' : 'no prediction yet');
  ctx.font = '12px system-ui, sans-serif';
  let textX = 4;
  let textY = h - 6;
  if (s.thumb.face) {
    const [bx, by, bw, bh] = s.thumb.face.box;
    const box = [Math.round(bx * w), Math.round(by * h), Math.round(bw * w), Math.round(bh * h)];
    ctx.lineWidth = 3;
    ctx.strokeStyle = color;
    ctx.strokeRect(...box);
    canvas.dataset.box = box.join(',');
    textX = Math.max(0, Math.min(box[0] - 1, w - ctx.measureText(text).width - 8));
    textY = box[1] > 20 ? box[1] - 6 : Math.min(h - 6, box[1] + box[3] + 16);
  } else {
    delete canvas.dataset.box;
  }
  const width = ctx.measureText(text).width + 8;
  ctx.fillStyle = color;
  ctx.fillRect(textX, textY - 13, width, 17);
  ctx.fillStyle = '#10141a';
  ctx.fillText(text, textX + 4, textY);
  canvas.dataset.color = color;
  canvas.dataset.decision = decided.map(l => l.label).join(',');
  canvas.dataset.at = s.thumb.at;
  s.el.querySelector('.thumb .none').textContent =
    `frame ${clock(s.thumb.at)}` + (s.thumb.face ? ` · face ${s.thumb.face.score.toFixed(2)}` : ' · no face found');
}

// ---- hover: the window's scores against their thresholds -----------------------------------------

function tipText(s, i) {
  const q = s.points[i];
  const drove = driver(q);
  const width = Math.max(...q.labels.map(l => l.label.length));
  return [`${s.name} · ${clock(q.start)}–${clock(q.end)} (event time)`,
    ...q.labels.map(l => `${l.decision ? '✓' : ' '} ${l.label.padEnd(width)} ${l.score.toFixed(2)} ${l.decision ? '≥' : '<'} ${l.threshold.toFixed(2)}`),
    `modalities: ${q.modalities.join(', ') || 'none'}`,
    `driven by: ${drove ? `${drove[0]} (gate ${drove[1].toFixed(2)})` : '—'}`].join('\n');
}

$('streams').addEventListener('mouseover', e => {
  const target = e.target.closest('svg.timeline rect.hover, svg.strip rect');
  const row = e.target.closest('.stream');
  if (!target || !row) return;
  const s = streams.get(row.dataset.stream);
  const i = Number(target.dataset.i);
  if (!s || !s.points[i]) return;
  const tip = $('tip');
  tip.textContent = tipText(s, i);
  tip.dataset.stream = s.name;
  tip.dataset.i = i;
  tip.hidden = false;
  const r = target.getBoundingClientRect();
  tip.style.left = `${Math.min(r.right + 8, window.innerWidth - tip.offsetWidth - 8)}px`;
  tip.style.top = `${Math.max(8, r.top - 10)}px`;
});
$('streams').addEventListener('mouseout', e => {
  if (e.target.closest('svg.timeline rect.hover, svg.strip rect')) $('tip').hidden = true;
});

// ---- the list: search, sort, compact --------------------------------------------------------------

function scheduleLayout() {
  if (layoutPending) return;
  layoutPending = true;
  setTimeout(layout, 50);
}

function layout() {
  layoutPending = false;
  const compact = compactChosen ?? streams.size > COMPACT_ABOVE;
  document.body.classList.toggle('compact', compact);
  $('compact').checked = compact;
  const query = $('search').value.trim().toLowerCase();
  const byName = (a, b) => a.name.localeCompare(b.name);
  const order = [...streams.values()].sort($('sort').value === 'name' ? byName
    : (a, b) => (b.lastDecisionAt - a.lastDecisionAt) || byName(a, b));
  let shown = 0;
  const list = $('streams');
  order.forEach((s, i) => {
    s.el.hidden = query !== '' && !s.name.toLowerCase().includes(query);
    if (!s.el.hidden) shown++;
    if (list.children[i] !== s.el) list.insertBefore(s.el, list.children[i] || null);
  });
  $('shown').textContent = query ? `${shown} of ${streams.size} streams` : `${streams.size} streams`;
  $('stream-count').textContent = streams.size;
}

$('search').addEventListener('input', layout);
$('sort').addEventListener('change', layout);
$('compact').addEventListener('change', () => { compactChosen = $('compact').checked; layout(); });

// ---- trailers --------------------------------------------------------------------------------------

function genre(p) {
  trailers.delete(p.stream);
  trailers.set(p.stream, p); // newest last
  while (trailers.size > MAX_TRAILERS) trailers.delete(trailers.keys().next().value);
  const rows = [...trailers.values()].reverse().map(t => {
    const ranked = [...t.labels].sort((a, b) => b.score - a.score);
    const tags = ranked.filter(l => l.decision);
    const drove = driver(t);
    return `<tr data-trailer="${esc(t.stream)}">
      <td class="name">${esc(t.stream)}</td>
      <td class="sub">${day(t.end)} ${clock(t.end)}</td>
      <td class="labels">${tags.length ? tags.map(l => `<span class="on" data-label="${esc(l.label)}">${esc(l.label)}</span>`).join('') : '<span class="sub">none over its threshold</span>'}</td>
      <td>${ranked.slice(0, 5).map(l => `<div class="score" data-score="${esc(l.label)}"><span>${esc(l.label)}</span>` +
        `<div class="bar"><div style="width:${Math.round(l.score * 100)}%"></div></div><span>${l.score.toFixed(2)}</span></div>`).join('')}</td>
      <td class="mods">${esc(t.modalities.join(', ') || 'none')}</td>
      <td>${drove ? `${esc(drove[0])} ${drove[1].toFixed(2)}` : '—'}</td>
      <td class="sub">${esc(t.model)}</td></tr>`;
  }).join('');
  document.querySelector('#trailers tbody').innerHTML = rows;
  $('no-trailers').hidden = trailers.size > 0;
  $('trailer-count').textContent = trailers.size;
}

// ---- views, metrics, events ------------------------------------------------------------------------

function showView() {
  const trailersView = location.hash === '#trailers';
  $('streams-view').hidden = trailersView;
  $('trailers-view').hidden = !trailersView;
  $('tab-streams').classList.toggle('active', !trailersView);
  $('tab-trailers').classList.toggle('active', trailersView);
}
window.addEventListener('hashchange', showView);
showView();

function metrics(m) {
  $('metrics').innerHTML =
    `<span>windows <b>${m.windows}</b></span><span>windows/s <b>${m.windowsPerSecond.toFixed(1)}</b></span>` +
    `<span>latency p50 <b>≤${m.latencyP50Ms} ms</b> p99 <b>≤${m.latencyP99Ms} ms</b></span>` +
    `<span>late <b>${m.lateRecords}</b></span><span>dead letters <b>${m.deadLetters}</b></span>`;
}

const events = new EventSource('/events');
events.onmessage = e => {
  const msg = JSON.parse(e.data);
  if (msg.type === 'prediction') (msg.task === 'genre' ? genre : emotion)(msg);
  else if (msg.type === 'thumbnail') thumbnail(msg);
  else if (msg.type === 'metrics') metrics(msg);
};
