// The command-centre page of xzqh-server: a treemap of one level of the
// hierarchy from GET /rollup/{code}, the live escalations from
// /escalations and /escalations/stream, a unit search and a routing form.
// Plain JavaScript, no framework, nothing fetched but the server's own API.
// Everything shown is bounded: one level of the hierarchy at a time and
// capped lists, so 44k units and 100k open matters never reach the DOM.
'use strict';

(() => {
  const MAX_TILES = 500; // tiles drawn for one level (a level has ~60 at most)
  const MAX_ESCALATIONS = 50; // rows kept in the live list
  const MAX_CANDIDATES = 30; // units listed for an ambiguous search
  const MAX_DESKS = 60;
  const MAX_TRACE = 200;
  const MAX_PLACES = 20; // lines read from the routing form
  const FETCH_TIMEOUT_MS = 10000;

  const $ = (id) => document.getElementById(id);

  const CATEGORY_LABELS = {
    neighbour_dispute: '邻里纠纷',
    community_service: '社区服务',
    urban_management: '城市管理',
    public_complaint: '一般诉求',
    labour_dispute: '劳动保障',
    environment: '生态环境',
    land_planning: '规划国土',
    petition: '信访',
    emergency: '突发事件',
    local_legislation: '地方立法',
  };
  const SEVERITY_LABELS = {
    general: '一般',
    major: '较大',
    serious: '重大',
    especially_serious: '特别重大',
  };
  const RULE_LABELS = {
    spread: '跨区扩散',
    severity: '等级升高',
    scale: '人数增多',
    category: '类别所需',
    burst: '短时集中',
    repetition: '重复督办',
    accept_overdue: '超时未签收',
    resolve_overdue: '超时未办结',
    deadline: '超时',
    deescalation: '下放',
  };
  const LEVEL_LABELS = {
    national: '国家级',
    provincial: '省级',
    prefectural: '地级',
    county: '县级',
    township: '乡级',
    village: '村级',
  };
  const DESIGNATION_LABELS = { local_legislation: '地方立法权' };

  // ---- small helpers ----

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  // 12,345: by hand, as the first toLocaleString costs tens of ms of locale
  // loading on the page's critical path.
  const num = (n) => (Number.isFinite(n) ? String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : '0');
  const clip = (s, n) => {
    s = String(s ?? '');
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  };

  class ApiError extends Error {
    constructor(status, message, kind) {
      super(message);
      this.status = status;
      this.kind = kind;
    }
  }

  // The page's first requests, started by index.html's head while this
  // script and the stylesheet load: taken once, by path.
  function takeEarly(path) {
    const early = window.xzqhEarly;
    if (!early || !early[path]) return null;
    const p = early[path];
    delete early[path];
    return p;
  }

  // GET or POST JSON with a timeout; a 4xx/5xx becomes an ApiError that
  // carries the server's (bounded) message.
  async function api(path, body) {
    let r = body === undefined ? await takeEarly(path) : null;
    if (!r) r = await send(path, body);
    let data = null;
    try {
      data = r.text ? JSON.parse(r.text) : null;
    } catch (_) {
      data = null;
    }
    if (!r.ok) {
      const msg = data && typeof data.error === 'string' ? data.error : `HTTP ${r.status}`;
      throw new ApiError(r.status, clip(msg, 300), data && data.kind);
    }
    return data;
  }

  async function send(path, body) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
    try {
      const init = { signal: ctl.signal, headers: { accept: 'application/json' } };
      if (body !== undefined) {
        init.method = 'POST';
        init.headers['content-type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      try {
        const res = await fetch(path, init);
        return { ok: res.ok, status: res.status, text: await res.text() };
      } catch (e) {
        throw new ApiError(0, ctl.signal.aborted ? '服务器无响应（超时）' : '无法连接服务器', 'network');
      }
    } finally {
      clearTimeout(timer);
    }
  }

  // A level's name (`township`) as read; a bare number as a rank.
  const levelText = (l) => (typeof l === 'string' ? LEVEL_LABELS[l] || l : l === undefined ? '' : `第 ${l} 级`);
  const unitName = (u) => (u ? u.name || u.code : '？');
  const ruleName = (r) => (r && typeof r === 'object' ? r.rule : r) || '';
  // An escalation's rule as read: a deadline says which one it missed.
  function ruleLabel(e) {
    const rule = ruleName(e.rule);
    if (rule === 'deadline' && e.deadline === 'accept') return RULE_LABELS.accept_overdue;
    if (rule === 'deadline' && e.deadline === 'resolve') return RULE_LABELS.resolve_overdue;
    return RULE_LABELS[rule] || rule;
  }

  // ---- the treemap ----

  // Squarified treemap (Bruls, Huizing, van Wijk): items sorted by value,
  // laid in rows along the shorter side while the worst aspect ratio of
  // the row improves. Returns [{item, x, y, w, h}].
  function squarify(items, x, y, w, h) {
    const out = [];
    const total = items.reduce((s, it) => s + it.value, 0);
    if (!items.length || total <= 0 || w <= 0 || h <= 0) return out;
    const scale = (w * h) / total;
    const areas = items.map((it) => it.value * scale);
    let i = 0;
    while (i < items.length) {
      const side = Math.min(w, h);
      let rowSum = 0;
      let rowMin = Infinity;
      let rowMax = 0;
      let j = i;
      let worst = Infinity;
      while (j < items.length) {
        const a = areas[j];
        const s = rowSum + a;
        const mn = Math.min(rowMin, a);
        const mx = Math.max(rowMax, a);
        const s2 = side * side;
        const wr = Math.max((s2 * mx) / (s * s), (s * s) / (s2 * mn));
        if (j > i && wr > worst) break;
        worst = wr;
        rowSum = s;
        rowMin = mn;
        rowMax = mx;
        j++;
      }
      // lay items i..j-1 along the shorter side
      if (w >= h) {
        const colW = rowSum / h;
        let yy = y;
        for (let k = i; k < j; k++) {
          const hh = areas[k] / colW;
          out.push({ item: items[k], x, y: yy, w: colW, h: hh });
          yy += hh;
        }
        x += colW;
        w -= colW;
      } else {
        const rowH = rowSum / w;
        let xx = x;
        for (let k = i; k < j; k++) {
          const ww = areas[k] / rowH;
          out.push({ item: items[k], x: xx, y, w: ww, h: rowH });
          xx += ww;
        }
        y += rowH;
        h -= rowH;
      }
      i = j;
    }
    return out;
  }

  // Colour: lightness by open matters (square root of the share of the
  // busiest sibling's), hue from amber to red by the share of open cases
  // overdue (red from half of them).
  function tileColour(c, maxOpen) {
    const open = c.open_matters || 0;
    // grey only for a unit with nothing open at all (a unit's cases may be
    // open under a matter handled above it)
    if (open <= 0 && !(c.open_cases > 0)) return { fill: '#e4ece4', ink: '#1d232b' };
    const share = c.open_cases ? Math.min(1, (c.overdue_cases || 0) / c.open_cases) : 0;
    const hue = Math.round(48 * (1 - Math.min(1, share * 2)));
    const t = maxOpen > 0 ? Math.sqrt(open / maxOpen) : 0;
    const light = Math.round(84 - 36 * t - (share > 0 ? 4 : 0));
    return { fill: `hsl(${hue} 85% ${light}%)`, ink: light < 58 ? '#fff' : '#1d232b' };
  }

  function countsText(c) {
    return `未结事项 ${num(c.open_matters)}，未结案件 ${num(c.open_cases)}，逾期 ${num(c.overdue_cases)}`;
  }

  const map = {
    code: null,
    data: null,
    seq: 0, // guards against an older answer drawing over a newer one
    focusNext: false,
  };

  // The picture's coordinates: wide, or tall on a narrow screen. The SVG
  // scales to its box, so nothing is measured (a forced layout before the
  // first paint cost more than the drawing).
  const narrow = window.matchMedia('(max-width: 599px)');
  const mapSize = () => (narrow.matches ? { w: 360, h: 450 } : { w: 900, h: 540 });

  function drawMap() {
    const d = map.data;
    const box = $('map');
    if (!d) return;
    const { w: W, h: H } = mapSize();
    const children = Array.isArray(d.children) ? d.children : [];
    const shown = children
      .slice()
      .sort((a, b) => (b.counts?.open_cases || 0) - (a.counts?.open_cases || 0) ||
        (b.counts?.open_matters || 0) - (a.counts?.open_matters || 0) ||
        String(a.unit.code).localeCompare(String(b.unit.code)))
      .slice(0, MAX_TILES);
    // Every unit gets at least a floor of area: a unit with no open case
    // stays visible and clickable.
    const total = shown.reduce((s, c) => s + (c.counts?.open_cases || 0), 0);
    const floor = Math.max(1, total / (2 * Math.max(1, shown.length)));
    const items = shown.map((c) => ({ c, value: Math.max(c.counts?.open_cases || 0, floor) }));
    const maxOpen = shown.reduce((m, c) => Math.max(m, c.counts?.open_matters || 0), 0);
    const svg = svgEl('svg', {
      xmlns: SVG_NS,
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      role: 'group',
      'aria-label': `${unitName(d.unit)}的下级区划（${shown.length} 个）`,
    });
    const frag = document.createDocumentFragment();
    for (const r of squarify(items, 0, 0, W, H)) {
      const c = r.item.c;
      const u = c.unit;
      const col = tileColour(c.counts || {}, maxOpen);
      const g = svgEl('g', {
        class: c.has_children ? 'tile' : 'tile leaf',
        'data-code': u.code,
        tabindex: 0,
        role: 'button',
        'aria-label': `${u.name}：${countsText(c.counts || {})}${c.has_children ? '' : '（无下级）'}`,
      });
      const rect = svgEl('rect', {
        x: r.x.toFixed(1),
        y: r.y.toFixed(1),
        width: Math.max(0, r.w).toFixed(1),
        height: Math.max(0, r.h).toFixed(1),
        fill: col.fill,
      });
      const title = svgEl('title');
      title.textContent = `${u.name}（${u.kind_label || u.kind || ''}）\n${countsText(c.counts || {})}`;
      g.append(title, rect);
      if (r.w >= 34 && r.h >= 18) {
        const fit = Math.max(1, Math.floor((r.w - 8) / 13));
        const t = svgEl('text', { x: (r.x + 4).toFixed(1), y: (r.y + 15).toFixed(1), fill: col.ink });
        t.textContent = clip(u.name, fit);
        g.append(t);
        if (r.h >= 34 && r.w >= 48) {
          const o = c.counts || {};
          const t2 = svgEl('text', { class: 'n', x: (r.x + 4).toFixed(1), y: (r.y + 30).toFixed(1), fill: col.ink });
          t2.textContent = clip(`${num(o.open_cases)} 件 · 逾期 ${num(o.overdue_cases)}`, Math.floor((r.w - 8) / 6.5));
          g.append(t2);
        }
      }
      frag.append(g);
    }
    svg.append(frag);
    // a redraw (live refresh, rotation) keeps the keyboard on its tile
    const focused = box.contains(document.activeElement) ? document.activeElement.getAttribute('data-code') : null;
    box.replaceChildren(svg);
    if (focused) svg.querySelector(`[data-code="${CSS.escape(focused)}"]`)?.focus();
    if (children.length > shown.length) {
      box.append(el('p', { class: 'muted', text: `只画出未结案件最多的 ${shown.length} 个，共 ${children.length} 个下级。` }));
    } else if (!children.length) {
      box.append(el('p', { class: 'muted', text: `${unitName(d.unit)}没有下级区划。` }));
    }
  }

  function drawCrumbs(d) {
    const chain = Array.isArray(d.chain) ? d.chain.slice() : [];
    if (!chain.length || chain[chain.length - 1].code !== d.unit.code) chain.push(d.unit);
    const ol = $('crumbs');
    ol.replaceChildren(
      ...chain.map((u, i) => {
        const last = i === chain.length - 1;
        const label = i === 0 && chain.length > 0 && isRoot(u) ? '全国' : u.name;
        return el(
          'li',
          null,
          last
            ? el('span', { 'aria-current': 'page', text: label })
            : el('button', { type: 'button', 'data-code': u.code, text: label, onclick: () => go(u.code) }),
        );
      }),
    );
  }

  const isRoot = (u) => u && (u.code === '0' || u.code === 'root' || u.level === 0 || u.level === 'national');

  async function loadMap(code, quiet) {
    const seq = ++map.seq;
    if (!quiet) $('map-summary').textContent = '加载中…';
    try {
      const d = await api(`/rollup/${encodeURIComponent(code)}`);
      if (seq !== map.seq) return;
      map.code = code;
      map.data = d;
      drawCrumbs(d);
      const c = d.counts || {};
      const n = Array.isArray(d.children) ? d.children.length : 0;
      $('map-summary').textContent = `${unitName(d.unit)}：${countsText(c)}；下级 ${num(n)} 个`;
      drawMap();
      document.body.dataset.mapCode = d.unit.code;
      // after a drill by keyboard or click, the keyboard goes on from the
      // new level's first unit (the one it was on is gone)
      if (map.focusNext) $('map').querySelector('.tile')?.focus({ preventScroll: true });
      map.focusNext = false;
    } catch (e) {
      if (seq !== map.seq) return;
      $('map-summary').textContent = '';
      $('map').replaceChildren(el('p', { class: 'error', role: 'alert', text: `无法加载 ${code}：${e.message}` }));
    }
  }

  // Navigation lives in the hash (#/440305) so back and forward work.
  function go(code) {
    const h = `#/${code}`;
    map.focusNext = document.activeElement && document.activeElement !== document.body;
    if (location.hash === h) loadMap(code);
    else location.hash = h;
  }
  const hashCode = () => {
    const m = /^#\/([0-9A-Za-z]{1,20})$/.exec(location.hash);
    return m ? m[1] : 'root';
  };

  function onTile(target) {
    const g = target.closest && target.closest('.tile');
    if (!g) return;
    const code = g.getAttribute('data-code');
    if (g.classList.contains('leaf')) reveal(showUnit(code));
    else go(code);
  }

  // Brings the unit card into view once shown (on a phone it is far below
  // the map and the escalations).
  function reveal(shown) {
    shown.then(() => $('search-result').scrollIntoView({ block: 'nearest' }), () => {});
  }

  // A refresh of the drawn level when matters change, at most every 3 s.
  let refreshTimer = null;
  function refreshSoon() {
    if (refreshTimer || map.code === null) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      if (map.code !== null && !document.hidden) loadMap(map.code, true);
    }, 3000);
  }

  // ---- escalations ----

  const esc = { keys: new Set(), queue: [], timer: null, local: 0 };

  const escKey = (e) => `${e.matter}|${e.at}|${e.from?.code}|${e.to?.code}|${ruleName(e.rule)}`;

  function when(at) {
    if (!Number.isFinite(at)) return '';
    // China Standard Time, as the command centre reads it.
    const s = new Date((at + 8 * 3600) * 1000).toISOString();
    return `${s.slice(5, 10)} ${s.slice(11, 19)}`;
  }

  const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const h = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

  // One row of the list, as markup with every value escaped: a batch of
  // rows is parsed at once, which costs a fraction of building them node by
  // node. Its buttons carry data-code; the list handles their clicks.
  function escRow(e, fresh) {
    const rule = ruleName(e.rule);
    const unit = (u) => `<button type="button" class="link" data-code="${h(u.code)}">${h(unitName(u))}</button>`;
    const reason = clip(e.reason, 300) + (Number.isFinite(e.due) ? `（期限 ${when(e.due)}）` : '');
    return `<li${fresh ? ' class="new"' : ''} data-matter="${h(e.matter)}" data-rule="${h(rule)}" ` +
      `data-at="${e.at || 0}" data-order="${e.order}" data-key="${h(escKey(e))}">` +
      `<span class="when">${h(when(e.at))}</span><span class="rule rule-${rule.replace(/[^a-z_]/g, '')}">${h(ruleLabel(e))}</span>` +
      `<div class="move">${unit(e.from)} → ${unit(e.to)}</div>` +
      `<p class="reason">${h(reason)}</p><small class="muted">事项 ${h(clip(e.matter, 80))}</small></li>`;
  }

  // Adds escalations (any order) to the list: newest first, no duplicate,
  // at most MAX_ESCALATIONS rows.
  function addEscalations(list, fresh) {
    const ol = $('escalations');
    const rows = [];
    for (const e of list) {
      if (!e || typeof e !== 'object' || !e.from || !e.to) continue;
      const k = escKey(e);
      if (esc.keys.has(k)) continue;
      esc.keys.add(k);
      rows.push(e);
    }
    if (!rows.length) return;
    // Order by time, then by the ledger's id (an escalation without one
    // counts as newer than those before it).
    for (const e of rows) e.order = Number.isFinite(e.id) ? e.id : 1e15 + ++esc.local;
    const older = (a, b) => (a.at || 0) - (b.at || 0) || a.order - b.order;
    rows.sort(older);
    const top = ol.firstElementChild;
    const newest = rows.slice(-MAX_ESCALATIONS);
    if (!top || older(newest[0], { at: Number(top.dataset.at), order: Number(top.dataset.order) }) > 0) {
      // all newer than the list (the usual case): one parse at the top
      ol.insertAdjacentHTML('afterbegin', newest.map((e) => escRow(e, fresh)).reverse().join(''));
    } else {
      // keep the list in order when an older one arrives late
      for (const e of newest) {
        let before = ol.firstElementChild;
        while (before && older(e, { at: Number(before.dataset.at), order: Number(before.dataset.order) }) < 0) {
          before = before.nextElementSibling;
        }
        if (before) before.insertAdjacentHTML('beforebegin', escRow(e, fresh));
        else ol.insertAdjacentHTML('beforeend', escRow(e, fresh));
      }
    }
    while (ol.children.length > MAX_ESCALATIONS) {
      const last = ol.lastElementChild;
      esc.keys.delete(last.dataset.key);
      last.remove();
    }
    if (esc.keys.size > 20 * MAX_ESCALATIONS) esc.keys = new Set([...esc.keys].slice(-10 * MAX_ESCALATIONS));
    $('esc-empty').hidden = ol.children.length > 0;
  }

  function flushEscalations() {
    esc.timer = null;
    const q = esc.queue;
    esc.queue = [];
    addEscalations(q, true);
    refreshSoon();
  }

  function setLive(state, text) {
    const s = $('live-status');
    s.dataset.state = state;
    s.textContent = text;
  }

  async function loadEscalations() {
    try {
      const d = await api(`/escalations?limit=${MAX_ESCALATIONS}`);
      addEscalations((d && d.escalations) || [], false);
    } catch (e) {
      setLive('error', `升级列表加载失败：${e.message}`);
    }
  }

  function startStream() {
    if (!('EventSource' in window)) {
      setLive('error', '浏览器不支持实时推送');
      return;
    }
    const es = new EventSource('/escalations/stream');
    es.addEventListener('open', () => {
      setLive('open', '升级动态：实时');
      // fill what came before the stream opened (it starts after the first
      // paint) or while it was reconnecting
      loadEscalations();
    });
    es.addEventListener('escalation', (m) => {
      let e;
      try {
        e = JSON.parse(m.data);
      } catch (_) {
        return;
      }
      esc.queue.push(e);
      if (esc.queue.length > 4 * MAX_ESCALATIONS) esc.queue.splice(0, esc.queue.length - MAX_ESCALATIONS);
      if (!esc.timer) esc.timer = setTimeout(flushEscalations, 30);
    });
    es.addEventListener('error', () => {
      setLive(es.readyState === EventSource.CLOSED ? 'error' : 'connecting',
        es.readyState === EventSource.CLOSED ? '升级动态已断开' : '升级动态：重新连接中…');
    });
  }

  // ---- unit search ----

  function chainView(chain) {
    const units = (chain || []).filter((u) => !isRoot(u));
    const p = el('p', { class: 'chain' });
    units.forEach((u, i) => {
      if (i) p.append(' › ');
      p.append(el('button', { type: 'button', class: 'link', 'data-code': u.code, text: u.name, onclick: () => showUnit(u.code) }));
    });
    return p;
  }

  function candidatesView(title, units, total) {
    const box = el('div', { class: 'cands' }, el('p', { text: title }));
    const ul = el('ul');
    for (const u of units.slice(0, MAX_CANDIDATES)) {
      const where = u.parent ? `（${u.parent.name}）` : '';
      ul.append(el('li', null, el('button', { type: 'button', class: 'link', 'data-code': u.code,
        text: `${u.name}${where} ${u.code}`, onclick: () => showUnit(u.code) })));
    }
    box.append(ul);
    if ((total || units.length) > MAX_CANDIDATES) box.append(el('p', { class: 'muted', text: `只列出前 ${MAX_CANDIDATES} 个，共 ${num(total || units.length)} 个。` }));
    return box;
  }

  let searchSeq = 0;
  function searchOut(...nodes) {
    $('search-result').replaceChildren(...nodes);
  }

  async function search(raw) {
    const text = raw.trim().slice(0, 200);
    const seq = ++searchSeq;
    if (!text) {
      searchOut(el('p', { class: 'error', text: '请输入代码、名称或地址。' }));
      return;
    }
    searchOut(el('p', { class: 'muted', text: '查找中…' }));
    try {
      if (/^\d{1,12}$/.test(text)) {
        await showUnit(text, seq);
        return;
      }
      let r = null;
      try {
        r = await api(`/resolve?text=${encodeURIComponent(text)}`);
      } catch (e) {
        if (e.status !== 404 && e.status !== 405) throw e;
      }
      if (seq !== searchSeq) return;
      if (r && r.outcome === 'resolved' && r.unit) {
        await showUnit(r.unit.code, seq);
        return;
      }
      if (r && (r.outcome === 'ambiguous' || r.outcome === 'conflict') && Array.isArray(r.candidates) && r.candidates.length) {
        searchOut(candidatesView(r.outcome === 'conflict' ? `“${text}”前后矛盾，可能是：` : `“${text}”有多个可能：`, r.candidates));
        return;
      }
      const n = await api(`/units?name=${encodeURIComponent(text)}`).catch((e) => {
        if (e.status === 404) return { count: 0, units: [] };
        throw e;
      });
      if (seq !== searchSeq) return;
      const units = (n && n.units) || [];
      if (units.length === 1) await showUnit(units[0].code, seq);
      else if (units.length > 1) searchOut(candidatesView(`“${text}”有 ${num(n.count || units.length)} 个同名单位：`, units, n.count));
      else searchOut(el('p', { class: 'error', text: `未找到“${text}”。` }));
    } catch (e) {
      if (seq === searchSeq) searchOut(el('p', { class: 'error', role: 'alert', text: `查找失败：${e.message}` }));
    }
  }

  async function showUnit(code, seq) {
    if (seq === undefined) seq = ++searchSeq;
    const enc = encodeURIComponent(code);
    const [u, desks] = await Promise.all([
      api(`/units/${enc}`).catch((e) => e),
      api(`/units/${enc}/desks`).catch((e) => e),
    ]);
    if (seq !== searchSeq) return;
    if (u instanceof Error) {
      searchOut(el('p', { class: 'error', role: 'alert', text: u.status === 404 ? `没有代码为 ${code} 的单位。` : `查找失败：${u.message}` }));
      return;
    }
    const chain = Array.isArray(u.chain) ? u.chain : [u];
    const designations = (u.designations || []).map((d) => DESIGNATION_LABELS[d] || d).join('、') || '无';
    const dl = el('dl');
    const row = (k, v) => dl.append(el('dt', { text: k }), el('dd', { text: v }));
    row('代码', u.code);
    row('类型', `${u.kind_label || ''}${u.kind ? `（${u.kind}）` : ''}`);
    row('级别', levelText(u.level_name || u.level));
    if (u.tiers !== undefined) row('政府层级数', String(u.tiers));
    if (u.administrative_levels !== undefined) row('行政层级数', String(u.administrative_levels));
    row('特别授权', designations);
    if (u.children !== undefined) row('下级', `${num(Array.isArray(u.children) ? u.children.length : u.children)} 个`);

    const hasKids = Array.isArray(u.children) ? u.children.length > 0 : u.children > 0;
    const target = hasKids ? u.code : u.parent ? u.parent.code : chain.length > 1 ? chain[chain.length - 2].code : null;
    const box = el(
      'article',
      { class: 'unit', 'data-code': u.code, 'aria-label': u.name },
      el('h3', { text: `${u.name}` }, el('span', { class: 'sub', text: ` ${u.kind_label || ''} ${u.code}` })),
      chainView(chain),
      dl,
      target !== null
        ? el('button', { type: 'button', class: 'link', onclick: () => { go(target); $('map-panel').scrollIntoView({ block: 'nearest' }); }, text: hasKids ? '在层级图中查看下级' : '在层级图中查看所在层级' })
        : null,
    );
    box.append(el('h3', { text: '政府部门' }));
    if (desks instanceof Error) {
      box.append(el('p', { class: 'muted', text: desks.status === 404 ? '没有该单位的部门资料。' : `部门加载失败：${desks.message}` }));
    } else {
      const list = (desks && desks.desks) || [];
      if (!list.length) box.append(el('p', { class: 'muted', text: '没有该单位的部门资料。' }));
      const ul = el('ul', { class: 'desks' });
      for (const d of list.slice(0, MAX_DESKS)) {
        const contact = [d.phone, d.email].filter(Boolean).join(' · ');
        ul.append(el('li', null, el('strong', { text: d.name }),
          d.label && !d.name.endsWith(d.label) ? `（${d.label}）` : '',
          d.unit && d.unit.code !== u.code ? ` （${d.unit.name}）` : '',
          contact ? el('span', { class: 'muted', text: ` ${contact}` }) : null));
      }
      if (list.length) box.append(ul);
      if (list.length > MAX_DESKS) box.append(el('p', { class: 'muted', text: `只列出 ${MAX_DESKS} 个，共 ${list.length} 个。` }));
    }
    searchOut(box);
  }

  // ---- routing form ----

  async function fillCategories() {
    const cat = $('category');
    const sev = $('severity');
    let h = null;
    try {
      h = await api('/health');
    } catch (_) {
      h = null;
    }
    const cats = (h && h.categories) || Object.keys(CATEGORY_LABELS);
    const sevs = (h && h.severities) || Object.keys(SEVERITY_LABELS);
    cat.replaceChildren(...cats.map((c) => el('option', { value: c, text: CATEGORY_LABELS[c] ? `${CATEGORY_LABELS[c]}（${c}）` : c })));
    if (cats.includes('public_complaint')) cat.value = 'public_complaint';
    sev.replaceChildren(el('option', { value: '', text: '不分级' }),
      ...sevs.map((s) => el('option', { value: s, text: SEVERITY_LABELS[s] ? `${SEVERITY_LABELS[s]}（${s}）` : s })));
  }

  // A place line: digits are a code; anything else is resolved to a unit
  // first, so the route sees the unit the reader was shown.
  async function placeCode(text) {
    if (/^\d{1,12}$/.test(text)) return { code: text, note: null };
    const r = await api(`/resolve?text=${encodeURIComponent(text)}`);
    if (r && r.outcome === 'resolved' && r.unit) return { code: r.unit.code, note: `${text} → ${r.unit.name}（${r.unit.code}）` };
    const why = r && r.outcome === 'ambiguous' ? '有多个可能' : r && r.outcome === 'conflict' ? '前后矛盾' : '无法识别';
    throw new ApiError(422, `地点“${clip(text, 40)}”${why}`, 'place');
  }

  function listView(title, lines, cls) {
    const ol = el('ol', { class: cls });
    for (const l of (lines || []).slice(0, MAX_TRACE)) ol.append(el('li', { text: clip(l, 400) }));
    return [el('h3', { text: title }), ol];
  }

  async function routeCase(ev) {
    ev.preventDefault();
    const out = $('route-result');
    const lines = $('places').value.split(/[\n;；]+/).map((s) => s.trim()).filter(Boolean);
    if (!lines.length) {
      out.replaceChildren(el('p', { class: 'error', text: '请至少填写一个地点。' }));
      return;
    }
    if (lines.length > MAX_PLACES) {
      out.replaceChildren(el('p', { class: 'error', text: `地点最多 ${MAX_PLACES} 个。` }));
      return;
    }
    out.replaceChildren(el('p', { class: 'muted', text: '分派中…' }));
    try {
      const places = await Promise.all(lines.map(placeCode));
      const body = { places: places.map((p) => p.code), category: $('category').value };
      if ($('severity').value) body.severity = $('severity').value;
      const people = $('people').value.trim();
      if (people) body.people = Math.max(0, Math.floor(Number(people)) || 0);
      let d;
      try {
        d = await api('/route/desk', body);
      } catch (e) {
        if (e.status !== 404 && e.status !== 405) throw e;
        d = await api('/route', body);
      }
      const nodes = [
        el('p', { class: 'decision' }, '承办：', el('strong', { 'data-code': d.handler.code, text: d.handler.name }),
          ` （${levelText(d.level)}${d.required_level ? `；类别要求${levelText(d.required_level)}以上` : ''}）`),
      ];
      const notes = places.map((p) => p.note).filter(Boolean);
      if (notes.length) nodes.push(el('p', { class: 'muted', text: `地点：${notes.join('；')}` }));
      if (d.lead) nodes.push(el('p', null, '牵头部门：', el('strong', { text: d.lead.name }), d.lead.unit ? `（${d.lead.unit.name}）` : ''));
      if (Array.isArray(d.co_handlers) && d.co_handlers.length) {
        nodes.push(el('p', { text: `协办：${d.co_handlers.slice(0, 20).map((c) => c.name || c.unit?.name).join('、')}` }));
      }
      nodes.push(...listView('判断过程', d.trace, 'trace'));
      if (Array.isArray(d.desk_trace) && d.desk_trace.length) nodes.push(...listView('部门选择', d.desk_trace, 'trace'));
      out.replaceChildren(...nodes);
    } catch (e) {
      out.replaceChildren(el('p', { class: 'error', role: 'alert', text: `无法分派：${e.message}` }));
    }
  }

  // ---- start ----

  function start() {
    const m = $('map');
    m.addEventListener('click', (e) => onTile(e.target));
    m.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onTile(e.target);
      }
    });
    narrow.addEventListener('change', drawMap);
    window.addEventListener('hashchange', () => loadMap(hashCode()));
    $('escalations').addEventListener('click', (e) => {
      const b = e.target.closest && e.target.closest('button[data-code]');
      if (b) reveal(showUnit(b.dataset.code));
    });
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      search($('q').value);
    });
    $('route-form').addEventListener('submit', routeCase);

    const ready = Promise.all([loadMap(hashCode()), loadEscalations(), fillCategories()]);
    // Ready once the first level, the escalations and the form are in the
    // page and the frame that shows them has been painted.
    // The live stream starts then: its connection and first answer stay
    // off the first paint's path.
    ready.then(() => requestAnimationFrame(() => setTimeout(() => {
      performance.mark('xzqh-ready');
      document.body.dataset.ready = '1';
      startStream();
    }, 0)));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
