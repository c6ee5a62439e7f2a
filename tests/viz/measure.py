"""Measurements of a rendered stepper page, taken in the browser."""

# The smallest text of the graph's nodes on screen, in CSS px: font size (user units) × the SVG's scale.
SMALLEST_NODE_TEXT = """() => {
  const area = document.getElementById('graph').getBoundingClientRect();
  let smallest = Infinity, count = 0;
  for (const t of document.querySelectorAll('#graph g.node text')) {
    const r = t.getBoundingClientRect();
    if (r.right < area.left || r.left > area.right || r.bottom < area.top || r.top > area.bottom) continue;
    const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    smallest = Math.min(smallest, size); count++;
  }
  return {smallest, count};
}"""

# Every edge's stroke (centre line sampled every 1.5 px, half its width around it) against every text box.
EDGES_THROUGH_TEXT = """() => {
  // Points along each edge, every 1.5 screen px, sampled once per path shape and zoom level
  // (getPointAtLength is the slow part; stepping changes the texts, not the edges).
  const cache = window.__edgeSamples || (window.__edgeSamples = new Map());
  const hits = [];
  const boxes = [...document.querySelectorAll('#graph g.node text')].map(t => [t, t.getBoundingClientRect()]);
  for (const path of document.querySelectorAll('#graph g.edge path')) {
    const m = path.getScreenCTM(), scale = m.a;
    const half = parseFloat(path.getAttribute('stroke-width') || '1') * scale / 2;
    const around = path.getBoundingClientRect();
    const near = boxes.filter(([t, b]) => b.left - half <= around.right && b.right + half >= around.left &&
                                          b.top - half <= around.bottom && b.bottom + half >= around.top);
    if (!near.length) continue;
    const key = path.getAttribute('d');
    let sample = cache.get(key);
    if (!sample || scale > sample.scale * 1.01) {
      const length = path.getTotalLength(), steps = Math.max(2, Math.ceil(length * scale / 1.5)), points = [];
      for (let i = 0; i <= steps; i++) points.push(path.getPointAtLength(length * i / steps));
      sample = {scale, points};
      cache.set(key, sample);
    }
    for (const p of sample.points) {
      const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
      for (const [t, b] of near) {
        const dx = Math.max(b.left - x, 0, x - b.right), dy = Math.max(b.top - y, 0, y - b.bottom);
        if (Math.hypot(dx, dy) < half) {
          hits.push(path.closest('g.edge').id + ' through "' + t.textContent + '"'); break;
        }
      }
    }
  }
  return [...new Set(hits)];
}"""

# Texts that stick out of their node's shape (value nodes: box or rounded box).
TEXT_OUTSIDE_NODES = """() => {
  const out = [];
  for (const g of document.querySelectorAll('#graph g.node[id^="v"]')) {
    const shape = g.querySelector('polygon, path, ellipse');
    if (!shape) continue;
    const s = shape.getBoundingClientRect();
    for (const t of g.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.left < s.left - 0.5 || r.right > s.right + 0.5) out.push(g.id + ': "' + t.textContent + '"');
    }
  }
  return out;
}"""

# Where the page's fixed parts are: none may move while stepping.
PANEL_POSITIONS = """() => Object.fromEntries(
  ['controls', 'prev', 'play', 'next', 'scrubber', 'counter', 'graph', 'zoom', 'panel', 'formula', 'summary']
    .map(id => { const e = document.getElementById(id); const r = e.getBoundingClientRect();
                 return [id, e.hidden ? 'hidden' : [r.x, r.y, r.width, r.height].map(v => Math.round(v * 10) / 10)]; })
    .map(([id, r]) => [id, id === 'formula' || id === 'summary' ? (r === 'hidden' ? 'hidden' : 'shown') : r]))"""

# The SVG's scale (CSS px per unit) and where its origin is on screen.
CAMERA = """() => { const m = document.querySelector('#graph svg g').getScreenCTM(); return [m.a, m.e, m.f]; }"""

HIGHLIGHTS = """() => ({
  current: [...document.querySelectorAll('g.node.current')].map(e => e.id),
  changed: [...document.querySelectorAll('g.node.changed')].map(e => e.id),
  through: [...document.querySelectorAll('g.node.through')].map(e => e.id),
  active: [...document.querySelectorAll('g.edge.active')].map(e => e.id),
  final: [...document.querySelectorAll('g.node.final')].map(e => e.id),
  pending: [...document.querySelectorAll('g.node.pending')].map(e => e.id)})"""

# The lit nodes of the step that lie outside the graph's area on screen (they should be followed).
LIT_OUT_OF_VIEW = """() => {
  const area = document.getElementById('graph').getBoundingClientRect();
  return [...document.querySelectorAll('g.node.current, g.node.changed, g.node.through')].filter(g => {
    const r = g.getBoundingClientRect();
    return r.left < area.left || r.right > area.right || r.top < area.top || r.bottom > area.bottom;
  }).map(g => g.id);
}"""
