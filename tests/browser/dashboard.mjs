// The demo's live dashboard in a real browser: headless Debian Chromium, driven by playwright-core, in UTC.
// Started by demo's DashboardBrowserIT, which produces the predictions and a real ingest's thumbnails to a
// real broker. Each step prints one line the test checks:
//   1. load the page; wait for the row of --stream with --first timeline points; print "row STREAM: N timeline
//      points" (the test then produces more predictions);
//   2. wait until the timeline has --then points; print "grew STREAM: N timeline points";
//   3. the row's top labels, model, modalities and gates: "checked STREAM: ...";
//   4. the thumbnail with its face box drawn in the decision's colour: "thumbnail STREAM: box X,Y,W,H colour
//      #RRGGBB decision LABELS canvas WxH", the canvas saved as --thumbnail-out for the test's pixel check;
//   5. hover window --hover of the timeline: "hover STREAM window I: LINE | LINE | ..." (the tooltip);
//      the modality strip of that window: "strip STREAM window I: present M,M; drove M"; the time axis:
//      "axis STREAM: MS=HH:MM:SS, ...";
//   6. a full-page screenshot (--screenshot); the trailers view: "trailer NAME: genres ...; scores ...;
//      modalities ..." and its screenshot (--trailers-screenshot);
//   7. with --many N: print "waiting for N streams" (the test then produces the others), wait for them and print
//      "list: N streams, compact yes|no, first NAME", "search Q: NAMES" and "sorted by name: first NAME";
//      the compact list's screenshot (--compact-screenshot);
//   8. print "ok", exit 0. Any failure: "FAIL: why" on stderr, exit 1.
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
    'thumbnail-decision': { type: 'string' }, // labels the thumbnail's window decided: happy
    'thumbnail-out': { type: 'string' },
    hover: { type: 'string' },           // window index to hover
    'genre-stream': { type: 'string' },
    'genre-tags': { type: 'string' },    // genre labels whose decision is on
    many: { type: 'string' },            // streams the list test waits for
    search: { type: 'string' },
    screenshot: { type: 'string' },
    'trailers-screenshot': { type: 'string' },
    'compact-screenshot': { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'timeout-ms': { type: 'string', default: '60000' },
  },
});
for (const name of ['url', 'stream', 'first', 'then', 'labels', 'model', 'modalities', 'gates', 'screenshot']) {
  if (opt[name] === undefined) fail(`--${name} is required`);
}
const TIMEOUT = Number(opt['timeout-ms']);
const list = s => (s ? s.split(',') : []);
const row = s => `[data-stream="${s}"]`;

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

async function waitFor(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: TIMEOUT, polling: 100 });
  } catch (e) {
    throw new Error(`${what} did not happen within ${TIMEOUT} ms`);
  }
}

