/*
 * A minimal test runner for the browser tests, and the helpers they share:
 * Chromium (Debian's, driven by playwright-core), screenshots, the mail the
 * SMTP sink received.  Tests run one after the other, each in a fresh browser
 * context (no cookies), each with a time limit; every wait inside is bounded
 * by the context's default timeouts.  Ends with "N passed, N failed".
 */
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`environment variable ${name} is not set (run tests/browser/run.sh)`);
  return v;
};

const BASE_URL = env('BASE_URL').replace(/\/$/, '');
const MAIL_DIR = env('MAIL_DIR');
const ARTIFACTS = env('ARTIFACTS');
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');
const STEP_TIMEOUT = Number(env('STEP_TIMEOUT_MS', '10000'));
const TEST_TIMEOUT = Number(env('TEST_TIMEOUT_MS', '90000'));

/* The flags this machine needs (see the project's notes on Chromium): no
 * sandbox as root, no GPU, no QUIC, and nothing that phones home.
 * Playwright adds --headless and a new empty --user-data-dir itself. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LAUNCH = { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30000 };
const CONTEXT = { viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' };

fs.mkdirSync(ARTIFACTS, { recursive: true });

const tests = [];
function test(name, fn, opts) {
  tests.push({ name, fn, timeout: (opts && opts.timeout) || TEST_TIMEOUT });
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/* Everything a test gets: t.browser, t.newPage() (a page in a new context,
 * watched for script errors and CSP violations), t.shot(page, name). */
class T {
  constructor(browser, name) {
    this.browser = browser;
    this.name = name;
    this.contexts = [];
    this.pages = [];
    this.problems = [];
    this.dirs = [];
  }

  /* A new empty folder, removed when the test ends. */
  tempDir(prefix) {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix || 'ectl-browser-'));
    this.dirs.push(d);
    return d;
  }

  setup(context) {
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    this.contexts.push(context);
    return context;
  }

  watch(page) {
    this.pages.push(page);
    page.on('pageerror', (e) => this.problems.push(`script error on ${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) {
        this.problems.push(`CSP violation on ${page.url()}: ${m.text()}`);
      }
    });
    return page;
  }

  async newContext(opts) {
    return this.setup(await this.browser.newContext({ ...CONTEXT, ...(opts || {}) }));
  }

  async newPage(context) {
    const ctx = context || (await this.newContext());
    return this.watch(await ctx.newPage());
  }

  /* A browser with a profile on disk, to test what survives a restart. */
  async persistent(userDataDir) {
    const ctx = this.setup(await chromium.launchPersistentContext(userDataDir, { ...LAUNCH, ...CONTEXT }));
    return ctx;
  }

  async shot(page, name) {
    const file = path.join(ARTIFACTS, name + '.png');
    await page.screenshot({ path: file, fullPage: true, timeout: STEP_TIMEOUT });
    return file;
  }

  async close() {
    for (const c of this.contexts.reverse()) await c.close().catch(() => {});
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

/* Every test starts from a page at /: when the server does not serve the
 * web UI there, say so once instead of letting each test time out. */
async function preflight() {
  try {
    const res = await fetch(BASE_URL + '/', { signal: AbortSignal.timeout(STEP_TIMEOUT) });
    const type = res.headers.get('content-type') || '';
    if (res.status === 200 && /^text\/html/.test(type)) return null;
    return `GET ${BASE_URL}/ answered ${res.status} ${type}, not the sign-in page: the server does not serve web/`;
  } catch (e) {
    return `GET ${BASE_URL}/ failed: ${e.message}`;
  }
}

async function run() {
  const only = process.env.ONLY ? new RegExp(process.env.ONLY, 'i') : null;
  const selected = tests.filter(({ name }) => !only || only.test(name));
  const problem = await preflight();
  if (problem) {
    console.log(`browser tests not run: ${problem}`);
    for (const { name } of selected) console.log(`FAIL ${name} (not run)`);
    console.log(`0 passed, ${selected.length} failed`);
    return false;
  }
  const browser = await chromium.launch(LAUNCH);
  console.log(`browser: ${CHROMIUM} ${browser.version()}, playwright-core ${require('playwright-core/package.json').version}`);
  console.log(`server: ${BASE_URL}`);
  let passed = 0;
  let failed = 0;
  for (const { name, fn, timeout } of selected) {
    const t = new T(browser, name);
    const started = Date.now();
    let timer;
    try {
      await Promise.race([
        fn(t),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout); }),
      ]);
      assert.deepEqual(t.problems, [], 'the pages raised script errors or CSP violations');
      passed++;
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name} (${Date.now() - started} ms)`);
      console.log(String(e && e.stack ? e.stack : e).split('\n').map((l) => '     ' + l).join('\n'));
      for (const p of t.problems) console.log('     ' + p);
      for (const [i, page] of t.pages.entries()) {
        if (page.isClosed()) continue;
        const file = path.join(ARTIFACTS, `FAILED-${slug(name)}-${i}.png`);
        await page.screenshot({ path: file, fullPage: true, timeout: 5000 }).then(
          () => console.log(`     screenshot: ${file} (${page.url()})`), () => {});
      }
    } finally {
      clearTimeout(timer);
      await t.close();
    }
  }
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

/* ---- mail --------------------------------------------------------------- */

function decodeQP(s) {
  const bytes = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const m = text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3));
    if (m) { bytes.push(parseInt(text.slice(i + 1, i + 3), 16)); i += 2; } else bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitMessage(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, body };
}

/* The readable text of a message: every text part, decoded. */
function mailText(raw) {
  const { headers, body } = splitMessage(raw);
  const type = headers['content-type'] || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type);
  if (/^multipart\//i.test(type) && boundary) {
    return body.split('--' + boundary[1]).slice(1)
      .filter((p) => !p.startsWith('--'))
      .map((p) => mailText(p.replace(/^\r?\n/, '')))
      .join('\n');
  }
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') return decodeQP(body);
  return body;
}

function readMails() {
  return fs.readdirSync(MAIL_DIR).filter((f) => /^\d+\.json$/.test(f)).sort()
    .map((f) => ({ file: f, ...JSON.parse(fs.readFileSync(path.join(MAIL_DIR, f), 'utf8')) }));
}

/* Wait (bounded) for a message to `to` that is not in `seen`. */
async function waitForMail(to, seen, timeoutMs) {
  const until = Date.now() + (timeoutMs || 15000);
  for (;;) {
    const mail = readMails().find((m) => !(seen || []).includes(m.file)
      && m.rcpt_to.some((r) => r.toLowerCase() === to.toLowerCase()));
    if (mail) return { ...mail, ...splitMessage(mail.data), text: mailText(mail.data) };
    if (Date.now() > until) throw new Error(`no mail to ${to} within ${timeoutMs || 15000} ms (mail dir: ${MAIL_DIR})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function mailFiles() {
  return readMails().map((m) => m.file);
}

module.exports = { test, run, assert, BASE_URL, ARTIFACTS, STEP_TIMEOUT, waitForMail, mailFiles, mailText };
