// Docs site at scale: generates a synthetic project (bench/lib/generate-project.mjs), compiles it once, then
// times `docs generate` (cold: no lineage cache; warm: cache from the run before), the parse cost of SQL that shares
// no skeleton, and, in Chromium, the site's start-up and search latency while typing. Prints figures; asserts nothing.
// Needs `npm run build` first. Usage: node bench/docs/docs-bench.mjs [models=10000] [--catalog] [--keep]
//   --catalog  also builds the project on DuckDB and times the catalog introspection (slow for 10,000 models)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateProject } from '../lib/generate-project.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const models = Number(args.find((a) => /^\d+$/.test(a)) ?? 10000);
const withCatalog = args.includes('--catalog');
const dist = (p) => import(pathToFileURL(join(REPO, 'dist', p)).href);

if (!existsSync(join(REPO, 'dist/docs/generate.js'))) {
  console.error('run `npm run build` first');
  process.exit(2);
}
const { generateSite } = await dist('docs/generate.js');
const { emptyCatalog } = await dist('docs/catalog.js');
const { parseToIr } = await dist('docs/lineage/sql-parse.js');

const cli = (argv, cwd) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(REPO, 'bin/tsdbt.js'), ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`tsdbt ${argv.join(' ')} failed:\n${r.stderr}`);
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout };
};
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

const dir = mkdtempSync(join(tmpdir(), 'tsdbt-docs-bench-'));
generateProject(dir, models);
console.log(`project: ${models} models in ${dir}; ${availableParallelism()} cores; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const compile = cli(['compile', '--project-dir', dir], dir);
console.log(`compile (not part of docs generate below): ${compile.seconds.toFixed(2)} s`);
const targetDir = join(dir, 'target');
let catalog = emptyCatalog('bench');
if (withCatalog) {
  const build = cli(['run', '--project-dir', dir], dir);
  console.log(`run (to have something to introspect): ${build.seconds.toFixed(2)} s`);
  const gen = cli(['docs', 'generate', '--no-compile', '--project-dir', dir], dir);
  console.log(`docs generate with catalog, whole command: ${gen.seconds.toFixed(2)} s\n  ${gen.stdout.trim().split('\n').slice(0, 3).join('\n  ')}`);
  catalog = JSON.parse(readFileSync(join(targetDir, 'catalog.json'), 'utf8'));
}

const manifest = JSON.parse(readFileSync(join(targetDir, 'manifest.json'), 'utf8'));
async function stage(label) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await generateSite({ manifest, catalog, projectDir: dir, docsFolders: ['models'], targetDir });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(`docs generate (${label}): ${fmt(wall)} wall, ${fmt((cpu.user + cpu.system) / 1000)} CPU; site ${(r.bytes / 2 ** 20).toFixed(1)} MB; ` +
    `${r.parse.statements} statements, ${r.parse.skeletons} distinct shapes, ${r.parse.parsed} parsed, ${r.parse.workers} workers; ` +
    `lineage ${r.lineage.known}/${r.lineage.columns} columns known\n  stages (ms): ${JSON.stringify(r.timings)}`);
}
rmSync(join(targetDir, 'docs_lineage_cache.json'), { force: true });
await stage('cold, no cache');
await stage('warm, cache from the run before');
const whole = cli(['docs', 'generate', '--no-compile', '--empty-catalog', '--project-dir', dir], dir);
console.log(`docs generate --no-compile --empty-catalog, whole command (warm): ${whole.seconds.toFixed(2)} s`);

// Worst case for parsing: statements that share no skeleton. One thread, after warm-up.
const sqls = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model').map((n) => n.compiled_code);
for (const s of sqls.slice(0, 200)) parseToIr(s, 'postgresql');
const sample = sqls.slice(200, 1200);
const t0 = performance.now();
for (const s of sample) parseToIr(s, 'postgresql');
const perStatement = (performance.now() - t0) / sample.length;
console.log(`parse without shared skeletons: ${perStatement.toFixed(2)} ms per statement on one thread ` +
  `(~${((perStatement * models) / 1000 / Math.min(4, availableParallelism())).toFixed(1)} s for ${models} unique statements on ${Math.min(4, availableParallelism())} workers)`);

// The site in a real browser, from file://.
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) console.log(`browser figures skipped: no ${CHROMIUM} (apt-get install -y chromium)`);
else {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const url = pathToFileURL(join(targetDir, 'index.html')).href;
  const tLoad = performance.now();
  await page.goto(url, { timeout: 120_000 });
  await page.waitForSelector('html[data-ready]', { timeout: 120_000 });
  const loadMs = performance.now() - tLoad;
  const appMs = await page.evaluate(() => window.__tsdbtReadyMs);
  console.log(`site start-up from file://: ${fmt(loadMs)} to interactive (script ${Math.round(appMs)} ms of it)`);
  const typed = ['m', 'm0', 'm04', 'm042', 'm0421', 'a', 'am', 'amount', 'amount_usd', 'layer', 'tag:layer_3 m03', 'column:category'];
  const perKey = await page.evaluate(async (queries) => {
    const input = document.querySelector('[data-testid=search-input]');
    const out = [];
    for (const q of queries) {
      const t = performance.now();
      input.value = q;
      input.dispatchEvent(new Event('input'));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      out.push({ q, search: window.__tsdbtLastSearchMs, painted: performance.now() - t });
    }
    return out;
  }, typed);
  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
  const s = perKey.map((k) => k.search);
  const p = perKey.map((k) => k.painted);
  console.log(`search over ${(await page.evaluate(() => document.querySelectorAll('script[type="application/json"]').length))} data blocks, per keystroke: ` +
    `search median ${median(s).toFixed(1)} ms (max ${Math.max(...s).toFixed(1)}), to results painted median ${median(p).toFixed(1)} ms (max ${Math.max(...p).toFixed(1)})`);
  const mid = `m${String(Math.floor(models / 2)).padStart(5, '0')}`;
  const tNode = performance.now();
  await page.goto(`${url}#/lineage/model.bench.${mid}/all/all`);
  await page.waitForSelector('[data-testid=graph-node]');
  const nodes = await page.locator('[data-testid=graph-node]').count();
  console.log(`lineage page of ${mid} (+${mid}+): ${nodes} nodes drawn, ${fmt(performance.now() - tNode)} including reload`);
  await browser.close();
}
if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
