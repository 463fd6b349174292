/* Shipment check: builds the shipment JSON from the form, sends it to
 * POST /api/v1/checks with the session's CSRF token, and shows the verdict,
 * each item's determination (outcome, licence options, reasons with their
 * rule, period and source) and each party's screening matches. */
'use strict';

(function () {
  const { api, ApiError, showError, clearMessage, el, me, showUser, setBusy } = window.Ectl;

  const form = document.getElementById('check');
  const errorBox = document.getElementById('error');
  const itemsBox = document.getElementById('items');
  const partiesBox = document.getElementById('parties');
  const regime = document.getElementById('regime');
  const dateInput = document.getElementById('date');
  const destination = document.getElementById('destination');
  const running = document.getElementById('running');

  const CURRENCY = { jp: 'JPY', kr: 'KRW', eu: 'EUR', us: 'USD' };
  const ROLES = [['buyer', 'Buyer'], ['consignee', 'Consignee'], ['end_user', 'End user']];
  const OUTCOME = {
    no_licence_required: 'No licence required',
    licence_required: 'Licence required',
    prohibited: 'Prohibited',
  };
  const VERDICT = {
    clear: ['Clear', 'No item needs a licence and no party matched a restricted-party list.'],
    licence_required: ['Licence required',
      'Do not ship before a licence covers every item marked below; each item lists the kinds of licence that can cover it.'],
    review: ['Review',
      'Hold the shipment: a party may be on a restricted-party list. Review the matches below and record your decision.'],
    prohibited: ['Prohibited', 'Do not ship: the export of at least one item to this destination is prohibited.'],
  };
  const LICENCE = {
    general_bulk: 'General Bulk Licence',
    special_general_bulk: 'Special General Bulk Licence',
    specific_bulk: 'Specific Bulk Licence',
    individual: 'Individual licence',
    bulk: 'Bulk licence',
    eu001: 'EU001 (Union General Export Authorisation)',
    licence: 'Licence',
  };

  let csrf = null;
  let rowSeq = 0;

  /* ---- the form ------------------------------------------------------- */

  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  }

  function field(id, label, input) {
    input.id = id;
    return el('div', { class: 'field' }, el('label', { for: id }, label), input);
  }

  function removeButton(row, what) {
    const b = el('button', { type: 'button', class: 'small remove', 'aria-label': 'Remove this ' + what }, 'Remove');
    b.addEventListener('click', () => {
      const box = row.parentElement;
      row.remove();
      renumber(box);
    });
    return b;
  }

  /* Keep "Item 1, Item 2..." labels of each row's group in order. */
  function renumber(box) {
    const rows = box.querySelectorAll('.row');
    rows.forEach((r, i) => r.setAttribute('aria-label', r.dataset.kind + ' ' + (i + 1)));
    if (box === itemsBox) rows.forEach((r) => { r.querySelector('.remove').hidden = rows.length === 1; });
  }

  function addItem(values) {
    const v = values || {};
    const n = ++rowSeq;
    const row = el('div', { class: 'row item', role: 'group', 'data-kind': 'Item' });
    const currency = el('input', { type: 'text', class: 'code', maxlength: 3, name: 'currency', value: v.currency || CURRENCY[regime.value] || '', autocomplete: 'off', spellcheck: 'false' });
    currency.addEventListener('input', () => { currency.dataset.touched = '1'; });
    row.append(
      field('item-' + n + '-code', 'Item code', el('input', { type: 'text', name: 'item', value: v.item || '', autocomplete: 'off', spellcheck: 'false', required: true })),
      field('item-' + n + '-description', 'Description', el('input', { type: 'text', name: 'description', value: v.description || '' })),
      field('item-' + n + '-quantity', 'Quantity', el('input', { type: 'number', name: 'quantity', min: 0, step: 'any', value: v.quantity })),
      field('item-' + n + '-value', 'Value', el('input', { type: 'number', name: 'value', min: 0, step: 'any', value: v.value })),
      field('item-' + n + '-currency', 'Currency', currency),
      removeButton(row, 'item'));
    itemsBox.append(row);
    renumber(itemsBox);
    return row;
  }

  function addParty(values) {
    const v = values || {};
    const n = ++rowSeq;
    const row = el('div', { class: 'row party', role: 'group', 'data-kind': 'Party' });
    const role = el('select', { name: 'role' });
    for (const [value, label] of ROLES) role.append(el('option', { value, selected: value === (v.role || 'buyer') }, label));
    row.append(
      field('party-' + n + '-role', 'Role', role),
      field('party-' + n + '-name', 'Name', el('input', { type: 'text', name: 'name', value: v.name || '', autocomplete: 'off', required: true })),
      field('party-' + n + '-country', 'Country', el('input', { type: 'text', class: 'code', name: 'country', maxlength: 2, value: v.country || '', autocomplete: 'off', spellcheck: 'false' })),
      removeButton(row, 'party'));
    partiesBox.append(row);
    renumber(partiesBox);
    return row;
  }

  regime.addEventListener('change', () => {
    for (const c of itemsBox.querySelectorAll('input[name="currency"]')) {
      if (!c.dataset.touched) c.value = CURRENCY[regime.value] || '';
    }
  });
  document.getElementById('add-item').addEventListener('click', () => addItem().querySelector('input').focus());
  document.getElementById('add-party').addEventListener('click', () => addParty().querySelector('input').focus());

  /* A validation problem: the message and the field to focus. */
  class Invalid extends Error {
    constructor(message, input) { super(message); this.input = input; }
  }

  function number(input, what) {
    const s = input.value.trim();
    if (s === '') return undefined;
    const x = Number(s);
    if (!Number.isFinite(x) || x < 0) throw new Invalid(what + ' must be a number of zero or more.', input);
    return x;
  }

  function shipment() {
    const dest = destination.value.trim().toUpperCase();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) throw new Invalid('Enter the shipment date.', dateInput);
    if (!/^[A-Z]{2}$/.test(dest)) throw new Invalid('Enter the destination as a two-letter ISO country code, such as KR.', destination);
    const items = [];
    itemsBox.querySelectorAll('.row').forEach((row, i) => {
      const get = (name) => row.querySelector('[name="' + name + '"]');
      const code = get('item').value.trim();
      if (!code) throw new Invalid('Item ' + (i + 1) + ': enter the item code (or "none").', get('item'));
      const item = { item: code };
      const desc = get('description').value.trim();
      if (desc) item.description = desc;
      const q = number(get('quantity'), 'Item ' + (i + 1) + ': the quantity');
      if (q !== undefined) item.quantity = q;
      const v = number(get('value'), 'Item ' + (i + 1) + ': the value');
      if (v !== undefined) item.value = v;
      const cur = get('currency').value.trim().toUpperCase();
      if (cur && !/^[A-Z]{3}$/.test(cur)) throw new Invalid('Item ' + (i + 1) + ': the currency is a three-letter code, such as JPY.', get('currency'));
      if (cur) item.currency = cur;
      items.push(item);
    });
    if (!items.length) throw new Invalid('Add at least one item.', document.getElementById('add-item'));
    const parties = [];
    partiesBox.querySelectorAll('.row').forEach((row, i) => {
      const get = (name) => row.querySelector('[name="' + name + '"]');
      const name = get('name').value.trim();
      if (!name) throw new Invalid('Party ' + (i + 1) + ': enter the name, or remove the party.', get('name'));
      const country = get('country').value.trim().toUpperCase();
      if (country && !/^[A-Z]{2}$/.test(country)) throw new Invalid('Party ' + (i + 1) + ': the country is a two-letter ISO code.', get('country'));
      const party = { role: get('role').value, name };
      if (country) party.country = country;
      parties.push(party);
    });
    return {
      regime: regime.value,
      date: dateInput.value,
      destination: dest,
      end_use_concern: document.getElementById('end-use-concern').checked,
      items,
      parties,
    };
  }

  /* ---- the result ----------------------------------------------------- */

  /* Text with its http(s) addresses as links. */
  function linkify(text) {
    const frag = document.createDocumentFragment();
    const re = /https?:\/\/[^\s)<>"]+/g;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      frag.append(text.slice(last, m.index));
      frag.append(el('a', { href: m[0], rel: 'noopener noreferrer', target: '_blank' }, m[0]));
      last = m.index + m[0].length;
    }
    frag.append(text.slice(last));
    return frag;
  }

  function period(r) {
    if (r.from && r.to) return r.from + ' to ' + r.to;
    if (r.from) return 'from ' + r.from;
    if (r.to) return 'until ' + r.to;
    return 'not dated';
  }

  function badge(kind, text) { return el('span', { class: 'outcome ' + kind }, text); }

  /* One item of the answer: {"line", "input": {...}, "determination": {...}}. */
  function renderItem(x) {
    const it = x.determination;
    const input = x.input;
    const box = el('div', { class: 'result-item' });
    const title = el('h3', {}, el('span', { class: 'code' }, it.item));
    if (it.regime_item && it.regime_item !== it.item) title.append(' (' + it.regime_item + ')');
    if (it.description) title.append(' · ' + it.description);
    box.append(el('div', { class: 'result-head' }, title,
      badge(it.outcome, OUTCOME[it.outcome] || it.outcome)));
    const line = [];
    if (input.description) line.push(input.description);
    if (input.quantity !== undefined) line.push('quantity ' + input.quantity);
    if (input.value !== undefined) line.push('value ' + input.value + (input.currency ? ' ' + input.currency : ''));
    if (line.length) box.append(el('p', { class: 'meta' }, 'Line ' + x.line + ': ' + line.join(', ')));

    const opts = it.licence_options || [];
    if (it.outcome === 'licence_required') {
      const p = el('p', { class: 'options' }, el('strong', {}, opts.length === 1 ? 'Licence option: ' : 'Licence options: '));
      if (!opts.length) p.append('none known to the data');
      for (const o of opts) p.append(el('span', { class: 'opt', 'data-option': o }, LICENCE[o] || o));
      box.append(p);
    }

    const reasons = it.reasons || [];
    if (!reasons.length) {
      box.append(el('p', { class: 'empty' }, 'No reasons given.'));
      return box;
    }
    const body = el('tbody');
    for (const r of reasons) {
      const decisive = it.decisive_rule && r.rule === it.decisive_rule;
      body.append(el('tr', { class: decisive ? 'decisive' : null },
        el('td', { class: 'rule' }, r.rule || ''),
        el('td', { class: 'text' }, r.text || ''),
        el('td', { class: 'period', title: 'The rule applies from the first date up to, not including, the second.' }, period(r)),
        el('td', { class: 'source' }, linkify(r.source || ''))));
    }
    box.append(el('table', { class: 'reasons' },
      el('caption', { class: 'hint' }, 'Reasons for ' + it.item),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Rule'), el('th', { scope: 'col' }, 'What it says'),
        el('th', { scope: 'col' }, 'Period'), el('th', { scope: 'col' }, 'Source'))),
      body));
    return box;
  }

  /* One party of the answer: {"line", "input": {...}, "may_be_listed",
   * "screening": {"query", "threshold", "matches": [...]}}. */
  function renderParty(x) {
    const p = x.input;
    const { matches, threshold } = x.screening;
    const box = el('div', { class: 'result-party' });
    const role = (ROLES.find(([v]) => v === p.role) || [null, p.role])[1];
    const title = el('h3', {}, role + ': ' + p.name);
    if (p.country) title.append(' (' + p.country + ')');
    box.append(el('div', { class: 'result-head' }, title,
      matches.length ? badge('match', matches.length === 1 ? '1 possible match' : matches.length + ' possible matches')
        : badge('no_match', 'No match')));
    if (!matches.length) {
      box.append(el('p', { class: 'empty' },
        'No entry of any list scored at or above the threshold (' + threshold + ').'));
      return box;
    }
    const body = el('tbody');
    for (const m of matches) {
      const name = el('td', { class: 'name' }, m.name || '');
      if (m.matched_name && m.matched_name !== m.name) name.append(el('div', { class: 'hint' }, 'matched: ' + m.matched_name));
      if (m.type) name.append(el('div', { class: 'hint' }, m.type + (m.programs && m.programs.length ? ' · ' + m.programs.join(', ') : '')));
      body.append(el('tr', {},
        el('td', { class: 'list' }, m.list + (m.id ? ' #' + m.id : '')),
        name,
        el('td', { class: 'score' }, typeof m.score === 'number' ? m.score.toFixed(2) : String(m.score)),
        el('td', { class: 'explain' }, m.explain || '')));
    }
    box.append(el('table', { class: 'matches' },
      el('caption', { class: 'hint' }, 'Possible matches for ' + p.name + ', best first'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'List'), el('th', { scope: 'col' }, 'Listed name'),
        el('th', { scope: 'col' }, 'Score'), el('th', { scope: 'col' }, 'Why it matched'))),
      body));
    return box;
  }

  /* The answer of POST /api/v1/checks (include/exportctl/check.h): the
   * check's id, "verdict", "verdict_reasons", "regime", "destination",
   * "date", "data_version", "end_use_concern", "screened_against", "items"
   * and "parties". */
  function render(res) {
    const verdict = res.verdict;
    const [label, why] = VERDICT[verdict] || [verdict, ''];
    const banner = document.getElementById('verdict');
    banner.className = 'verdict ' + verdict;
    banner.dataset.verdict = verdict;
    document.getElementById('verdict-value').textContent = label;
    const whyBox = document.getElementById('verdict-why');
    whyBox.replaceChildren(why);
    const reasons = res.verdict_reasons || [];
    if (reasons.length) whyBox.append(el('ul', { class: 'verdict-reasons' }, ...reasons.map((r) => el('li', {}, r))));

    const meta = document.getElementById('result-meta');
    meta.replaceChildren();
    const bits = [];
    if (res.id !== undefined) bits.push('Check #' + res.id);
    bits.push('Regime ' + res.regime);
    bits.push('to ' + res.destination);
    bits.push('on ' + res.date);
    if (res.end_use_concern) bits.push('end-use concern');
    if (res.data_version) bits.push('rules data ' + res.data_version);
    if (res.screened_against) bits.push('lists as of ' + res.screened_against);
    for (const b of bits) meta.append(el('span', {}, b));

    const items = document.getElementById('result-items');
    items.replaceChildren(...(res.items || []).map(renderItem));
    const parties = document.getElementById('result-parties');
    const list = res.parties || [];
    if (list.length) parties.replaceChildren(...list.map(renderParty));
    else parties.replaceChildren(el('p', { class: 'empty' }, 'No party was given, so none was screened.'));

    const section = document.getElementById('result');
    section.hidden = false;
    const heading = document.getElementById('result-title');
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  /* ---- submit --------------------------------------------------------- */

  /* The API names a refused field as "items[2].quantity: ..." or
   * "parties[0]: ...": mark that field of that row. */
  function markField(message) {
    const m = /^(items|parties)\[(\d+)\](?:\.(\w+))?/.exec(message || '');
    if (!m) return;
    const row = (m[1] === 'items' ? itemsBox : partiesBox).querySelectorAll('.row')[Number(m[2])];
    const input = row && row.querySelector('[name="' + (m[3] || (m[1] === 'items' ? 'item' : 'name')) + '"]');
    if (!input) return;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearMessage(errorBox);
    for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
    let body;
    try {
      body = shipment();
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      showError(errorBox, e);
      if (e.input) {
        e.input.setAttribute('aria-invalid', 'true');
        e.input.focus();
      }
      return;
    }
    setBusy(form, true);
    running.textContent = 'Checking…';
    try {
      const res = await api('POST', '/checks', body, { csrf, timeoutMs: 60000 });
      render(res);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        location.assign('./?expired=1&next=' + encodeURIComponent('/check.html'));
        return;
      }
      showError(errorBox, e);
      markField(e.message);
    } finally {
      running.textContent = '';
      setBusy(form, false);
    }
  });

  /* ---- start ---------------------------------------------------------- */

  dateInput.value = today();
  addItem();
  addParty();

  me().then((u) => {
    if (!u) {
      location.replace('./?next=' + encodeURIComponent('/check.html'));
      return;
    }
    csrf = u.csrf_token;
    showUser(u);
  }).catch((e) => showError(errorBox, e));
})();
