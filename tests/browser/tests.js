#!/usr/bin/env node
/*
 * End-to-end tests of the web pages against a running `exportctl serve`
 * (started by run.sh, which also starts the SMTP sink and creates the users
 * of users.json).  Screenshots go to $ARTIFACTS.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { test, run, assert, BASE_URL, waitForMail, mailFiles } = require('./lib');
const USERS = Object.fromEntries(require('./users.json').map((u) => [u.name, u]));

const DAY = 24 * 3600;
const url = (p) => BASE_URL + p;

/* The session cookie (server/server.h: SRV_COOKIE). */
const SESSION_COOKIE = 'ectl_session';
async function sessionCookie(context) {
  const all = await context.cookies(BASE_URL);
  const found = all.filter((c) => c.name === SESSION_COOKIE);
  assert.equal(found.length, 1, `expected one ${SESSION_COOKIE} cookie, got ${JSON.stringify(all)}`);
  return found[0];
}

/* Fill in and send the sign-in form; resolves with the API's response. */
async function signIn(page, user, password, remember) {
  await page.goto(url('/'));
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  if (remember) await page.getByLabel('Remember me').check();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url() === url('/api/v1/session') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return res;
}

/* The alert shows the message of the API's error JSON. */
async function expectApiError(page, res, status) {
  assert.equal(res.status(), status, `${res.request().method()} ${res.url()}`);
  const { error } = await res.json();
  assert.ok(error && error.code && error.message, 'the API answers {"error": {"code", "message"}}');
  const text = await expectAlert(page, /\S/);
  assert.ok(text.toLowerCase().includes(error.message.toLowerCase()), `the alert "${text}" shows "${error.message}"`);
  assert.ok(text.includes(error.code), `the alert "${text}" names the code ${error.code}`);
  return text;
}

async function signInOk(page, name, opts) {
  const u = USERS[name];
  await signIn(page, u.name, (opts && opts.password) || u.password, opts && opts.remember);
  await page.waitForURL(/\/check\.html$/);
  await page.locator('#who-name', { hasText: u.name }).waitFor();
}

async function expectAlert(page, pattern) {
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, pattern);
  return text;
}

/* ---- serving -------------------------------------------------------------- */

