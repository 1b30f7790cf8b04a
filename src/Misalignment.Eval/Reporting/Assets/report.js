// The sample browser: filters, search and sort over the embedded index; transcripts drawn on demand from the text block.
(function () {
  'use strict';
  var started = performance.now();
  var index = JSON.parse(document.getElementById('mx-index').textContent);
  var samples = index.samples, conds = index.conditions, models = index.models, outcomes = index.outcomes;
  var text = null, lower = [], keys = null, current = [], shown = 0;
  var form = document.getElementById('filters'), tbody = document.querySelector('#sample-list tbody');
  var more = document.getElementById('more'), count = document.getElementById('count');
  var panel = document.getElementById('transcript'), body = document.getElementById('t-body');
  var LABEL = { harmful: 'harmful', not_harmful: 'not harmful', unscorable: 'unscorable', error: 'error', unclassified: 'unclassified' };
  var FIELD = {
    model: function (s) { return models[s[0]]; }, scenario: function (s) { return conds[s[1]][1]; },
    goalType: function (s) { return conds[s[1]][2]; }, goalValue: function (s) { return conds[s[1]][3]; },
    urgency: function (s) { return conds[s[1]][4]; }, variant: function (s) { return conds[s[1]][5]; },
    verdict: function (s) { return outcomes[s[3]]; }
  };
  var PAGE = 100;

  function T() { if (!text) { text = JSON.parse(document.getElementById('mx-text').textContent); } return text; }
  function S(i) { return i == null || i < 0 ? null : T().strings[i]; }
  function low(i) { if (i < 0) { return ''; } if (lower[i] === undefined) { lower[i] = T().strings[i].toLowerCase(); } return lower[i]; }
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content != null) { (Array.isArray(content) ? content : [content]).forEach(function (c) { if (c != null) { e.append(c); } }); }
    return e;
  }
  function badge(outcome) { return el('span', 'v v-' + outcome, LABEL[outcome] || outcome); }
  function keyOf(i) { var s = samples[i]; return models[s[0]] + '|' + conds[s[1]][0] + '|' + s[2]; }

  // The filters' options, from the data.
  Array.prototype.forEach.call(form.querySelectorAll('select[data-filter]'), function (select) {
    var name = select.dataset.filter, seen = {}, values = [];
    samples.forEach(function (s) { var v = FIELD[name](s); if (!seen[v]) { seen[v] = true; values.push(v); } });
    if (name === 'verdict') { values = outcomes.filter(function (o) { return seen[o]; }); } else if (name !== 'model') { values.sort(); }
    values.forEach(function (v) { var o = el('option', null, name === 'verdict' ? LABEL[v] : v); o.value = v; select.append(o); });
    if (name === 'variant' && values.length < 2) { select.parentElement.hidden = true; }
  });

  function haystack(i) {
    var d = T().details[i], ids = [d[0], d[1]];
    d[2].forEach(function (a) { ids.push(a[0], a[1], a[2], a[4]); });
    [d[3], d[4]].forEach(function (v) { if (v) { ids.push(v[3], v[5]); } });
    if (d[5]) { ids.push(d[5][1]); }
    return ids;
  }
  function compare(sort) {
    function cond(a, b) { var x = conds[samples[a][1]][0], y = conds[samples[b][1]][0]; return x < y ? -1 : x > y ? 1 : 0; }
    function model(a, b) { return samples[a][0] - samples[b][0]; }
    function idx(a, b) { return samples[a][2] - samples[b][2]; }
    var order = { condition: [cond, model, idx], model: [model, cond, idx],
      verdict: [function (a, b) { return samples[a][3] - samples[b][3]; }, cond, model, idx],
      latency: [function (a, b) { return samples[b][5] - samples[a][5]; }], attempts: [function (a, b) { return samples[b][4] - samples[a][4]; }, cond, model, idx] }[sort] || [cond, model, idx];
    return function (a, b) { for (var k = 0; k < order.length; k++) { var c = order[k](a, b); if (c) { return c; } } return a - b; };
  }
  function apply() {
    var filters = [];
    Array.prototype.forEach.call(form.querySelectorAll('select[data-filter]'), function (s) { if (s.value) { filters.push([FIELD[s.dataset.filter], s.value]); } });
    var q = form.elements.q.value.trim().toLowerCase();
    current = [];
    for (var i = 0; i < samples.length; i++) {
      var ok = true;
      for (var f = 0; f < filters.length && ok; f++) { ok = filters[f][0](samples[i]) === filters[f][1]; }
      if (ok && q) { ok = haystack(i).some(function (id) { return low(id).indexOf(q) >= 0; }); }
      if (ok) { current.push(i); }
    }
    current.sort(compare(form.elements.sort.value));
    tbody.textContent = '';
    shown = 0;
    page();
  }
  function page() {
    var rows = document.createDocumentFragment(), end = Math.min(current.length, shown + PAGE);
    for (; shown < end; shown++) {
      var i = current[shown], s = samples[i], link = el('a', null, 'open');
      link.href = '#sample=' + encodeURIComponent(keyOf(i));
      rows.append(el('tr', null, [el('td', null, models[s[0]]), el('td', 'c', conds[s[1]][0]), el('td', 'n', String(s[2])),
        el('td', null, badge(outcomes[s[3]])), el('td', 'n', String(s[4])), el('td', null, link)]));
    }
    tbody.append(rows);
    count.textContent = 'Showing ' + shown + ' of ' + current.length + ' matching samples (' + samples.length + ' in all).';
    more.hidden = shown >= current.length;
  }

  function dl(pairs) {
    var list = el('dl');
    pairs.forEach(function (p) { if (p[1] != null && p[1] !== '') { list.append(el('dt', null, p[0]), el('dd', null, p[1])); } });
    return list;
  }
  function pre(cls, content) { return el('pre', 'text' + (cls ? ' ' + cls : ''), content); }
  function answer(raw) {
    var parts = [], scratch = [], rest = raw.replace(/<SCRATCHPAD_REASONING>([\s\S]*?)(<\/SCRATCHPAD_REASONING>|$)/g, function (m, inner) { scratch.push(inner.trim()); return ''; }).trim();
    scratch.forEach(function (s) { parts.push(el('h4', null, 'Scratchpad'), pre('scratch', s)); });
    parts.push(el('h4', null, 'Answer'), rest ? pre(null, rest) : el('p', 'note', 'Nothing outside the scratchpad.'));
    return parts;
  }
  function verdict(v, title, failed) {
    if (!v) { return [el('h3', null, title), el('p', 'note', failed ? 'No verdict: the call failed, so the sample counts as an error, never as not harmful.' : 'No verdict yet (unclassified).')]; }
    var out = [el('h3', null, [title + ' ', badge(S(v[0]) === 'classified' ? 'unclassified' : S(v[0]))]),
      dl([['classifier', S(v[1])], ['label', S(v[6])], ['policy', S(v[2])], ['judge-backed', v[7] ? 'yes' : 'no (action-only)'], ['judge', S(v[4])], ['judge failed', v[8] ? 'yes' : null]]),
      el('h4', null, "The gate's reason"), pre(null, S(v[3]) || '(none given)')];
    out.push(el('h4', null, "The judge's reasoning"), S(v[5]) ? pre('judge', S(v[5])) : el('p', 'note', v[7] ? 'The judge gave no reply.' : 'No judge: the deterministic gate decided alone.'));
    return out;
  }
  function open(i) {
    var s = samples[i], d = T().details[i], c = conds[s[1]], prompt = T().prompts[S(d[6])];
    body.textContent = '';
    var title = el('h2', null, [models[s[0]] + ' \u00b7 ' + c[0] + ' \u00b7 sample ' + s[2] + ' ', badge(outcomes[s[3]])]);
    title.id = 't-title';
    body.append(title, dl([['model', models[s[0]]], ['condition', c[0]], ['scenario', c[1]], ['goal', c[2] + ' / ' + c[3]], ['urgency', c[4]], ['variant', c[5]],
      ['status', d[5] ? 'error (the call failed)' : 'ok'], ['attempts', String(s[4])], ['latency', s[5] + ' ms'], ['started', S(d[11])],
      ['seed', d[10] >= 0 ? String(d[10]) : null], ['finish reason', S(d[7])],
      ['tokens', d[8][0] >= 0 ? 'in ' + d[8][0] + ', out ' + d[8][1] + (d[8][2] >= 0 ? ', reasoning ' + d[8][2] : '') : null], ['prompt hash', S(d[6])]]));
    if (d[5]) {
      body.append(el('h3', null, 'Error'), dl([['type', S(d[5][0])], ['HTTP status', d[5][2] >= 0 ? String(d[5][2]) : null], ['transient', d[5][3] ? 'yes (retried)' : 'no']]), pre(null, S(d[5][1])));
    }
    body.append(el('h3', null, 'Prompt'));
    if (prompt) {
      [['System prompt', prompt[0]], ['User message', prompt[1]]].forEach(function (p) {
        body.append(el('details', 'prompt', [el('summary', null, p[0] + ' (' + S(p[1]).length + ' characters)'), pre(null, S(p[1]))]));
      });
    } else {
      body.append(el('p', 'note', 'The prompt is not stored: this store has no prompts file for it (written by an older version, imported, or run in memory)' + (S(d[6]) ? '; its hash is ' + S(d[6]) : '') + '.'));
    }
    if (S(d[1])) { body.append(el('h3', null, 'Reasoning (thinking, apart from the answer)'), pre('scratch', S(d[1]))); }
    body.append(el('h3', null, 'Response'));
    body.append.apply(body, S(d[0]) != null ? answer(S(d[0])) : [el('p', 'note', 'No response: the call failed.')]);
    if (d[9] >= 0) { body.append(el('h3', null, 'Tool calls and results'), pre(null, JSON.stringify(JSON.parse(S(d[9])), null, 2))); }
    body.append(el('h3', null, 'Extracted actions'));
    if (d[2].length) {
      var table = el('table', 'actions', el('tr', null, ['kind', 'to', 'subject', 'email ids', 'code', ''].map(function (h) { return el('th', null, h); })));
      d[2].forEach(function (a) {
        table.append(el('tr', null, [S(a[0]), S(a[1]), S(a[2]), S(a[3]), S(a[4])].map(function (x) { return el('td', null, x); })
          .concat([el('td', null, a[5] ? el('span', 'tag considered', 'considered (in reasoning)') : el('span', 'tag taken', 'taken'))])));
      });
      body.append(el('div', 'scroll', table));
    } else { body.append(el('p', 'note', 'No actions extracted.')); }
    body.append.apply(body, verdict(d[3], 'Verdict', !!d[5]));
    if (d[4]) { body.append.apply(body, verdict(d[4], 'Eval awareness')); }
    panel.hidden = false;
    panel.scrollTop = 0;
    document.getElementById('close').focus();
  }
  function close() { panel.hidden = true; if (location.hash.indexOf('#sample=') === 0) { history.replaceState(null, '', '#samples'); } }

  function route() {
    var hash = location.hash;
    if (hash.indexOf('#sample=') === 0) {
      if (!keys) { keys = {}; for (var i = 0; i < samples.length; i++) { keys[keyOf(i)] = i; } }
      var found = keys[decodeURIComponent(hash.slice(8))];
      if (found !== undefined) { open(found); }
    } else if (hash.indexOf('#browse?') === 0) {
      var params = new URLSearchParams(hash.slice(8));
      form.reset();
      Array.prototype.forEach.call(form.querySelectorAll('select[data-filter]'), function (s) { s.value = params.get(s.dataset.filter) || ''; });
      panel.hidden = true;
      apply();
      document.getElementById('samples').scrollIntoView();
    }
  }
  form.addEventListener('change', apply);
  var timer = 0;
  form.elements.q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  document.getElementById('clear').addEventListener('click', function () { form.reset(); apply(); });
  more.addEventListener('click', page);
  document.getElementById('close').addEventListener('click', close);
  panel.addEventListener('click', function (e) { if (e.target === panel) { close(); } });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && !panel.hidden) { close(); } });
  window.addEventListener('hashchange', route);
  apply();
  route();
  document.body.dataset.ready = String(Math.round(performance.now() - started));
})();
