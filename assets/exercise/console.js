// stce exercise console: the little JavaScript the server-rendered pages need.
// Sorting and filtering tables, the capacity counter (an over-capacity pick is refused
// here, and by the server), posting decisions and facilitator actions to the JSON API
// with its errors shown in words, and live updates: every 2 s the page fetches itself
// and swaps in the sections marked data-live that changed on the server. A section
// with data-key (a team's work form) is swapped only when its key changes (a new turn),
// so choices not yet submitted survive the polling.
(() => {
  'use strict';
  const $ = (s, r = document) => r.querySelector(s);
  const $$ = (s, r = document) => Array.from(r.querySelectorAll(s));
  const POLL_MS = 2000;

  // ---- messages -------------------------------------------------------------
  let sayTimer = null;
  let saidAt = 0;
  function say(text, kind) {
    const m = $('#messages');
    if (!m) return;
    saidAt = Date.now();
    m.textContent = text;
    m.className = kind;
    clearTimeout(sayTimer);
    if (kind === 'ok') sayTimer = setTimeout(() => { m.textContent = ''; m.className = ''; }, 8000);
  }

  // ---- the JSON API -----------------------------------------------------------
  async function api(method, path, body) {
    let resp;
    try {
      resp = await fetch(path, {
        method,
        cache: 'no-store',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new Error('The exercise server did not answer (' + e.message + '). Is "stce exercise" still running?');
    }
    const text = await resp.text();
    let data = null;
    try { data = JSON.parse(text); } catch (_) { /* not JSON: reported below */ }
    if (!resp.ok) {
      if (data && data.message) throw new Error(data.message);
      throw new Error('The server refused the request (HTTP ' + resp.status + ')' + (text ? ': ' + text.slice(0, 200) : '.'));
    }
    return data;
  }
  const base = () => ($('#state') || document.body).dataset.api;
  const turn = () => Number(($('#status') || {}).dataset ? $('#status').dataset.turn : 0);
  const isOpen = () => { const s = $('#status'); return !!s && s.dataset.phase === 'open'; };

  function applyPhase() {
    $$('[data-needs-open]').forEach((b) => { if (!b.dataset.busy) b.disabled = !isOpen(); });
  }

  // ---- live updates -----------------------------------------------------------
  const served = new Map(); // id -> the server's HTML of that section when last seen
  function remember(root) {
    $$('[data-live]', root).forEach((el) => { if (el.id) served.set(el.id, el.outerHTML); });
    if (root.matches && root.matches('[data-live]') && root.id) served.set(root.id, root.outerHTML);
  }
  let polling = false;
  let failing = false;
  async function refresh() {
    if (polling) return;
    polling = true;
    try {
      let resp;
      try {
        resp = await fetch(location.href, { cache: 'no-store' });
      } catch (e) {
        throw new Error('the exercise server does not answer');
      }
      const html = await resp.text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      if (!resp.ok) {
        const why = doc.querySelector('.notice');
        throw new Error(why ? why.textContent.trim() : 'HTTP ' + resp.status);
      }
      for (const fresh of doc.querySelectorAll('[data-live]')) {
        const cur = fresh.id && document.getElementById(fresh.id);
        if (!cur) continue;
        const keyed = fresh.dataset.key !== undefined;
        const changed = keyed ? fresh.dataset.key !== cur.dataset.key : served.get(fresh.id) !== fresh.outerHTML;
        if (!changed) continue;
        const focused = document.activeElement;
        const refocus = cur.contains(focused) && focused ? (focused.id || focused.dataset.action || null) : null;
        const newTurn = keyed && cur.dataset.turn !== fresh.dataset.turn;
        // A blue team's unsent choices are carried over a re-render within the turn; a
        // red team's form is re-rendered only to show the orders it just gave.
        const carry = keyed && !newTurn && !cur.classList.contains('red') ? snapshot(cur) : null;
        const node = document.adoptNode(fresh);
        cur.replaceWith(node);
        remember(node);
        if (carry) restore(node, carry);
        if (refocus) {
          const again = document.getElementById(refocus) || $('[data-action="' + refocus + '"]', node);
          if (again) again.focus();
        }
        if (newTurn) afterNewWork();
        // A new phase or turn makes an earlier refusal stale, and a confirmation too
        // unless it was just said (the facilitator's own "turn closed").
        else if (fresh.id === 'status') {
          const m = $('#messages');
          if (m && (m.className === 'error' || Date.now() - saidAt > 3000)) say('', '');
        }
      }
      if (failing) say('Live updates are back.', 'ok');
      failing = false;
    } catch (e) {
      failing = true;
      say('Live updates stopped: ' + e.message + '. Retrying every few seconds…', 'error');
    } finally {
      polling = false;
      applyPhase();
      recount();
    }
  }

  // ---- team: capacity counter ---------------------------------------------------
  const picks = (office) => $$('input.pick').filter((c) => !office || c.dataset.office === office);
  function recount() {
    $$('.counter').forEach((el) => {
      const office = el.dataset.office;
      const max = Number(el.dataset.max);
      const n = picks(office).filter((c) => c.checked).length;
      el.querySelector('.n').textContent = String(n);
      el.classList.toggle('full', n >= max);
      $$('.left-n').filter((l) => l.dataset.office === office).forEach((l) => { l.textContent = String(max - n); });
    });
    $$('input.pick').forEach((c) => { const tr = c.closest('tr'); if (tr) tr.classList.toggle('chosen', c.checked); });
  }
  function refuseOverCapacity(box) {
    const office = box.dataset.office;
    const counter = $$('.counter').find((el) => el.dataset.office === office);
    if (!counter) return;
    const max = Number(counter.dataset.max);
    const n = picks(office).filter((c) => c.checked).length;
    if (n > max) {
      box.checked = false;
      say('Over capacity at ' + office + ': its officer-hours buy ' + max + ' inspection' + (max === 1 ? '' : 's') +
          ' this turn, and ' + max + ' are already selected. Unselect one before picking another.', 'error');
    }
  }

  // Within a turn the work form is re-rendered when capacity changes (an inject): keep
  // the team's choices, cut to the new capacity, and say so.
  function snapshot(form) {
    return {
      picked: $$('input.pick', form).filter((c) => c.checked).map((c) => c.value),
      filter: ($('#filter', form) || {}).value,
      office: ($('#office-filter', form) || {}).value,
      drafts: $$('#alert-drafts li', form),
    };
  }
  function restore(form, carry) {
    if (carry.filter !== undefined && $('#filter', form)) $('#filter', form).value = carry.filter;
    if (carry.office !== undefined && $('#office-filter', form)) $('#office-filter', form).value = carry.office;
    const list = $('#alert-drafts', form);
    if (list && carry.drafts.length) { list.textContent = ''; carry.drafts.forEach((li) => list.append(li)); }
    const dropped = [];
    for (const id of carry.picked) {
      const box = $$('input.pick', form).find((c) => c.value === id);
      if (!box) continue;
      const counter = $$('.counter', form).find((el) => el.dataset.office === box.dataset.office);
      const max = counter ? Number(counter.dataset.max) : Infinity;
      if (picks(box.dataset.office).filter((c) => c.checked).length < max) box.checked = true;
      else dropped.push(id);
    }
    recount();
    filterRows();
    say(dropped.length
      ? 'Capacity changed: ' + dropped.length + ' of your selections no longer fit and were unselected (' + dropped.join(', ') + ').'
      : 'Your offices\' capacity changed: see the counters.', dropped.length ? 'error' : 'ok');
  }

  // ---- tables: sort and filter ---------------------------------------------------
  function sortBy(btn) {
    const th = btn.closest('th');
    const table = th.closest('table');
    const idx = Array.from(th.parentNode.children).indexOf(th);
    const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    $$('thead th[aria-sort]', table).forEach((h) => h.setAttribute('aria-sort', 'none'));
    th.setAttribute('aria-sort', dir);
    const num = btn.dataset.type === 'num';
    const key = (row) => {
      const cell = row.cells[idx];
      const v = cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent.trim();
      return num ? Number(v) : v.toLowerCase();
    };
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = key(a); const y = key(b);
      const r = num ? x - y : x.localeCompare(y);
      return dir === 'ascending' ? r : -r;
    });
    rows.forEach((r) => body.appendChild(r));
  }
  function filterRows() {
    const input = $('#filter');
    if (!input) return;
    const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const office = ($('#office-filter') || { value: '' }).value;
    let shown = 0; let total = 0;
    $$('#decl-table tbody tr').forEach((r) => {
      total += 1;
      const ok = (!office || r.dataset.office === office) && words.every((w) => r.dataset.search.includes(w));
      r.hidden = !ok;
      if (ok) shown += 1;
    });
    const out = $('#shown');
    if (out) out.textContent = words.length || office ? shown + ' of ' + total + ' shown' : '';
  }

  // ---- team: alerts to send with the submission ----------------------------------
  function addAlert() {
    const to = $('#alert-to').value;
    const declaration = $('#alert-decl').value.trim() || null;
    const traders = $('#alert-traders').value.split(/[\s,;]+/).filter(Boolean);
    const note = $('#alert-note').value.trim();
    if (!to) { say('Choose the team the alert goes to.', 'error'); return; }
    if (!declaration && traders.length === 0) {
      say('An alert must name a declaration, an exporter or a consignee.', 'error');
      return;
    }
    const draft = { to, declaration, traders, note };
    const li = document.createElement('li');
    li.dataset.alert = JSON.stringify(draft);
    li.append('To ');
    const b = document.createElement('strong'); b.textContent = to; li.append(b, ': ' + [declaration || '', traders.join(', ')].join(' ') + ' ');
    const em = document.createElement('em'); em.textContent = note; li.append(em, ' ');
    const rm = document.createElement('button'); rm.type = 'button'; rm.className = 'remove'; rm.textContent = 'Remove';
    li.append(rm);
    $('#alert-drafts').append(li);
    ['#alert-decl', '#alert-traders', '#alert-note'].forEach((s) => { $(s).value = ''; });
    say('Alert to ' + to + ' added: it goes with your next submission.', 'ok');
  }

  async function submitWork(form) {
    const button = $('#submit', form);
    button.dataset.busy = '1';
    button.disabled = true;
    try {
      if (form.classList.contains('red')) {
        const route = (form.querySelector('input[name="route"]:checked') || { value: '' }).value;
        const orders = {
          turn: Number(form.dataset.turn),
          route: route === '' ? null : Number(route),
          concealment: $('#concealment', form).value || null,
          front_company: $('#front', form).value || null,
        };
        const ack = await api('POST', base() + '/orders', orders);
        say(ack.message || 'Orders recorded.', 'ok');
      } else {
        const inspect = $$('input.pick', form).filter((c) => c.checked).map((c) => c.value);
        const alerts = $$('#alert-drafts li', form).map((li) => JSON.parse(li.dataset.alert));
        const ack = await api('POST', base() + '/decisions', { turn: Number(form.dataset.turn), inspect, alerts });
        const per = (ack.inspections || []).map(([o, n]) => n + ' at ' + o).join(', ');
        say('Submitted for turn ' + ack.turn + ': ' + (per || 'no inspections') +
            (alerts.length ? ', ' + alerts.length + ' alert' + (alerts.length === 1 ? '' : 's') : '') + '. ' + (ack.message || ''), 'ok');
        button.textContent = 'Submit again';
      }
    } catch (e) {
      say('Not submitted: ' + e.message, 'error');
    } finally {
      delete button.dataset.busy;
      applyPhase();
      refresh();
    }
  }

  function afterNewWork() {
    filterRows();
    recount();
    const s = $('#status');
    if (s && s.dataset.phase === 'open') say('Turn ' + s.dataset.turn + ' is open: new declarations below.', 'ok');
  }

  // ---- facilitator ---------------------------------------------------------------
  async function act(btn) {
    const what = btn.dataset.action;
    btn.dataset.busy = '1';
    btn.disabled = true;
    try {
      if (what === 'advance') {
        const r = await api('POST', base() + '/advance', { turn: Number(btn.dataset.turn) });
        say('Turn ' + r.closed + ' closed in ' + Math.round(r.sim_ms) + ' ms' +
            (r.defaulted.length ? '; defaulted: ' + r.defaulted.join(', ') : '; every team had submitted') +
            (r.status.phase === 'finished' ? '. That was the last turn.' : '. Turn ' + r.status.turn + ' is open.'), 'ok');
      } else if (what === 'pause') {
        const paused = btn.dataset.paused === 'true';
        await api('POST', base() + '/pause', { paused });
        say(paused ? 'Paused: teams cannot submit until you resume.' : 'Resumed.', 'ok');
      } else if (what === 'fire') {
        const ack = await api('POST', base() + '/inject', { name: btn.dataset.name });
        say(ack.message || 'Inject ' + btn.dataset.name + ' fired.', 'ok');
      } else if (what === 'debrief') {
        await api('POST', base() + '/debrief');
        say('The debrief is open for every team.', 'ok');
      }
    } catch (e) {
      say('Refused: ' + e.message, 'error');
    } finally {
      delete btn.dataset.busy;
      btn.disabled = false;
      applyPhase();
      refresh();
    }
  }

  function adhocFields() {
    const kind = $('#adhoc-kind');
    if (!kind) return;
    $$('#adhoc-form label[data-for]').forEach((l) => { l.hidden = !l.dataset.for.split(' ').includes(kind.value); });
  }
  async function fireAdhoc(form) {
    const f = (n) => form.elements[n].value.trim();
    const kind = f('kind');
    const num = (n, what) => {
      const v = Number(f(n));
      if (f(n) === '' || !Number.isFinite(v)) throw new Error(what + ' must be a number.');
      return v;
    };
    try {
      let event;
      if (kind === 'Publicity') event = 'Publicity';
      else if (kind === 'IntelligenceTip') {
        if (!f('network')) throw new Error('Name the network the tip is about.');
        event = { IntelligenceTip: { network: f('network'), coverage: num('coverage', 'The share of fronts known') } };
      } else if (kind === 'CapacityChange') {
        if (!f('node') && !f('country')) throw new Error('Give a port code or a country.');
        event = { CapacityChange: { node: f('node') || null, country: f('country') || null, factor: num('factor', 'The capacity factor'), days: num('days', 'Days') } };
      } else {
        if (!f('node')) throw new Error('Give the port code.');
        event = { [kind]: { node: f('node'), days: num('days', 'Days') } };
      }
      const ack = await api('POST', base() + '/inject', { event, description: f('description') });
      say(ack.message || 'Ad-hoc inject fired.', 'ok');
      refresh();
    } catch (e) {
      say('Inject not fired: ' + e.message, 'error');
    }
  }

  // ---- wiring (delegated, so swapped sections need nothing re-attached) -------------
  document.addEventListener('change', (e) => {
    const t = e.target;
    if (t.matches('input.pick')) {
      if (t.checked) refuseOverCapacity(t);
      recount();
    } else if (t.matches('#office-filter')) filterRows();
    else if (t.matches('#adhoc-kind')) adhocFields();
  });
  document.addEventListener('input', (e) => { if (e.target.matches('#filter')) filterRows(); });
  document.addEventListener('click', (e) => {
    const t = e.target.closest('button');
    if (!t) return;
    if (t.matches('button.sort')) sortBy(t);
    else if (t.matches('#alert-add')) addAlert();
    else if (t.matches('#alert-drafts button.remove')) t.closest('li').remove();
    else if (t.dataset.action) act(t);
  });
  document.addEventListener('submit', (e) => {
    e.preventDefault();
    if (e.target.id === 'work') submitWork(e.target);
    else if (e.target.id === 'adhoc-form') fireAdhoc(e.target);
  });
  // Enter in the alert fields adds the alert rather than submitting the turn.
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.closest && e.target.closest('.alert-form') && e.target.closest('#work')) {
      e.preventDefault();
      addAlert();
    }
  });

  remember(document);
  adhocFields();
  applyPhase();
  recount();
  filterRows();
  if (document.body.dataset.page !== 'refusal') setInterval(refresh, POLL_MS);
})();