test('pages are served with their content types and a strict Content-Security-Policy', async (t) => {
  const ctx = await t.newContext();
  const types = {
    '/': /^text\/html/, '/reset.html': /^text\/html/, '/check.html': /^text\/html/,
    '/app.css': /^text\/css/, '/app.js': /^(text|application)\/javascript/,
    '/signin.js': /^(text|application)\/javascript/, '/reset.js': /^(text|application)\/javascript/,
    '/check.js': /^(text|application)\/javascript/, '/favicon.svg': /^image\/svg\+xml/,
  };
  for (const [p, type] of Object.entries(types)) {
    const res = await ctx.request.get(url(p), { timeout: 10000 });
    assert.equal(res.status(), 200, `GET ${p}`);
    assert.match(res.headers()['content-type'] || '', type, `Content-Type of ${p}`);
    if (type.source.includes('html')) {
      const csp = res.headers()['content-security-policy'] || '';
      assert.match(csp, /default-src 'none'|default-src 'self'/, `CSP of ${p}: ${csp}`);
      assert.match(csp, /script-src 'self'/, `CSP of ${p}: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `CSP of ${p}: ${csp}`);
      assert.match(csp, /frame-ancestors 'none'/, `CSP of ${p}: ${csp}`);
    }
  }
  const missing = await ctx.request.get(url('/no-such-page.html'), { timeout: 10000 });
  assert.equal(missing.status(), 404);
});

test('the check page sends a visitor who is not signed in to the sign-in page', async (t) => {
  const page = await t.newPage();
  await page.goto(url('/check.html'));
  await page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('next') === '/check.html');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await t.shot(page, 'signin');
});

/* ---- sign-in ---------------------------------------------------------------- */

test('sign in without "remember me": a session cookie, and sign-out ends it', async (t) => {
  const page = await t.newPage();
  await signInOk(page, 'alice');
  const c = await sessionCookie(page.context());
  assert.equal(c.expires, -1, `a session cookie has no Expires/Max-Age: ${JSON.stringify(c)}`);
  assert.equal(c.httpOnly, true);
  assert.ok(['Strict', 'Lax'].includes(c.sameSite), `SameSite: ${c.sameSite}`);
  assert.equal(c.path, '/');
  await page.getByRole('heading', { name: 'Shipment check' }).waitFor();
  await t.shot(page, 'check-empty');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((u) => u.pathname === '/' && u.searchParams.has('signed_out'));
  await page.getByRole('status').filter({ hasText: 'signed out' }).waitFor();
  const me = await page.context().request.get(url('/api/v1/me'), { timeout: 10000 });
  assert.equal(me.status(), 401, 'GET /api/v1/me after sign-out');
});

test('sign in with "remember me": a persistent cookie of about 30 days', async (t) => {
  const page = await t.newPage();
  const before = Date.now() / 1000;
  await signInOk(page, 'alice', { remember: true });
  const c = await sessionCookie(page.context());
  assert.ok(c.expires > 0, `a persistent cookie has an expiry: ${JSON.stringify(c)}`);
  const days = (c.expires - before) / DAY;
  assert.ok(days > 29 && days < 31, `the cookie lasts ${days.toFixed(2)} days, not about 30`);
  assert.equal(c.httpOnly, true);
});

test('a remembered session survives a browser restart; a plain one does not', async (t) => {
  for (const remember of [true, false]) {
    const profile = t.tempDir('ectl-profile-');
    let ctx = await t.persistent(profile);
    let page = t.watch(ctx.pages()[0] || (await ctx.newPage()));
    await signInOk(page, 'dave', { remember });
    await ctx.close();

    ctx = await t.persistent(profile);
    page = t.watch(ctx.pages()[0] || (await ctx.newPage()));
    await page.goto(url('/check.html'));
    if (remember) {
      await page.locator('#who-name', { hasText: 'dave' }).waitFor();
    } else {
      await page.waitForURL((u) => u.pathname === '/');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    }
    await ctx.close();
  }
});

test('a wrong password shows the error the API gives', async (t) => {
  const page = await t.newPage();
  const res = await signIn(page, 'alice', 'not the right password', false);
  await expectApiError(page, res, 401);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal((await sessionCookie(page.context()).catch(() => null)), null, 'no session cookie');
  await t.shot(page, 'signin-error');
});

/* ---- lost password ---------------------------------------------------------- */

test('a lost password is reset through the mailed link, which works only once', async (t) => {
  const bob = USERS.bob;
  const newPassword = 'bob brand new passphrase 2024';
  const seen = mailFiles();

  // Ask for the link from the sign-in page.
  const page = await t.newPage();
  await page.goto(url('/'));
  await page.getByRole('link', { name: 'Lost password?' }).click();
  await page.waitForURL(/\/reset(\.html)?$/);
  await page.getByLabel('E-mail address').fill(bob.email);
  await t.shot(page, 'reset-request');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByRole('status').filter({ hasText: bob.email }).waitFor();
  await t.shot(page, 'reset-requested');

  // The mail the SMTP server received.
  const mail = await waitForMail(bob.email, seen, 15000);
  const links = mail.text.match(/https?:\/\/[^\s"'<>]+/g) || [];
  const link = links.find((l) => /token=/.test(l));
  assert.ok(link, `no reset link in the mail:\n${mail.text}`);
  assert.equal(new URL(link).origin, new URL(BASE_URL).origin, `the link points at this server: ${link}`);
  assert.match(mail.headers.subject || '', /password/i, 'subject');

  // Open the link and choose a new password.
  const reset = await t.newPage();
  await reset.goto(link);
  await reset.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  assert.doesNotMatch(reset.url(), /token/, 'the token is taken out of the address bar');
  await reset.getByLabel('New password', { exact: true }).fill(newPassword);
  await reset.getByLabel('New password, again').fill(newPassword + ' typo');
  await reset.getByRole('button', { name: 'Set new password' }).click();
  await expectAlert(reset, /not the same/);
  await reset.getByLabel('New password, again').fill(newPassword);
  await t.shot(reset, 'reset-confirm');
  await reset.getByRole('button', { name: 'Set new password' }).click();
  await reset.waitForURL((u) => u.pathname === '/' && u.searchParams.has('reset'));
  await reset.getByRole('status').filter({ hasText: 'password has been changed' }).waitFor();

  // The new password works, the old one does not.
  await signInOk(reset, 'bob', { password: newPassword });
  const old = await t.newPage();
  await expectApiError(old, await signIn(old, bob.name, bob.password, false), 401);
  assert.equal(new URL(old.url()).pathname, '/');

  // The link cannot be used twice.
  const again = await t.newPage();
  await again.goto(link);
  await again.getByLabel('New password', { exact: true }).fill('bob a third passphrase 2025');
  await again.getByLabel('New password, again').fill('bob a third passphrase 2025');
  const [used] = await Promise.all([
    again.waitForResponse((r) => r.url() === url('/api/v1/password-reset/confirm')),
    again.getByRole('button', { name: 'Set new password' }).click(),
  ]);
  await expectApiError(again, used, 400);
  assert.match(new URL(again.url()).pathname, /^\/reset(\.html)?$/);
  await t.shot(again, 'reset-link-used');
  const still = await t.newPage();
  await signInOk(still, 'bob', { password: newPassword });
});

test('a reset request for an unknown address looks the same and sends nothing', async (t) => {
  const seen = mailFiles();
  const page = await t.newPage();
  await page.goto(url('/reset.html'));
  await page.getByLabel('E-mail address').fill('nobody@example.test');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByRole('status').filter({ hasText: 'nobody@example.test' }).waitFor();
  await assert.rejects(waitForMail('nobody@example.test', seen, 2000), /no mail/);
});

/* ---- shipment check --------------------------------------------------------- */

async function fillShipment(page, s) {
  await page.getByLabel('Export-control regime').selectOption(s.regime);
  await page.getByLabel('Shipment date').fill(s.date);
  await page.getByLabel('Destination country').fill(s.destination);
  if (s.end_use_concern) await page.getByLabel('End-use concern').check();
  for (const [i, it] of s.items.entries()) {
    if (i > 0) await page.getByRole('button', { name: 'Add item' }).click();
    const row = page.getByRole('group', { name: `Item ${i + 1}`, exact: true });
    await row.getByLabel('Item code').fill(it.item);
    await row.getByLabel('Description').fill(it.description || '');
    await row.getByLabel('Quantity').fill(String(it.quantity ?? ''));
    await row.getByLabel('Value').fill(String(it.value ?? ''));
    await row.getByLabel('Currency').fill(it.currency || '');
  }
  for (const [i, p] of s.parties.entries()) {
    if (i > 0) await page.getByRole('button', { name: 'Add party' }).click();
    const row = page.getByRole('group', { name: `Party ${i + 1}`, exact: true });
    await row.getByLabel('Role').selectOption(p.role);
    await row.getByLabel('Name').fill(p.name);
    await row.getByLabel('Country').fill(p.country || '');
  }
}

test('a shipment check run from the page shows the verdict, the reasons and their sources', async (t) => {
  const shipment = {
    regime: 'jp', date: '2019-09-01', destination: 'KR',
    items: [{ item: '3C002', description: 'Photoresist for EUV lithography', quantity: 100, value: 25000, currency: 'JPY' }],
    parties: [{ role: 'buyer', name: 'Hanbit Display Materials Co., Ltd.', country: 'KR' }],
  };
  const page = await t.newPage();
  await signInOk(page, 'alice');
  await fillShipment(page, shipment);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === url('/api/v1/checks') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Run check' }).click(),
  ]);
  assert.equal(response.status(), 201, `POST /api/v1/checks: ${await response.text()}`);
  const sent = response.request().postDataJSON();
  assert.deepEqual(sent, { ...shipment, end_use_concern: false }, 'the page sends the shipment as entered');
  assert.ok(response.request().headers()['x-csrf-token'], 'the request carries X-CSRF-Token');

  const verdict = page.locator('#verdict');
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute('data-verdict'), 'licence_required');
  assert.match(await verdict.innerText(), /Licence required/);

  // The item: outcome, the one licence option, and every reason the engine
  // gives on the command line, with its period and source.
  const expected = JSON.parse(execFileSync(process.env.EXPORTCTL, ['determine', '--regime', 'jp',
    '--item', '3C002', '--to', 'KR', '--date', '2019-09-01', '--json'], { encoding: 'utf8', timeout: 10000 }));
  const item = page.locator('.result-item').filter({ hasText: '3C002' });
  assert.match(await item.locator('.outcome').innerText(), /^Licence required$/);
  assert.deepEqual(await item.locator('.options .opt').allInnerTexts(), ['Individual licence']);
  const rows = item.locator('table.reasons tbody tr');
  assert.equal(await rows.count(), expected.items[0].reasons.length);
  for (const [i, r] of expected.items[0].reasons.entries()) {
    const row = rows.nth(i);
    assert.equal(await row.locator('td.rule').innerText().then((s) => s.replace(' (decisive)', '')), r.rule);
    assert.equal(await row.locator('td.text').innerText(), r.text);
    const period = await row.locator('td.period').innerText();
    if (r.from) assert.ok(period.includes(r.from), `period ${period} shows ${r.from}`);
    if (r.to) assert.ok(period.includes(r.to), `period ${period} shows ${r.to}`);
    assert.equal(await row.locator('td.source').innerText(), r.source);
  }
  const decisive = item.locator('tr.decisive td.rule');
  assert.equal(await decisive.innerText().then((s) => s.replace(' (decisive)', '')), 'jp-m-2019-07-04');
  assert.match(await decisive.locator('xpath=..').locator('td.period').innerText(), /2019-07-04 to 2023-03-23/);
  assert.ok(await item.locator('td.source a[href^="https://news.mynavi.jp/"]').count() > 0, 'sources are links');

  // The party: screened, nothing found.
  const party = page.locator('.result-party').filter({ hasText: 'Hanbit Display Materials' });
  assert.match(await party.innerText(), /Buyer/);
  assert.match(await party.locator('.outcome').innerText(), /No match/);
  await t.shot(page, 'check-result');
});

test('a listed party is shown with its matches and the verdict is review', async (t) => {
  const page = await t.newPage();
  await signInOk(page, 'alice');
  await fillShipment(page, {
    regime: 'jp', date: '2019-09-01', destination: 'KR',
    items: [{ item: 'none', description: 'Office furniture', quantity: 2, value: 90000, currency: 'JPY' }],
    parties: [
      { role: 'buyer', name: 'Hanbit Display Materials Co., Ltd.', country: 'KR' },
      { role: 'end_user', name: 'Nordwind Precision Trading LLC', country: 'KR' },
    ],
  });
  await page.getByRole('button', { name: 'Run check' }).click();
  const verdict = page.locator('#verdict[data-verdict]');
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute('data-verdict'), 'review');
  assert.match(await page.locator('.result-item .outcome').innerText(), /No licence required/);
  const party = page.locator('.result-party').filter({ hasText: 'Nordwind Precision Trading' });
  assert.match(await party.locator('h3').innerText(), /^End user: /);
  const match = party.locator('table.matches tbody tr').first();
  assert.match(await match.locator('td.list').innerText(), /e2e-company-list/);
  assert.match(await match.locator('td.name').innerText(), /NORDWIND PRECISION TRADING/i);
  const score = Number(await match.locator('td.score').innerText());
  assert.ok(score >= 0.85 && score <= 1, `score ${score}`);
  assert.match(await match.locator('td.explain').innerText(), /\S/);
  await t.shot(page, 'check-review');
});

test('the check form explains what is missing before anything is sent', async (t) => {
  const page = await t.newPage();
  await signInOk(page, 'alice');
  let sent = 0;
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/checks')) sent++; });
  await page.getByRole('group', { name: 'Item 1', exact: true }).getByLabel('Item code').fill('3C002');
  await page.getByRole('group', { name: 'Party 1', exact: true }).getByRole('button', { name: 'Remove this party' }).click();
  await page.getByRole('button', { name: 'Run check' }).click();
  await expectAlert(page, /two-letter ISO country code/);
  assert.equal(await page.getByLabel('Destination country').getAttribute('aria-invalid'), 'true');
  assert.equal(sent, 0);
  await t.shot(page, 'check-invalid');
});

test('an unknown item code shows the error the API gives', async (t) => {
  const page = await t.newPage();
  await signInOk(page, 'alice');
  await fillShipment(page, {
    regime: 'jp', date: '2019-09-01', destination: 'KR',
    items: [{ item: '9Z999', description: 'No such item' }], parties: [],
  });
  await page.getByRole('group', { name: 'Party 1', exact: true }).getByRole('button', { name: 'Remove this party' }).click();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url() === url('/api/v1/checks')),
    page.getByRole('button', { name: 'Run check' }).click(),
  ]);
  assert.ok(res.status() >= 400 && res.status() < 500, `status ${res.status()}`);
  const text = await expectApiError(page, res, res.status());
  assert.match(text, /9Z999/);
  assert.ok(await page.locator('#result').isHidden());
  const code = page.getByRole('group', { name: 'Item 1', exact: true }).getByLabel('Item code');
  assert.equal(await code.getAttribute('aria-invalid'), 'true', 'the refused item is marked');
  await t.shot(page, 'check-error');
});

/* ---- throttling (last: it locks carol out) ---------------------------------- */

test('repeated failed sign-ins are throttled and the page says how long to wait', async (t) => {
  const page = await t.newPage();
  await page.goto(url('/'));
  let text = '';
  for (let i = 0; i < 30 && !/try again in/i.test(text); i++) {
    await page.getByLabel('User name').fill('carol');
    await page.getByLabel('Password', { exact: true }).fill('wrong password number ' + i);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url() === url('/api/v1/session')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.getByRole('button', { name: 'Sign in' }).and(page.locator(':enabled')).waitFor();
    text = await page.getByRole('alert').innerText();
    if (res.status() === 429) assert.ok(res.headers()['retry-after'], '429 carries Retry-After');
  }
  assert.match(text, /try again in \d+ (second|minute)s?/i);
  await t.shot(page, 'signin-throttled');
});

run().then((ok) => process.exit(ok ? 0 : 1), (e) => {
  console.error(e);
  process.exit(1);
});
