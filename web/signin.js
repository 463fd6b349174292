/* Sign-in page: POST /api/v1/session {"username", "password", "remember"}. */
'use strict';

(function () {
  const { api, showError, clearMessage, me, safeNext, setBusy } = window.Ectl;
  const form = document.getElementById('signin');
  const errorBox = document.getElementById('error');
  const notice = document.getElementById('notice');
  const username = document.getElementById('username');
  const password = document.getElementById('password');
  const params = new URLSearchParams(location.search);
  const next = safeNext(params.get('next')) || 'check.html';

  if (params.has('reset')) {
    notice.textContent = 'Your password has been changed. Sign in with the new password.';
    notice.hidden = false;
  } else if (params.has('signed_out')) {
    notice.textContent = 'You have been signed out.';
    notice.hidden = false;
  } else if (params.has('expired')) {
    notice.textContent = 'Your session has ended. Please sign in again.';
    notice.hidden = false;
  }

  /* Already signed in (a remembered session): go straight on. */
  me().then((u) => { if (u) location.replace(next); }).catch(() => {});

  function invalid(input, bad) {
    if (bad) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearMessage(errorBox);
    notice.hidden = true;
    const name = username.value.trim();
    invalid(username, !name);
    invalid(password, !password.value);
    if (!name || !password.value) {
      showError(errorBox, new Error(!name ? 'Enter your user name.' : 'Enter your password.'));
      (!name ? username : password).focus();
      return;
    }
    setBusy(form, true);
    try {
      await api('POST', '/session', {
        username: name,
        password: password.value,
        remember: document.getElementById('remember').checked,
      });
      location.assign(next);
    } catch (e) {
      showError(errorBox, e);
      if (e.status === 401 || e.status === 400) {
        invalid(username, true);
        invalid(password, true);
      }
      password.value = '';
      password.focus();
      setBusy(form, false);
    }
  });
})();
