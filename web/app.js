/* exportctl web UI: helpers shared by every page (loaded first, with defer).
 * No framework and no build step.  Everything the pages show is built with
 * textContent / createElement, never innerHTML, so text from the API or the
 * user is never parsed as markup. */
'use strict';

(function () {
  const API = '/api/v1';

  /* An error answered by the API ({"error": {"code", "message"}}), or a
   * network failure (status 0). */
  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  /* fetch() with JSON in and out.  opts.csrf adds X-CSRF-Token, which the
   * server requires on every state-changing request made with the session
   * cookie.  Resolves with the parsed body (null when empty); rejects with
   * ApiError. */
  async function api(method, path, body, opts) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts && opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), (opts && opts.timeoutMs) || 30000);
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: ctl.signal,
      });
    } catch (e) {
      throw new ApiError(0, 'network', ctl.signal.aborted
        ? 'The server did not answer in time. Please try again.'
        : 'The server could not be reached. Check your connection and try again.');
    } finally {
      clearTimeout(timer);
    }
    let data = null;
    const text = await res.text().catch(() => '');
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = null; }
    }
    if (!res.ok) {
      const err = data && data.error ? data.error : {};
      const retry = parseInt(res.headers.get('Retry-After') || '', 10);
      throw new ApiError(res.status, err.code || 'http_' + res.status,
        err.message || defaultMessage(res.status), Number.isFinite(retry) ? retry : undefined);
    }
    return data;
  }

  function defaultMessage(status) {
    if (status === 401) return 'You are not signed in.';
    if (status === 403) return 'You are not allowed to do this.';
    if (status === 404) return 'Not found.';
    if (status === 429) return 'Too many attempts.';
    if (status >= 500) return 'The server failed to answer (HTTP ' + status + '). Please try again later.';
    return 'The request failed (HTTP ' + status + ').';
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function waitText(seconds) {
    if (seconds >= 120) return plural(Math.ceil(seconds / 60), 'minute');
    return plural(seconds, 'second');
  }

  /* The API's messages are written in lower case without a full stop
   * ("wrong user name or password"); shown as a sentence. */
  function sentence(text) {
    let t = String(text).trim();
    if (!t) return t;
    if (/^[a-z]+[ ,;]/.test(t)) t = t[0].toUpperCase() + t.slice(1); /* not "items[0]: ..." */
    return t + (/[.!?]$/.test(t) ? '' : '.');
  }

  /* Put an error into a role="alert" box: the API's message, and for a
   * throttled request how long to wait, from Retry-After. */
  function showError(box, err) {
    box.replaceChildren();
    let text = sentence(err && err.message ? err.message : String(err));
    if (err instanceof ApiError && err.status === 429 && err.retryAfter !== undefined) {
      text = text.replace(/[;,.]?\s*try again in \d+ seconds?\.?$/i, '.')
        + ' Try again in ' + waitText(err.retryAfter) + '.';
    }
    box.append(text);
    if (err instanceof ApiError && err.code && err.status !== 0) {
      box.append(el('span', { class: 'code' }, '(' + err.code + ')'));
    }
    box.hidden = false;
  }

  function clearMessage(box) {
    box.hidden = true;
    box.replaceChildren();
  }

  /* el('td', {class: 'x'}, 'text', child, ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  /* GET /api/v1/me: {"user": {"name", "role", ...}, "csrf_token", ...}, or
   * null when not signed in. */
  async function me() {
    try {
      return await api('GET', '/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  }

  /* Fill the header's "signed in as" part and wire the sign-out button. */
  function showUser(u) {
    const who = document.getElementById('who');
    if (!who) return;
    document.getElementById('who-name').textContent = u.user.name;
    document.getElementById('who-role').textContent = u.user.role;
    who.hidden = false;
    document.getElementById('sign-out').addEventListener('click', async (ev) => {
      ev.currentTarget.disabled = true;
      try {
        const cur = await me();
        if (cur) await api('DELETE', '/session', undefined, { csrf: cur.csrf_token });
      } catch (e) {
        /* Signed out or not, go to the sign-in page. */
      }
      location.assign('./?signed_out=1');
    });
  }

  /* A same-site path to go back to after sign-in, or null: never an
   * absolute or protocol-relative URL (no open redirect). */
  function safeNext(value) {
    if (!value || !/^\/(?!\/)[A-Za-z0-9._~\-\/]*(\?[A-Za-z0-9._~\-=&%]*)?$/.test(value)) return null;
    return value;
  }

  function setBusy(form, busy) {
    for (const b of form.querySelectorAll('button')) b.disabled = busy;
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  window.Ectl = { api, ApiError, showError, clearMessage, el, me, showUser, safeNext, setBusy };
})();
