/* Lost password: POST /api/v1/password-reset {"email"} (answered 202 whether
 * or not the address is known), then, from the mailed link,
 * POST /api/v1/password-reset/confirm {"token", "password"}. */
'use strict';

(function () {
  const { api, showError, clearMessage, setBusy } = window.Ectl;

  /* The token comes in the query (?token=) or the fragment (#token=); it is
   * removed from the address bar at once so it stays out of the history. */
  function takeToken() {
    const q = new URLSearchParams(location.search);
    const h = new URLSearchParams(location.hash.replace(/^#/, ''));
    const token = q.get('token') || h.get('token');
    if (token) history.replaceState(null, '', location.pathname);
    return token;
  }

  const token = takeToken();

  if (!token) {
    const form = document.getElementById('request');
    const errorBox = document.getElementById('request-error');
    const done = document.getElementById('request-done');
    const email = document.getElementById('email');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearMessage(errorBox);
      const address = email.value.trim();
      if (!address || !email.checkValidity()) {
        email.setAttribute('aria-invalid', 'true');
        showError(errorBox, new Error('Enter the e-mail address of your account, such as name@example.com.'));
        email.focus();
        return;
      }
      email.removeAttribute('aria-invalid');
      setBusy(form, true);
      try {
        await api('POST', '/password-reset', { email: address });
        done.textContent = 'If an account uses ' + address + ', a message with a reset link is on its way. '
          + 'Check your mailbox; the link works once and expires soon.';
        done.hidden = false;
        form.hidden = true;
      } catch (e) {
        showError(errorBox, e);
        setBusy(form, false);
      }
    });
    return;
  }

  document.getElementById('request-card').hidden = true;
  document.getElementById('confirm-card').hidden = false;
  const form = document.getElementById('confirm');
  const errorBox = document.getElementById('confirm-error');
  const pw = document.getElementById('new-password');
  const again = document.getElementById('new-password-again');
  pw.focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearMessage(errorBox);
    pw.removeAttribute('aria-invalid');
    again.removeAttribute('aria-invalid');
    if (new TextEncoder().encode(pw.value).length < 12) {
      pw.setAttribute('aria-invalid', 'true');
      showError(errorBox, new Error('The new password must be at least 12 characters long.'));
      pw.focus();
      return;
    }
    if (pw.value !== again.value) {
      again.setAttribute('aria-invalid', 'true');
      showError(errorBox, new Error('The two passwords are not the same.'));
      again.focus();
      return;
    }
    setBusy(form, true);
    try {
      await api('POST', '/password-reset/confirm', { token, password: pw.value });
      location.assign('./?reset=1');
    } catch (e) {
      showError(errorBox, e);
      if (e.status === 400 && /password/i.test(e.message)) pw.setAttribute('aria-invalid', 'true');
      setBusy(form, false);
    }
  });
})();