/** Timeline points of a row: every label's polyline must have as many as the row's data-windows. */
async function points(page, stream) {
  return page.$eval(row(stream), el => {
    const lines = [...el.querySelectorAll('svg.timeline polyline')];
    const counts = lines.map(l => l.getAttribute('points').trim().split(/\s+/).filter(Boolean).length);
    const windows = Number(el.dataset.windows ?? 0);
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
    const now = await page.$(row(stream)) ? await points(page, stream) : 'no row at all';
    throw new Error(`${what}: ${stream} did not reach ${atLeast} timeline points within ${TIMEOUT} ms (now: ${now})`);
  }
  const n = await points(page, stream);
  if (typeof n !== 'number') throw new Error(`${stream}: ${n}`);
  return n;
}

async function checkRow(page) {
  const r = await page.$eval(row(opt.stream), el => ({
    labels: [...el.querySelectorAll('.labels [data-label]')].map(s => s.dataset.label),
    on: [...el.querySelectorAll('.labels [data-label].on')].map(s => s.dataset.label),
    model: el.querySelector('.model').textContent,
    mods: el.querySelector('.mods').textContent,
    gates: [...el.querySelectorAll('[data-gate]')].map(g => g.textContent).sort(),
  }));
  same(`${opt.stream} top labels`, r.labels, list(opt.labels));
  same(`${opt.stream} labels on`, r.on, list(opt.on));
  same(`${opt.stream} model`, r.model, opt.model);
  same(`${opt.stream} modalities`, r.mods, `modalities: ${list(opt.modalities).join(', ')}`);
  same(`${opt.stream} gates`, r.gates, list(opt.gates).map(g => g.replace('=', ' ')).sort());
  console.log(`checked ${opt.stream}: labels ${r.labels.join(', ')}; model ${r.model}; gates ${r.gates.join(', ')}`);
}

async function checkThumbnail(page) {
  const canvas = `${row(opt.stream)} .thumb canvas`;
  await waitFor(page, `a thumbnail with a face box deciding ${opt['thumbnail-decision']} on ${opt.stream}`,
    ([sel, decision]) => { const c = document.querySelector(sel); return c && c.dataset.box && c.dataset.decision === decision; },
    [canvas, opt['thumbnail-decision']]);
  const t = await page.$eval(canvas, c => ({ box: c.dataset.box, color: c.dataset.color, decision: c.dataset.decision, w: c.width, h: c.height }));
  await page.locator(canvas).screenshot({ path: opt['thumbnail-out'] });
  console.log(`thumbnail ${opt.stream}: box ${t.box} colour ${t.color} decision ${t.decision} canvas ${t.w}x${t.h}`);
}

async function checkHover(page) {
  const i = opt.hover;
  await page.hover(`${row(opt.stream)} svg.timeline rect.hover[data-i="${i}"]`);
  await waitFor(page, `the tooltip of window ${i}`, ([s, n]) => {
    const tip = document.getElementById('tip');
    return !tip.hidden && tip.dataset.stream === s && tip.dataset.i === n;
  }, [opt.stream, i]);
  const text = await page.$eval('#tip', t => t.textContent);
  console.log(`hover ${opt.stream} window ${i}: ${text.split('\n').map(l => l.trimEnd()).join(' | ')}`);

  const strip = await page.$eval(row(opt.stream), (el, n) => ({
    present: [...el.querySelectorAll(`svg.strip rect[data-i="${n}"]`)].map(r => r.dataset.m),
    drove: [...el.querySelectorAll(`svg.strip rect.drove[data-i="${n}"]`)].map(r => r.dataset.m),
  }), i);
  console.log(`strip ${opt.stream} window ${i}: present ${strip.present.join(',')}; drove ${strip.drove.join(',')}`);

  const ticks = await page.$$eval(`${row(opt.stream)} .axis span`, spans => spans.map(s => `${s.dataset.ms}=${s.textContent}`));
  console.log(`axis ${opt.stream}: ${ticks.join(', ')}`);
  await page.mouse.move(0, 0);
}

async function checkTrailers(page) {
  const name = opt['genre-stream'];
  await page.click('#tab-trailers');
  const selector = `tr[data-trailer="${name}"]`;
  await page.waitForSelector(selector, { timeout: TIMEOUT }).catch(() => {
    throw new Error(`no row for the trailer ${name} in the trailers view within ${TIMEOUT} ms`);
  });
  const t = await page.$eval(selector, tr => ({
    tags: [...tr.querySelectorAll('.labels [data-label].on')].map(s => s.dataset.label),
    scores: [...tr.querySelectorAll('[data-score]')].map(s => `${s.dataset.score} ${s.lastElementChild.textContent}`),
    mods: tr.querySelector('.mods').textContent,
  }));
  same(`${name} genre tags`, t.tags, list(opt['genre-tags']));
  const streamsHidden = await page.$eval('#streams-view', v => v.hidden);
  same('the stream list hidden in the trailers view', streamsHidden, true);
  console.log(`trailer ${name}: genres ${t.tags.join(', ')}; scores ${t.scores.join(', ')}; modalities ${t.mods}`);
  if (opt['trailers-screenshot']) await page.screenshot({ path: opt['trailers-screenshot'] });
  await page.click('#tab-streams');
}

async function checkList(page) {
  const n = Number(opt.many);
  console.log(`waiting for ${n} streams`);
  await waitFor(page, `${n} streams in the list`, want => Number(document.getElementById('stream-count').textContent) >= want, n);
  await page.waitForTimeout(200); // the list is laid out 50 ms after the last prediction
  const visible = () => page.$$eval('#streams .stream', els => els.filter(e => !e.hidden).map(e => e.dataset.stream));
  const compact = await page.$eval('body', b => b.classList.contains('compact'));
  console.log(`list: ${n} streams, compact ${compact ? 'yes' : 'no'}, first ${(await visible())[0]}`);
  if (opt['compact-screenshot']) await page.screenshot({ path: opt['compact-screenshot'] });

  await page.fill('#search', opt.search);
  console.log(`search ${opt.search}: ${(await visible()).join(', ')}`);
  await page.fill('#search', '');
  await page.selectOption('#sort', 'name');
  console.log(`sorted by name: first ${(await visible())[0]}`);
}

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'mmstream-chromium-'));
  const errors = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: opt.chromium, headless: true, args: FLAGS, viewport: { width: 1280, height: 720 }, timeout: TIMEOUT,
      timezoneId: 'UTC',
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', e => { errors.push(e.message); console.error(`page error: ${e.message}`); });
    await page.goto(opt.url, { timeout: TIMEOUT });

    console.log(`row ${opt.stream}: ${await waitForPoints(page, opt.stream, Number(opt.first), 'first predictions')} timeline points`);
    console.log(`grew ${opt.stream}: ${await waitForPoints(page, opt.stream, Number(opt.then), 'more predictions')} timeline points`);
    await checkRow(page);
    if (opt['thumbnail-out']) await checkThumbnail(page);
    if (opt.hover) await checkHover(page);
    await page.screenshot({ path: opt.screenshot, fullPage: true });
    console.log(`screenshot ${opt.screenshot}`);
    if (opt['genre-stream']) await checkTrailers(page);
    if (opt.many) await checkList(page);
    if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => console.log('ok'), e => fail(e.message));
