/**
 * The interactive part of plot.html, as browser JavaScript text (ES2017, no modules, no network).
 * It expects the functions colourOf, stepTicks, linearTicks, logTicks, timeTicks, formatTime, formatNumber
 * and decimate (scales.ts, decimate.ts) to be defined before it, and the data in
 * <script id="kitsune-data" type="application/json">. Draws on a <canvas>, decimated per 2-px
 * cell on every redraw (so zooming in reveals every point); hover shows the nearest point;
 * drag zooms (a box; a flat box zooms x only), the wheel zooms x (with shift: y) about the
 * cursor, double-click resets. Exposes window.kitsunePlot and data-points/data-alerts/data-drawn
 * on <body> for tests.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('kitsune-data').textContent);
  function decode(text, Type) {
    var bin = atob(text);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Type(bytes.buffer);
  }
  var n = cfg.n;
  var rmse = decode(cfg.rmse, Float64Array);
  var time = decode(cfg.time, Float64Array);
  var index = cfg.index === null ? null : decode(cfg.index, Float64Array);
  var logp = decode(cfg.logp, Float32Array);
  var flags = decode(cfg.flags, Uint8Array);
  var src = cfg.src === null ? null : decode(cfg.src, Uint32Array);
  var dst = cfg.dst === null ? null : decode(cfg.dst, Uint32Array);
  var hosts = cfg.hosts;
  var ALERT_BIT = 1;
  var PHASE_SHIFT = 1;
  var PHASES = ['map', 'train', 'exec'];
  function indexOf(i) { return index === null ? i : index[i]; }
  var x = cfg.xKey === 'time' ? time : (index === null ? Float64Array.from({ length: n }, function (_, i) { return i; }) : index);
  var alert = new Uint8Array(n);
  for (var a = 0; a < n; a++) alert[a] = flags[a] & ALERT_BIT;
  var data = { n: n, x: x, rmse: rmse, logp: logp, alert: alert };

  var M = { left: 72, right: 16, top: 12, bottom: 40 };
  var CELL = 2;
  var HOVER_CELLS = 5;
  var DRAG_MIN = 4;
  var WHEEL_IN = 0.8;
  var WHEEL_OUT = 1.25;
  var X_TICKS = 8;
  var ALERT_RADIUS = 3.5;
  var LUT_SIZE = 256;
  var canvas = document.getElementById('plot');
  var ctx = canvas.getContext('2d');
  var tip = document.getElementById('tip');
  var zoombox = document.getElementById('zoombox');
  var status = document.getElementById('status');
  var full = { x0: cfg.x0, x1: cfg.x1, y0: cfg.y0, y1: cfg.y1 };
  var view = Object.assign({}, full);
  var geom = null;
  var cells = null;
  var lut = [];
  for (var l = 0; l < LUT_SIZE; l++) {
    var c = colourOf((cfg.logpFloor * l) / (LUT_SIZE - 1), cfg.logpFloor);
    lut.push('rgb(' + c[0] + ',' + c[1] + ',' + c[2] + ')');
  }
  var grey = colourOf(NaN, cfg.logpFloor);
  var greyStyle = 'rgb(' + grey[0] + ',' + grey[1] + ',' + grey[2] + ')';
  function styleOf(v) {
    if (v !== v) return greyStyle;
    var u = Math.min(1, Math.max(0, v / cfg.logpFloor));
    return lut[Math.round(u * (LUT_SIZE - 1))];
  }

  function layout() {
    var rect = canvas.getBoundingClientRect();
    var dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(rect.width * dpr);
    canvas.height = Math.round(rect.height * dpr);
    geom = { w: rect.width, h: rect.height, pw: rect.width - M.left - M.right, ph: rect.height - M.top - M.bottom, dpr: dpr };
  }
  function px(v) { return M.left + ((v - view.x0) / (view.x1 - view.x0)) * geom.pw; }
  function py(v) { return M.top + ((view.y1 - v) / (view.y1 - view.y0)) * geom.ph; }
  function xAt(p) { return view.x0 + ((p - M.left) / geom.pw) * (view.x1 - view.x0); }
  function yAt(p) { return view.y1 - ((p - M.top) / geom.ph) * (view.y1 - view.y0); }

  function render() {
    ctx.setTransform(geom.dpr, 0, 0, geom.dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, geom.w, geom.h);
    ctx.font = '11px sans-serif';
    ctx.strokeStyle = '#eee';
    ctx.fillStyle = '#333';
    ctx.lineWidth = 1;
    var xt = cfg.xKey === 'time' ? timeTicks(view.x0, view.x1, X_TICKS) : linearTicks(view.x0, view.x1, X_TICKS);
    var step = xt.length > 1 ? xt[1] - xt[0] : 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    xt.forEach(function (t) {
      var X = Math.round(px(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(X, M.top); ctx.lineTo(X, M.top + geom.ph); ctx.stroke();
      ctx.fillText(cfg.xKey === 'time' ? formatTime(t, step, view.x1 - view.x0) : formatNumber(t), X, M.top + geom.ph + 4);
    });
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    logTicks(view.y0, view.y1).forEach(function (t) {
      var Y = Math.round(py(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(M.left, Y); ctx.lineTo(M.left + geom.pw, Y); ctx.stroke();
      ctx.fillText(formatNumber(Math.pow(10, t)), M.left - 6, Y);
    });
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(cfg.xKey === 'time' ? 'time (UTC)' : 'packet index', M.left + geom.pw / 2, geom.h - 2);
    ctx.save();
    ctx.translate(12, M.top + geom.ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText('RMSE (log scale)', 0, 0);
    ctx.restore();

    ctx.save();
    ctx.beginPath();
    ctx.rect(M.left, M.top, geom.pw, geom.ph);
    ctx.clip();
    cells = decimate(data, view, Math.max(1, Math.ceil(geom.pw / CELL)), Math.max(1, Math.ceil(geom.ph / CELL)));
    var drawn = 0;
    for (var k = 0; k < cells.point.length; k++) {
      var i = cells.point[k];
      if (i < 0) continue;
      drawn++;
      ctx.fillStyle = styleOf(logp[i]);
      ctx.fillRect(M.left + (k % cells.columns) * CELL, M.top + Math.floor(k / cells.columns) * CELL, CELL, CELL);
    }
    ctx.strokeStyle = '#d00';
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    for (var q = 0; q < cells.alert.length; q++) {
      if (cells.alert[q] < 0) continue;
      var ax = M.left + (q % cells.columns) * CELL + CELL / 2;
      var ay = M.top + Math.floor(q / cells.columns) * CELL + CELL / 2;
      ctx.moveTo(ax + ALERT_RADIUS, ay);
      ctx.arc(ax, ay, ALERT_RADIUS, 0, 2 * Math.PI);
    }
    ctx.stroke();
    if (cfg.thresholdRmse > 0 && isFinite(cfg.thresholdRmse)) {
      var ty = py(Math.log10(cfg.thresholdRmse));
      ctx.strokeStyle = '#222';
      ctx.setLineDash([6, 4]);
      ctx.beginPath(); ctx.moveTo(M.left, ty); ctx.lineTo(M.left + geom.pw, ty); ctx.stroke();
      ctx.fillStyle = '#222';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(cfg.thresholdLabel + ' = ' + formatNumber(cfg.thresholdRmse), M.left + geom.pw - 4, ty - 3);
    }
    if (cfg.graceX !== null) {
      var gx = px(cfg.graceX);
      ctx.strokeStyle = '#2a6fdb';
      ctx.setLineDash([3, 3]);
      ctx.beginPath(); ctx.moveTo(gx, M.top); ctx.lineTo(gx, M.top + geom.ph); ctx.stroke();
      ctx.fillStyle = '#2a6fdb';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText('grace period ends', gx + 4, M.top + 4);
    }
    ctx.setLineDash([]);
    ctx.restore();
    ctx.strokeStyle = '#888';
    ctx.strokeRect(M.left + 0.5, M.top + 0.5, geom.pw, geom.ph);
    document.body.dataset.drawn = String(drawn);
    status.textContent = n + ' packets, ' + cfg.alerts + ' alerts; ' + drawn +
      ' marks drawn. Drag to zoom, wheel zooms x (shift: y), double-click resets.';
  }

  function describe(i) {
    var lines = ['packet ' + indexOf(i)];
    if (isFinite(time[i])) lines.push('time ' + new Date(Math.round(time[i] * 1000)).toISOString() + ' (' + time[i] + ')');
    if (src !== null) lines.push(hosts[src[i]] + ' \u2192 ' + hosts[dst[i]]);
    lines.push('rmse ' + rmse[i]);
    lines.push('log p ' + (logp[i] !== logp[i] ? '(no fit yet)' : logp[i].toPrecision(5)));
    var phase = PHASES[flags[i] >> PHASE_SHIFT];
    lines.push('phase ' + (phase || '?') + (alert[i] ? ' \u2014 ALERT' : ''));
    return lines.join('\n');
  }

  function nearest(mx, my) {
    if (cells === null) return -1;
    var c0 = Math.floor((mx - M.left) / CELL);
    var r0 = Math.floor((my - M.top) / CELL);
    var best = -1;
    var bestD = Infinity;
    for (var dr = -HOVER_CELLS; dr <= HOVER_CELLS; dr++) {
      for (var dc = -HOVER_CELLS; dc <= HOVER_CELLS; dc++) {
        var c = c0 + dc, r = r0 + dr;
        if (c < 0 || r < 0 || c >= cells.columns || r >= cells.rows) continue;
        var k = r * cells.columns + c;
        var d = dr * dr + dc * dc;
        var cand = cells.alert[k] >= 0 ? cells.alert[k] : cells.point[k];
        if (cand >= 0 && (d < bestD || (d === bestD && cells.alert[k] >= 0))) { best = cand; bestD = d; }
      }
    }
    return best;
  }

  var drag = null;
  function local(event) {
    var rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }
  function inside(p) { return p.x >= M.left && p.x <= M.left + geom.pw && p.y >= M.top && p.y <= M.top + geom.ph; }
  canvas.addEventListener('mousedown', function (event) {
    var p = local(event);
    if (event.button !== 0 || !inside(p)) return;
    drag = { x: p.x, y: p.y };
    event.preventDefault();
  });
  window.addEventListener('mousemove', function (event) {
    var p = local(event);
    if (drag !== null) {
      tip.hidden = true;
      zoombox.hidden = false;
      zoombox.style.left = Math.min(drag.x, p.x) + 'px';
      zoombox.style.top = Math.min(drag.y, p.y) + 'px';
      zoombox.style.width = Math.abs(p.x - drag.x) + 'px';
      zoombox.style.height = Math.abs(p.y - drag.y) + 'px';
      return;
    }
    var i = inside(p) ? nearest(p.x, p.y) : -1;
    if (i < 0) { tip.hidden = true; return; }
    tip.textContent = describe(i);
    tip.hidden = false;
    tip.style.left = Math.min(p.x + 14, geom.w - tip.offsetWidth - 4) + 'px';
    tip.style.top = Math.max(0, p.y - tip.offsetHeight - 10) + 'px';
  });
  window.addEventListener('mouseup', function (event) {
    if (drag === null) return;
    var p = local(event);
    var start = drag;
    drag = null;
    zoombox.hidden = true;
    if (Math.abs(p.x - start.x) < DRAG_MIN) return;
    var x0 = xAt(Math.min(p.x, start.x)), x1 = xAt(Math.max(p.x, start.x));
    var next = Object.assign({}, view, { x0: x0, x1: x1 });
    if (Math.abs(p.y - start.y) >= DRAG_MIN) {
      next.y0 = yAt(Math.max(p.y, start.y));
      next.y1 = yAt(Math.min(p.y, start.y));
    }
    view = next;
    render();
  });
  canvas.addEventListener('dblclick', function () { reset(); });
  var pending = false;
  canvas.addEventListener('wheel', function (event) {
    var p = local(event);
    if (!inside(p)) return;
    event.preventDefault();
    var f = event.deltaY > 0 ? WHEEL_OUT : WHEEL_IN;
    if (event.shiftKey) {
      var yc = yAt(p.y);
      view = Object.assign({}, view, { y0: yc - (yc - view.y0) * f, y1: yc + (view.y1 - yc) * f });
    } else {
      var xc = xAt(p.x);
      view = Object.assign({}, view, { x0: xc - (xc - view.x0) * f, x1: xc + (view.x1 - xc) * f });
    }
    if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; render(); }); }
  }, { passive: false });
  function reset() { view = Object.assign({}, full); render(); }
  window.addEventListener('resize', function () { layout(); render(); });

  document.body.dataset.points = String(n);
  document.body.dataset.alerts = String(cfg.alerts);
  layout();
  render();
  window.kitsunePlot = {
    view: function () { return Object.assign({}, view); },
    reset: reset,
    screenOf: function (i) { return { x: px(x[i]), y: py(Math.log10(rmse[i])) }; },
  };
})();
`;
