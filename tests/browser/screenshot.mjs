// Screenshots of a running dashboard for the README: the live streams view after --wait-ms, then the trailers view.
//   node tests/browser/screenshot.mjs --url http://127.0.0.1:8080/ --out docs/dashboard.png [--trailers-out F] [--wait-ms 20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080/' },
    out: { type: 'string' },
    'trailers-out': { type: 'string' },
    'wait-ms': { type: 'string', default: '20000' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
if (!opt.out) {
  console.error('FAIL: --out is required');
  process.exit(1);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const profile = mkdtempSync(join(tmpdir(), 'mmstream-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: opt.chromium, headless: true, args: FLAGS, viewport: { width: 1280, height: 720 },
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(opt.url);
  await page.waitForTimeout(Number(opt['wait-ms']));
  await page.screenshot({ path: opt.out });
  console.log(`screenshot ${opt.out}`);
  if (opt['trailers-out']) {
    await page.click('#tab-trailers');
    await page.waitForTimeout(500);
    await page.screenshot({ path: opt['trailers-out'] });
    console.log(`screenshot ${opt['trailers-out']}`);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
