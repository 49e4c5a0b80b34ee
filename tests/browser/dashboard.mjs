// The demo's live dashboard in a real browser: headless Debian Chromium, driven by playwright-core.
// Started by demo's DashboardBrowserIT, which produces the predictions to a real broker:
//   1. load the page; wait for the row of --stream with --first timeline points; print
//      "row STREAM: N timeline points" (the test then produces more predictions);
//   2. wait until the timeline has --then points; print "grew STREAM: N timeline points";
//   3. check the row's top labels, model, modalities and modality gates, and the genre row's tags;
//   4. save a full-page screenshot, print "screenshot PATH" and "ok", exit 0.
// Any failure: "FAIL: why" on stderr, exit 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    stream: { type: 'string' },
    first: { type: 'string' },
    then: { type: 'string' },
    labels: { type: 'string' },          // top labels, best first: happy,surprise,sad
    on: { type: 'string', default: '' }, // labels whose decision is on
    model: { type: 'string' },           // as the row shows it: "emotion-hybrid v7"
    modalities: { type: 'string' },      // text,audio,video
    gates: { type: 'string' },           // text=0.20,audio=0.30,video=0.50
    'genre-stream': { type: 'string' },
    'genre-tags': { type: 'string' },    // genre labels whose decision is on
    screenshot: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'timeout-ms': { type: 'string', default: '60000' },
  },
});
for (const name of ['url', 'stream', 'first', 'then', 'labels', 'model', 'modalities', 'gates', 'screenshot']) {
  if (opt[name] === undefined) fail(`--${name} is required`);
}
const TIMEOUT = Number(opt['timeout-ms']);
const list = s => (s ? s.split(',') : []);

// As the machine notes say: no background networking, or Chromium keeps calling hosts it cannot reach.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function same(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${what}: the page shows ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}

/** Timeline points of a row: every label's polyline must have as many as the row's data-windows. */
async function points(page, stream) {
  return page.$eval(`[data-stream="${stream}"]`, row => {
    const lines = [...row.querySelectorAll('svg.timeline polyline')];
    const counts = lines.map(l => l.getAttribute('points').trim().split(/\s+/).filter(Boolean).length);
    const windows = Number(row.dataset.windows ?? 0);
    if (lines.length === 0 || counts.some(c => c !== windows)) {
      return `polylines with ${JSON.stringify(counts)} points but data-windows=${windows}`;
    }
    return windows;
  });
}

async function waitForPoints(page, stream, atLeast, what) {
  try {
    await page.waitForFunction(([s, n]) => Number(document.querySelector(`[data-stream="${s}"]`)?.dataset.windows ?? 0) >= n,
      [stream, atLeast], { timeout: TIMEOUT, polling: 100 });
  } catch (e) {
    const now = await page.$(`[data-stream="${stream}"]`) ? await points(page, stream) : 'no row at all';
    throw new Error(`${what}: ${stream} did not reach ${atLeast} timeline points within ${TIMEOUT} ms (now: ${now})`);
  }
  const n = await points(page, stream);
  if (typeof n !== 'number') throw new Error(`${stream}: ${n}`);
  return n;
}

async function checkRow(page) {
  const row = await page.$eval(`[data-stream="${opt.stream}"]`, el => ({
    labels: [...el.querySelectorAll('.labels [data-label]')].map(s => s.dataset.label),
    on: [...el.querySelectorAll('.labels [data-label].on')].map(s => s.dataset.label),
    model: el.querySelector('.model').textContent,
    mods: el.querySelector('.mods').textContent,
    gates: [...el.querySelectorAll('[data-gate]')].map(g => g.textContent).sort(),
  }));
  same(`${opt.stream} top labels`, row.labels, list(opt.labels));
  same(`${opt.stream} labels on`, row.on, list(opt.on));
  same(`${opt.stream} model`, row.model, opt.model);
  same(`${opt.stream} modalities`, row.mods, `modalities: ${list(opt.modalities).join(', ')}`);
  same(`${opt.stream} gates`, row.gates, list(opt.gates).map(g => g.replace('=', ' ')).sort());
  console.log(`checked ${opt.stream}: labels ${row.labels.join(', ')}; model ${row.model}; gates ${row.gates.join(', ')}`);
}

async function checkGenre(page) {
  const stream = opt['genre-stream'];
  const selector = `[data-stream="${stream}"]`;
  await page.waitForSelector(selector, { timeout: TIMEOUT }).catch(() => {
    throw new Error(`no row for the genre stream ${stream} within ${TIMEOUT} ms`);
  });
  const row = await page.$eval(selector, el => ({
    genre: el.classList.contains('genre'),
    tags: [...el.querySelectorAll('.labels [data-label].on')].map(s => s.dataset.label),
  }));
  same(`${stream} shown as a genre row`, row.genre, true);
  same(`${stream} genre tags`, row.tags, list(opt['genre-tags']));
  console.log(`checked ${stream}: genre tags ${row.tags.join(', ')}`);
}

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'mmstream-chromium-'));
  const errors = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: opt.chromium, headless: true, args: FLAGS, viewport: { width: 1280, height: 720 }, timeout: TIMEOUT,
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(opt.url, { timeout: TIMEOUT });

    console.log(`row ${opt.stream}: ${await waitForPoints(page, opt.stream, Number(opt.first), 'first predictions')} timeline points`);
    console.log(`grew ${opt.stream}: ${await waitForPoints(page, opt.stream, Number(opt.then), 'more predictions')} timeline points`);
    await checkRow(page);
    if (opt['genre-stream']) await checkGenre(page);
    if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);

    await page.screenshot({ path: opt.screenshot, fullPage: true });
    console.log(`screenshot ${opt.screenshot}`);
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => console.log('ok'), e => fail(e.message));
