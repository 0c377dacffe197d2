// `tsdbt docs serve` as a user runs it: serves the generated site on 127.0.0.1 (a real browser renders it), serves
// nothing outside target/, and says what to do when there is no site yet.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { tsdbt, writeProject } from '../helpers/project.js';
import { goto, launchChromium, openPage } from './browser.js';

const FILES = {
  'models/orders.sql': `select 1 as id, 10.5 as amount`,
  'models/order_totals.sql': `select id, amount * 2 as doubled from {{ ref('orders') }}`,
  'models/schema.yml': `version: 2
models:
  - name: order_totals
    description: "{{ doc('totals') }}"
`,
  'models/docs.md': '{% docs totals %}Totals per **order**.{% enddocs %}',
};

let dir: string;
let child: ChildProcess | undefined;
let base: string;

describe('tsdbt docs serve', () => {
  beforeAll(async () => {
    dir = writeProject(FILES);
    const gen = tsdbt(['docs', 'generate', '--empty-catalog', '--project-dir', dir]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toContain('Column lineage: 4 of 4 columns known');
    child = spawn(process.execPath, [join(REPO, 'bin/tsdbt.js'), 'docs', 'serve', '--port', '0', '--project-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]);
      });
      child!.once('exit', (code) => reject(new Error(`docs serve exited with ${code}: ${out}`)));
    });
  });

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('serves the site and the artifacts next to it', async () => {
    const index = await fetch(base);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    const manifest = await fetch(`${base}manifest.json`);
    expect((await manifest.json()).metadata.project_name).toBe('demo');
    expect((await fetch(`${base}catalog.json`)).status).toBe(200);
  });

  it('serves nothing outside target/', async () => {
    for (const path of ['..%2Fprofiles.yml', '%2e%2e/tsdbt_project.yml', 'nope.html']) expect((await fetch(`${base}${path}`)).status, path).toBe(404);
  });

  it('renders in a browser with the doc() block resolved', async () => {
    const browser = await launchChromium();
    try {
      const { page, network, errors } = await openPage(browser);
      await goto(page, `${base}#/node/model.demo.order_totals`);
      await expect(page.locator('.desc strong').textContent()).resolves.toBe('order');
      await expect(page.locator('[data-testid=columns-table] tr[data-column=doubled] .col-lineage').textContent()).resolves.toBe('orders.amount');
      expect(network).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('tells the user to generate first when there is no site', () => {
    const r = tsdbt(['docs', 'serve', '--project-dir', writeProject({})]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run `tsdbt docs generate` first');
  });
});
