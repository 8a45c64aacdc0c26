#!/usr/bin/env python3
"""Loads every page of a rendered site in headless Chromium and checks what a reader would see.

Each page of SITE (index.html and every other *.html at the top of the folder) is loaded at each width (1280 and
420 px by default) through the DevTools protocol over --remote-debugging-pipe (standard library only). Checks:

  overflow  documentElement.scrollWidth > clientWidth; names the outermost offending elements, widest first
            (an element inside a box that scrolls or clips on its own, and that box fits, is not an offender)
  console   Runtime.exceptionThrown, console.error/assert, Log.entryAdded at level error (failed loads among them)
  links     href/src/xlink:href to a missing local file, or a #fragment with no such id in the target page
  alt       an <img> without alt, an inline <svg> figure without aria-label or without a <title>
            (gnuplot's generic "Gnuplot" title counts as none); KaTeX's glyph SVGs are not figures
  legend    a gnuplot key overlapping plotted data: from the SVG's structure (plot groups `gnuplot_plot_N` hold the
            data and, titled with the series name, the key entries; the key box is the rectangle around the key
            texts); per page, width-independent (run at the first width)
  weights   page bytes plus every local file the page loads; targets: index < 50,000 B, every other page < 40 % of
            its size in baseline.json; printed always, failing only with --weights-enforce

Exit status 0 when every enforced check passes, 1 otherwise (2 on a usage or browser error).
`--selftest` runs the checker on fixtures/ and shows that each defect is caught and the good page passes.
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKS = ["overflow", "console", "links", "alt", "legend", "frame", "labels"]
# The checks issue 19 requires; `frame` (data on the plot frame) and `labels` (overlapping tick labels) are reported,
# and enforced only when named.
DEFAULT_ENFORCE = ["overflow", "console", "links", "alt", "legend"]
INDEX_LIMIT = 50_000
REPORT_FRACTION = 0.40


# ---------------------------------------------------------------------------------------------------------------
# DevTools protocol over a pipe: Chromium reads NUL-terminated JSON commands on fd 3 and writes replies on fd 4.

class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, executable, timeout=60.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="pagecheck-profile-")
        cmd_r, cmd_w = os.pipe()
        resp_r, resp_w = os.pipe()

        def child_fds():
            os.dup2(cmd_r, 3)
            os.dup2(resp_w, 4)

        args = [executable, "--headless=new", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
                "--disable-gpu", "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--hide-scrollbars", "--mute-audio", "--allow-file-access-from-files",
                "--user-data-dir=" + self.profile, "--font-render-hinting=none", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(cmd_r)
        os.close(resp_w)
        self.w = os.fdopen(cmd_w, "wb", buffering=0)
        self.r = os.fdopen(resp_r, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        import select
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("timed out waiting for Chromium")
            ready, _, _ = select.select([self.r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.r.fileno(), 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the DevTools pipe (exit %s)" % self.proc.poll())
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=None):
        self.next_id += 1
        mid = self.next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.w.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            m = self._read_message(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise BrowserError("%s: %s" % (method, m["error"].get("message")))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                del self.events[i]
                return m
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def drain(self, session):
        """Returns (and forgets) the events received so far for `session`."""
        mine = [m for m in self.events if m.get("sessionId") == session]
        self.events = [m for m in self.events if m.get("sessionId") != session]
        return mine

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def find_chromium(explicit):
    for c in [explicit, os.environ.get("CHROMIUM"), "chromium", "chromium-headless-shell", "chromium-browser",
              "google-chrome"]:
        if c and shutil.which(c):
            return shutil.which(c)
    return None


# ---------------------------------------------------------------------------------------------------------------
# In-page probes (evaluated in the page; they return JSON).

JS_COMMON = r"""
var pcDesc = el => { let s = el.tagName.toLowerCase(); if (el.id) s += '#' + el.id;
  if (el.classList && el.classList.length) s += '.' + [...el.classList].join('.'); return s; };
var pcPath = el => { const parts = []; let e = el;
  while (e && e !== document.body && e !== document.documentElement && parts.length < 4) { parts.unshift(pcDesc(e)); e = e.parentElement; }
  return parts.join(' > '); };
"""

JS_OVERFLOW = JS_COMMON + r"""
(() => {
  const de = document.documentElement, cw = de.clientWidth, sw = de.scrollWidth;
  const out = {scrollWidth: sw, clientWidth: cw, offenders: [], count: 0};
  if (sw <= cw) return out;
  const clippedBy = el => {
    for (let a = el.parentElement; a && a !== document.body && a !== de; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible') { const r = a.getBoundingClientRect(); return r.right <= cw + 1 && r.left >= -1; }
    }
    return false;
  };
  const offending = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  for (let el = walk.nextNode(); el; el = walk.nextNode()) {
    if (el.ownerSVGElement) continue;              // inside an <svg>: the <svg> box itself is what counts
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if ((r.right > cw + 1 || r.left < -1) && !clippedBy(el)) offending.add(el);
  }
  const roots = [...offending].filter(el => !offending.has(el.parentElement));
  roots.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
  out.count = roots.length;
  out.offenders = roots.slice(0, 6).map(el => { const r = el.getBoundingClientRect();
    return {element: pcPath(el), width: Math.round(r.width), right: Math.round(r.right),
            text: (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 50)}; });
  return out;
})()
"""

JS_LINKS = r"""
(() => {
  const seen = new Map();
  const add = (el, attr, raw) => {
    if (raw === null || raw === undefined) return;
    raw = String(raw).trim();
    if (!raw) return;
    const key = attr + ' ' + raw;
    if (seen.has(key)) { seen.get(key).count++; return; }
    let resolved = null; try { resolved = new URL(raw, document.baseURI).href; } catch (e) {}
    let frag = null, fragFound = null;
    if (resolved) {
      const u = new URL(resolved), here = new URL(document.baseURI);
      if (u.hash && u.origin === here.origin && u.pathname === here.pathname && u.search === here.search) {
        frag = decodeURIComponent(u.hash.slice(1));
        fragFound = frag === '' || frag === 'top' || document.getElementById(frag) !== null
                    || document.getElementsByName(frag).length > 0;
      }
    }
    seen.set(key, {tag: el.tagName.toLowerCase(), attr, raw, resolved, samePageFragment: frag, found: fragFound, count: 1});
  };
  for (const el of document.querySelectorAll('[href]')) add(el, 'href', el.getAttribute('href'));
  for (const el of document.querySelectorAll('[src]')) add(el, 'src', el.getAttribute('src'));
  for (const el of document.querySelectorAll('*')) {
    if (!(el instanceof SVGElement)) continue;
    const x = el.getAttributeNS('http://www.w3.org/1999/xlink', 'href'); if (x !== null) add(el, 'xlink:href', x);
  }
  const anchors = document.querySelectorAll('a[href]').length;
  return {links: [...seen.values()], anchors};
})()
"""

JS_ALT = JS_COMMON + r"""
(() => {
  const issues = [];
  let images = 0, svgs = 0;
  for (const img of document.querySelectorAll('img')) {
    images++;
    const alt = img.getAttribute('alt');
    if (alt === null || !alt.trim()) issues.push({element: pcPath(img), what: 'img without alt text', src: img.getAttribute('src')});
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.ownerSVGElement) continue;
    if (svg.closest('.katex, .katex-display, math, [aria-hidden="true"]')) continue;
    svgs++;
    let label = (svg.getAttribute('aria-label') || '').trim();
    const lb = svg.getAttribute('aria-labelledby');
    if (!label && lb) label = lb.split(/\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    const t = svg.querySelector(':scope > title');
    const title = t ? t.textContent.trim() : '';
    const where = pcPath(svg.closest('figure') || svg);
    if (!label) issues.push({element: where, what: 'inline svg without aria-label'});
    if (!title || title === 'Gnuplot') issues.push({element: where, what: title ? 'inline svg with gnuplot\'s generic <title>' : 'inline svg without <title>'});
  }
  return {images, svgs, issues};
})()
"""

# The gnuplot key check. Key entries are the <text>s of a plot group whose content equals the group's <title>; the
# key region is the smallest closed rectangle (outside the plot groups) around a panel's key texts whose height fits
# the number of entries, else (unboxed key) the texts' box widened by the sample length. Data is every drawn element
# of the plot groups, except key texts and the key samples (elements inside the region on a key text's row, in a
# group that owns a key entry). Lines are tested segment by segment against the region (shrunk by 1 px).
JS_LEGEND = r"""
(() => {
  const figs = [];
  const EPS = 1;
  const isGnuplot = s => { const d = s.querySelector('desc');
    return (d && /GNUPLOT/i.test(d.textContent)) || s.querySelector('g[id*="gnuplot_plot_"]') !== null; };
  const svgs = [...document.querySelectorAll('svg')].filter(s => !s.ownerSVGElement && isGnuplot(s));
  for (const svg of svgs) {
    const fig = svg.closest('figure');
    const figName = fig && fig.id ? fig.id : (svg.id || ('svg ' + (figs.length + 1)));
    const rootInv = svg.getScreenCTM();
    if (!rootInv) { figs.push({figure: figName, status: 'not checked', reason: 'not displayed'}); continue; }
    const inv = rootInv.inverse();
    const toRoot = el => { const m = el.getScreenCTM(); return m ? inv.multiply(m) : null; };
    const tp = (m, x, y) => ({x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f});
    const bboxRoot = el => { const m = toRoot(el); if (!m) return null; let b; try { b = el.getBBox(); } catch (e) { return null; }
      const ps = [tp(m, b.x, b.y), tp(m, b.x + b.width, b.y), tp(m, b.x, b.y + b.height), tp(m, b.x + b.width, b.y + b.height)];
      const xs = ps.map(p => p.x), ys = ps.map(p => p.y);
      return {x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys)}; };
    const groups = [...svg.querySelectorAll('g[id*="gnuplot_plot_"]')];
    const inGroup = el => groups.some(g => g.contains(el));
    // Key texts.
    const keyTexts = [];
    groups.forEach((g, gi) => {
      const t = g.querySelector(':scope > title'); const name = t ? t.textContent.trim() : '';
      if (!name || /^gnuplot_plot_\d+[a-z]?$/.test(name)) return;
      for (const tx of g.querySelectorAll('text')) {
        if (tx.textContent.trim() !== name) continue;
        const b = bboxRoot(tx); if (!b) continue;
        const fs = parseFloat(getComputedStyle(tx).fontSize) || 12;
        const anchor = (tx.closest('[text-anchor]') || tx).getAttribute('text-anchor') || 'start';
        keyTexts.push({g, gi, el: tx, name, b, cx: (b.x0 + b.x1) / 2, cy: (b.y0 + b.y1) / 2, fs, anchor});
      }
    });
    // Candidate key boxes: closed axis-aligned rectangles outside the plot groups.
    const rects = [];
    const nums = d => (d.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) || []).map(Number);
    for (const p of svg.querySelectorAll('path, polygon, rect')) {
      if (inGroup(p) || p.closest('defs')) continue;
      let pts = [];
      if (p.tagName === 'path') { const d = p.getAttribute('d') || ''; if (!/^\s*M[\d.,\sL-]+Z?\s*$/i.test(d)) continue;
        const n = nums(d); for (let i = 0; i + 1 < n.length; i += 2) pts.push({x: n[i], y: n[i + 1]}); }
      else if (p.tagName === 'polygon') { const n = nums(p.getAttribute('points') || ''); for (let i = 0; i + 1 < n.length; i += 2) pts.push({x: n[i], y: n[i + 1]}); }
      else { const b = p.getBBox(); pts = [{x: b.x, y: b.y}, {x: b.x + b.width, y: b.y + b.height}]; }
      if (pts.length < 2) continue;
      const m = toRoot(p); if (!m) continue;
      pts = pts.map(q => tp(m, q.x, q.y));
      const xs = [...new Set(pts.map(q => q.x.toFixed(1)))], ys = [...new Set(pts.map(q => q.y.toFixed(1)))];
      if (p.tagName !== 'rect' && (xs.length !== 2 || ys.length !== 2)) continue;
      const X = pts.map(q => q.x), Y = pts.map(q => q.y);
      const r = {x0: Math.min(...X), x1: Math.max(...X), y0: Math.min(...Y), y1: Math.max(...Y), tag: p.tagName,
                 opaque: p.tagName === 'polygon' && /^(#fff(fff)?|white|rgb\(\s*255,\s*255,\s*255\))$/i.test((p.getAttribute('fill') || '').trim())};
      if (r.x1 - r.x0 < 2 || r.y1 - r.y0 < 2) continue;
      rects.push(r);
    }
    const inside = (r, x, y) => x >= r.x0 - 0.5 && x <= r.x1 + 0.5 && y >= r.y0 - 0.5 && y <= r.y1 + 0.5;
    const regions = [];
    const unboxed = [];
    for (const kt of keyTexts) {
      if (regions.some(R => R.texts.includes(kt))) continue;
      const cands = rects.filter(r => inside(r, kt.cx, kt.cy)).sort((a, b) => (a.x1 - a.x0) * (a.y1 - a.y0) - (b.x1 - b.x0) * (b.y1 - b.y0));
      let chosen = null;
      for (const r of cands) {
        const n = keyTexts.filter(k => inside(r, k.cx, k.cy)).length;
        if (r.y1 - r.y0 <= (n + 2) * 1.6 * kt.fs) { chosen = r; break; }
      }
      if (!chosen) { unboxed.push(kt); continue; }
      let R = regions.find(R => Math.abs(R.x0 - chosen.x0) < 0.6 && Math.abs(R.y0 - chosen.y0) < 0.6 && Math.abs(R.x1 - chosen.x1) < 0.6 && Math.abs(R.y1 - chosen.y1) < 0.6);
      if (!R) { R = {x0: chosen.x0, y0: chosen.y0, x1: chosen.x1, y1: chosen.y1, boxed: true, opaque: false, texts: []}; regions.push(R); }
      R.opaque = R.opaque || rects.some(r => r.opaque && Math.abs(r.x0 - R.x0) < 0.6 && Math.abs(r.y1 - R.y1) < 0.6);
      for (const k of keyTexts) if (inside(R, k.cx, k.cy) && !R.texts.includes(k)) R.texts.push(k);
    }
    // Unboxed keys: stacks of texts with the same anchor x, widened by gnuplot's default sample (4 characters + gap).
    for (const kt of unboxed) {
      if (regions.some(R => R.texts.includes(kt))) continue;
      const ax = kt.anchor === 'end' ? kt.b.x1 : kt.b.x0;
      const stack = unboxed.filter(k => Math.abs((k.anchor === 'end' ? k.b.x1 : k.b.x0) - ax) < 1 && Math.abs(k.cy - kt.cy) < 2.2 * kt.fs * keyTexts.length);
      const R = {x0: Math.min(...stack.map(k => k.b.x0)), x1: Math.max(...stack.map(k => k.b.x1)),
                 y0: Math.min(...stack.map(k => k.b.y0)), y1: Math.max(...stack.map(k => k.b.y1)), boxed: false, opaque: false, texts: stack};
      if (kt.anchor === 'end') R.x1 += 4.6 * kt.fs; else R.x0 -= 4.6 * kt.fs;
      regions.push(R);
    }
    // Plot frames: closed rectangles that are not key boxes (gnuplot draws frames as paths; a <rect> is its background).
    const keyish = r => regions.some(R => Math.abs(R.x0 - r.x0) < 0.6 && Math.abs(R.y0 - r.y0) < 0.6 && Math.abs(R.x1 - r.x1) < 0.6 && Math.abs(R.y1 - r.y1) < 0.6);
    const frames = [];
    for (const r of rects) if (r.tag === 'path' && !keyish(r) && r.y1 - r.y0 > 60 && r.x1 - r.x0 > 60
                             && !frames.some(f => Math.abs(f.x0 - r.x0) < 0.6 && Math.abs(f.y0 - r.y0) < 0.6 && Math.abs(f.x1 - r.x1) < 0.6 && Math.abs(f.y1 - r.y1) < 0.6)) frames.push(r);
    // Data on a frame: a line vertex on the top or bottom edge, a point marker centred on any edge (an autoscaled
    // range ending at the data, or data clipped by a set range). Filled shapes (heat map cells, boxes) are exempt.
    const onFrame = frames.map(() => new Map());
    const FR = 0.6;
    // tol: a line is on the frame when its stroke reaches the frame line (half its width + half the frame's 1 px).
    const frameNote = (g, x, y, isPoint, tol) => {
      const T = Math.max(FR, tol || 0);
      frames.forEach((f, fi) => {
        if (x < f.x0 - T || x > f.x1 + T || y < f.y0 - T || y > f.y1 + T) return;
        let edge = null;
        if (Math.abs(y - f.y0) <= T) edge = 'top'; else if (Math.abs(y - f.y1) <= T) edge = 'bottom';
        else if (isPoint && Math.abs(x - f.x0) <= FR) edge = 'left'; else if (isPoint && Math.abs(x - f.x1) <= FR) edge = 'right';
        if (!edge) return;
        const t = g.querySelector(':scope > title'); let name = t ? t.textContent.trim() : g.id;
        if (/^gnuplot_plot_\d+[a-z]?$/.test(name)) name = 'untitled series ' + name.replace(/\D+/g, '');
        const m = onFrame[fi]; if (!m.has(name)) m.set(name, new Set()); m.get(name).add(edge);
      });
    };
    // Data geometry.
    const keyTextEls = new Set(keyTexts.map(k => k.el));
    const segHits = (R, a, b) => {   // Liang-Barsky: where segment ab enters the region shrunk by EPS, or false
      const x0 = R.x0 + EPS, x1 = R.x1 - EPS, y0 = R.y0 + EPS, y1 = R.y1 - EPS;
      if (x1 <= x0 || y1 <= y0) return false;
      let t0 = 0, t1 = 1; const dx = b.x - a.x, dy = b.y - a.y;
      const ps = [-dx, dx, -dy, dy], qs = [a.x - x0, x1 - a.x, a.y - y0, y1 - a.y];
      for (let i = 0; i < 4; i++) {
        if (ps[i] === 0) { if (qs[i] < 0) return false; continue; }
        const t = qs[i] / ps[i];
        if (ps[i] < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
      }
      return {x: a.x + t0 * dx, y: a.y + t0 * dy};
    };
    const boxHits = (R, b) => b.x1 > R.x0 + EPS && b.x0 < R.x1 - EPS && b.y1 > R.y0 + EPS && b.y0 < R.y1 - EPS;
    const within = (R, b) => b.x0 >= R.x0 - 0.5 && b.x1 <= R.x1 + 0.5 && b.y0 >= R.y0 - 0.5 && b.y1 <= R.y1 + 0.5;
    // gnuplot draws an entry's sample 0.7 to 4.25 characters beyond the anchor of its text, on the text's row.
    const isSample = (R, g, b) => within(R, b) && R.texts.some(k => k.g === g && Math.abs((b.y0 + b.y1) / 2 - k.cy) <= 0.8 * k.fs
        && (k.anchor === 'end' ? b.x0 >= k.b.x1 + 0.3 * k.fs && b.x1 <= k.b.x1 + 4.8 * k.fs
                               : b.x1 <= k.b.x0 - 0.3 * k.fs && b.x0 >= k.b.x0 - 4.8 * k.fs));
    const subpaths = p => {
      const d = p.getAttribute('d') || '';
      if (/[^MLHVZmlhvz\d\s,.eE+-]/.test(d)) {   // curves: sample the outline
        const n = Math.min(400, Math.max(8, Math.ceil(p.getTotalLength() / 3))), L = p.getTotalLength(), pts = [];
        for (let i = 0; i <= n; i++) { const q = p.getPointAtLength(L * i / n); pts.push({x: q.x, y: q.y}); }
        return [pts];
      }
      const out = []; let cur = null, x = 0, y = 0, sx = 0, sy = 0;
      const toks = d.match(/[MLHVZmlhvz]|-?\d*\.?\d+(?:[eE][-+]?\d+)?/g) || [];
      let cmd = 'M', i = 0;
      while (i < toks.length) {
        if (/[A-Za-z]/.test(toks[i])) { cmd = toks[i++]; if (cmd === 'Z' || cmd === 'z') { if (cur) cur.push({x: sx, y: sy}); x = sx; y = sy; cmd = 'L'; } continue; }
        const v = Number(toks[i++]);
        if (cmd === 'M' || cmd === 'm') { const w = Number(toks[i++]); x = cmd === 'M' ? v : x + v; y = cmd === 'M' ? w : y + w; sx = x; sy = y; cur = [{x, y}]; out.push(cur); cmd = cmd === 'M' ? 'L' : 'l'; }
        else if (cmd === 'L' || cmd === 'l') { const w = Number(toks[i++]); x = cmd === 'L' ? v : x + v; y = cmd === 'L' ? w : y + w; if (!cur) { cur = [{x, y}]; out.push(cur); } else cur.push({x, y}); }
        else if (cmd === 'H' || cmd === 'h') { x = cmd === 'H' ? v : x + v; if (cur) cur.push({x, y}); }
        else if (cmd === 'V' || cmd === 'v') { y = cmd === 'V' ? v : y + v; if (cur) cur.push({x, y}); }
      }
      return out;
    };
    const results = regions.map(R => ({R, hits: new Map(), n: 0, example: null}));
    const note = (res, g, what, x, y) => {
      const t = g.querySelector(':scope > title'); let name = t ? t.textContent.trim() : g.id;
      if (/^gnuplot_plot_\d+[a-z]?$/.test(name)) name = 'untitled series ' + name.replace(/\D+/g, '');
      res.hits.set(name, (res.hits.get(name) || 0) + 1); res.n++;
      if (!res.example) res.example = {what, x: Math.round(x), y: Math.round(y)};
    };
    for (const g of groups) {
      for (const el of g.querySelectorAll('path, polygon, polyline, line, rect, use, image, circle, text')) {
        if (el.closest('defs') || keyTextEls.has(el) || (el.tagName === 'text' && keyTextEls.has(el.closest('text')))) continue;
        if (el.tagName === 'text' && [...keyTextEls].some(k => k.contains(el))) continue;
        const m = toRoot(el); if (!m) continue;
        if (el.tagName === 'path' || el.tagName === 'polygon' || el.tagName === 'polyline' || el.tagName === 'line') {
          let subs;
          if (el.tagName === 'path') subs = subpaths(el);
          else if (el.tagName === 'line') subs = [[{x: +el.getAttribute('x1'), y: +el.getAttribute('y1')}, {x: +el.getAttribute('x2'), y: +el.getAttribute('y2')}]];
          else { const n = nums(el.getAttribute('points') || ''), pts = []; for (let i = 0; i + 1 < n.length; i += 2) pts.push({x: n[i], y: n[i + 1]});
                 if (el.tagName === 'polygon' && pts.length) pts.push(pts[0]); subs = [pts]; }
          const filled = el.tagName === 'polygon' || ((el.getAttribute('fill') || getComputedStyle(el).fill) !== 'none' && el.tagName === 'path' && /[Zz]\s*$/.test(el.getAttribute('d') || ''));
          for (let sp of subs) {
            sp = sp.map(q => tp(m, q.x, q.y));
            if (!sp.length) continue;
            const xs = sp.map(q => q.x), ys = sp.map(q => q.y);
            const b = {x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys)};
            if (!filled && !results.some(res => isSample(res.R, g, b))) {
              const tol = (parseFloat(getComputedStyle(el).strokeWidth) || 1) / 2 + 0.5;
              for (const q of sp) frameNote(g, q.x, q.y, sp.length === 1, sp.length === 1 ? 0 : tol);
            }
            for (const res of results) {
              if (isSample(res.R, g, b)) continue;
              if (filled && boxHits(res.R, b)) {
                // a filled shape: overlap of areas (its bounding box: gnuplot's fills are rectangles and boxes)
                note(res, g, el.tagName + ' (filled)', (Math.max(b.x0, res.R.x0) + Math.min(b.x1, res.R.x1)) / 2, (Math.max(b.y0, res.R.y0) + Math.min(b.y1, res.R.y1)) / 2); continue;
              }
              if (sp.length === 1) { if (boxHits(res.R, {x0: sp[0].x, x1: sp[0].x, y0: sp[0].y, y1: sp[0].y})) note(res, g, 'point', sp[0].x, sp[0].y); continue; }
              for (let i = 0; i + 1 < sp.length; i++) { const hit = segHits(res.R, sp[i], sp[i + 1]); if (hit) { note(res, g, 'line', hit.x, hit.y); break; } }
            }
          }
        } else {
          const b = bboxRoot(el); if (!b) continue;
          if (b.x1 - b.x0 === 0 && b.y1 - b.y0 === 0) continue;
          if (el.tagName === 'use' && !results.some(res => isSample(res.R, g, b))) frameNote(g, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, true);
          for (const res of results) {
            if (isSample(res.R, g, b)) continue;
            if (boxHits(res.R, b)) note(res, g, el.tagName === 'use' ? 'point' : el.tagName, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2);
          }
        }
      }
    }
    // The plot frame of each key: the non-key rectangle it overlaps most. A key neither inside nor outside its frame
    // covers the axis line, its ticks and tick labels.
    const area = (a, b) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
    for (const res of results) {
      const R = res.R; let best = null, bestA = 0;
      for (const f of frames) { const a = area(R, f); if (a > bestA) { bestA = a; best = f; } }
      const inner = best && R.x0 >= best.x0 - 1.5 && R.x1 <= best.x1 + 1.5 && R.y0 >= best.y0 - 1.5 && R.y1 <= best.y1 + 1.5;
      res.crossesFrame = !!best && !inner ? [best.x0, best.y0, best.x1, best.y1].map(v => Math.round(v)) : null;
    }
    // Overlapping labels (tick labels, titles): <text>s outside the plot groups whose boxes intersect by more than 1 px
    // each way; rotated texts are skipped (their axis-aligned box is not their outline).
    const labels = [];
    for (const tx of svg.querySelectorAll('text')) {
      if (inGroup(tx) || !tx.textContent.trim()) continue;
      const m = toRoot(tx); if (!m || Math.abs(m.b) > 1e-6 || Math.abs(m.c) > 1e-6) continue;
      const b = bboxRoot(tx); if (b) labels.push({t: tx.textContent.trim(), b});
    }
    const clashes = [];
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i].b, c = labels[j].b;
      const ox = Math.min(a.x1, c.x1) - Math.max(a.x0, c.x0), oy = Math.min(a.y1, c.y1) - Math.max(a.y0, c.y0);
      if (ox > 1 && oy > 1) clashes.push([labels[i].t, labels[j].t, Math.round((a.x0 + a.x1) / 2), Math.round((a.y0 + a.y1) / 2)]);
    }
    const vb = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal : {width: svg.width.baseVal.value, height: svg.height.baseVal.value};
    figs.push({figure: figName, status: 'checked', width: vb.width, height: vb.height, labelClashes: clashes,
      keys: results.map(res => ({entries: res.R.texts.map(k => k.name), boxed: res.R.boxed, opaque: res.R.opaque,
        box: [res.R.x0, res.R.y0, res.R.x1, res.R.y1].map(v => Math.round(v)),
        overlaps: res.n, series: Object.fromEntries(res.hits), example: res.example, crossesFrame: res.crossesFrame})),
      frames: frames.map((f, fi) => ({box: [f.x0, f.y0, f.x1, f.y1].map(v => Math.round(v)),
        onFrame: Object.fromEntries([...onFrame[fi]].map(([k, v]) => [k, [...v].sort()]))}))});
  }
  return figs;
})()
"""

SETTLE_JS = """
new Promise(resolve => {
  const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
  (document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve()).then(done);
})
"""


# ---------------------------------------------------------------------------------------------------------------

def list_pages(site):
    names = sorted(n for n in os.listdir(site) if n.endswith(".html") and os.path.isfile(os.path.join(site, n)))
    if "index.html" in names:
        names.remove("index.html")
        names.insert(0, "index.html")
    return names


_ids_cache = {}


def ids_of(path):
    if path not in _ids_cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        _ids_cache[path] = set(m.group(2) for m in re.finditer(r"""\b(?:id|name)=(["'])([^"']*)\1""", text))
    return _ids_cache[path]


def check_links(info, site):
    problems, external, internal = [], 0, 0
    for link in info["links"]:
        raw, resolved = link["raw"], link["resolved"]
        if raw.startswith(("data:", "javascript:", "blob:", "about:")):
            continue
        if not resolved:
            problems.append("%s %s=%r: not a URL" % (link["tag"], link["attr"], raw))
            continue
        u = urllib.parse.urlsplit(resolved)
        if u.scheme in ("http", "https", "mailto", "ftp", "tel"):
            external += 1
            continue
        if u.scheme != "file":
            continue
        internal += 1
        if link["samePageFragment"] is not None:
            if not link["found"]:
                problems.append("%s %s=%r: no element with id %r on this page" % (link["tag"], link["attr"], raw,
                                                                                  link["samePageFragment"]))
            continue
        path = urllib.request.url2pathname(u.path)
        if not os.path.exists(path):
            problems.append("%s %s=%r: %s does not exist" % (link["tag"], link["attr"], raw, os.path.relpath(path, site)))
            continue
        if u.fragment:
            frag = urllib.parse.unquote(u.fragment)
            if path.endswith((".html", ".htm", ".svg")) and frag not in ids_of(path):
                problems.append("%s %s=%r: no id %r in %s" % (link["tag"], link["attr"], raw, frag, os.path.relpath(path, site)))
    return problems, internal, external


def console_problems(events):
    out = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            text = (d.get("exception", {}) or {}).get("description") or d.get("text", "exception")
            out.append("exception: %s (line %s)" % (text.splitlines()[0][:160], d.get("lineNumber")))
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            out.append("console.%s: %s" % (p.get("type"), args[:160]))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            en = p["entry"]
            if en.get("source") == "console-api":
                continue  # the same message as Runtime.consoleAPICalled
            out.append("log (%s): %s%s" % (en.get("source"), en.get("text", "")[:160],
                                           (" " + en["url"]) if en.get("url") else ""))
    return out


def loaded_files(events, page_path):
    files = set()
    for e in events:
        if e.get("method") != "Network.requestWillBeSent":
            continue
        url = e["params"]["request"]["url"]
        u = urllib.parse.urlsplit(url)
        if u.scheme != "file":
            continue
        p = urllib.request.url2pathname(u.path)
        if os.path.abspath(p) != os.path.abspath(page_path) and os.path.isfile(p):
            files.add(os.path.abspath(p))
    return files


def evaluate(browser, session, expr, await_promise=False, timeout=None):
    r = browser.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": await_promise},
                     session=session, timeout=timeout)
    if "exceptionDetails" in r:
        d = r["exceptionDetails"]
        raise BrowserError("probe failed: %s" % ((d.get("exception") or {}).get("description") or d.get("text")))
    return r["result"].get("value")


def check_page(browser, session, site, name, width, height, shots, with_legend):
    path = os.path.abspath(os.path.join(site, name))
    browser.drain(session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.send("Page.navigate", {"url": "file://" + urllib.request.pathname2url(path)}, session=session)
    browser.wait_event("Page.loadEventFired", session, timeout=120)
    evaluate(browser, session, SETTLE_JS, await_promise=True, timeout=60)
    res = {"page": name, "width": width}
    ov = evaluate(browser, session, JS_OVERFLOW, timeout=120)
    res["overflow"] = ov
    links = evaluate(browser, session, JS_LINKS, timeout=60)
    res["links"], res["internal_links"], res["external_links"] = check_links(links, site)
    res["anchors"] = links["anchors"]
    res["alt"] = evaluate(browser, session, JS_ALT, timeout=60)
    if with_legend:
        res["legend"] = evaluate(browser, session, JS_LEGEND, timeout=300)
    if shots:
        metrics = browser.send("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics.get("contentSize")
        h = min(int(size["height"]) + 1, 30000)
        w = max(width, int(size["width"]))
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                       "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}},
                            session=session, timeout=180)
        out = os.path.join(shots, "%s-%d.png" % (name[:-5], width))
        with open(out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        res["screenshot"] = out
        if with_legend:
            # Each figure on its own, at twice the scale (for looking at keys and axes).
            boxes = evaluate(browser, session, """[...document.querySelectorAll('figure')].map((f, i) => {
                const r = f.getBoundingClientRect();
                return {id: f.id || ('figure-' + (i + 1)), x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; })""")
            for b in boxes:
                if b["w"] < 1 or b["h"] < 1:
                    continue
                shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {
                    "x": b["x"], "y": b["y"], "width": b["w"], "height": b["h"], "scale": 2}}, session=session, timeout=120)
                safe = re.sub(r"[^A-Za-z0-9_.-]", "_", b["id"])
                with open(os.path.join(shots, "%s-%d-%s.png" % (name[:-5], width, safe)), "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
    time.sleep(0.2)  # late console messages
    browser.send("Runtime.evaluate", {"expression": "0"}, session=session)
    events = browser.drain(session)
    res["console"] = console_problems(events)
    res["files"] = sorted(loaded_files(events, path))
    return res


def weights(site, pages, results, baseline):
    rows = []
    for name in pages:
        page_bytes = os.path.getsize(os.path.join(site, name))
        files = set()
        for r in results:
            if r["page"] == name:
                files.update(r["files"])
        asset_bytes = sum(os.path.getsize(f) for f in files)
        total = page_bytes + asset_bytes
        if name == "index.html":
            limit, basis = INDEX_LIMIT, "index < %d B" % INDEX_LIMIT
        elif name in baseline:
            limit = int(baseline[name] * REPORT_FRACTION)
            basis = "< 40 %% of %d B" % baseline[name]
        else:
            limit, basis = None, "no baseline"
        rows.append({"page": name, "html": page_bytes, "assets": asset_bytes, "files": len(files), "total": total,
                     "limit": limit, "basis": basis, "ok": limit is None or total < limit})
    return rows


def failures(r, checks):
    """The failed checks of one page/width result: {check: [messages]}."""
    f = {}
    if "overflow" in checks:
        ov = r["overflow"]
        if ov["scrollWidth"] > ov["clientWidth"]:
            f["overflow"] = ["page %d px wide in a %d px viewport" % (ov["scrollWidth"], ov["clientWidth"])] + [
                "%s: %d px wide, right edge at %d px%s" % (o["element"], o["width"], o["right"],
                                                          (" (\"%s\")" % o["text"]) if o["text"] else "")
                for o in ov["offenders"]] + (["... %d offending elements in all" % ov["count"]] if ov["count"] > 6 else [])
    if "console" in checks and r["console"]:
        f["console"] = r["console"]
    if "links" in checks and r["links"]:
        f["links"] = r["links"]
    if "alt" in checks and r["alt"]["issues"]:
        f["alt"] = ["%s: %s" % (i["element"], i["what"]) for i in r["alt"]["issues"]]
    if "legend" in checks and "legend" in r:
        msgs = []
        for fig in r["legend"]:
            for k in fig.get("keys", []):
                if k["overlaps"]:
                    series = ", ".join("%s (%d)" % (s, n) for s, n in sorted(k["series"].items(), key=lambda kv: -kv[1]))
                    msgs.append("%s: key [%s] %s box %s of a %dx%d svg covers data: %s; first at (%d, %d), a %s" % (
                        fig["figure"], " | ".join(k["entries"]),
                        "opaque" if k["opaque"] else ("boxed" if k["boxed"] else "unboxed (region approximated)"),
                        k["box"], fig["width"], fig["height"], series, k["example"]["x"], k["example"]["y"],
                        k["example"]["what"]))
                if k.get("crossesFrame"):
                    msgs.append("%s: key [%s] box %s crosses the plot frame %s (covers the axis, its ticks or labels)" % (
                        fig["figure"], " | ".join(k["entries"]), k["box"], k["crossesFrame"]))
        if msgs:
            f["legend"] = msgs
    if "frame" in checks and "legend" in r:
        msgs = []
        for fig in r["legend"]:
            for i, fr in enumerate(fig.get("frames", [])):
                if fr["onFrame"]:
                    msgs.append("%s: panel %d (frame %s): %s" % (fig["figure"], i + 1, fr["box"], "; ".join(
                        "%s on the %s edge" % (s, "/".join(e)) for s, e in sorted(fr["onFrame"].items()))))
        if msgs:
            f["frame"] = msgs
    if "labels" in checks and "legend" in r:
        msgs = []
        for fig in r["legend"]:
            cl = fig.get("labelClashes") or []
            if cl:
                msgs.append("%s: %d overlapping label pair(s): %s" % (fig["figure"], len(cl), "; ".join(
                    "'%s' / '%s' at (%d, %d)" % tuple(c) for c in cl[:4])))
        if msgs:
            f["labels"] = msgs
    return f


def legend_summary(r):
    if "legend" not in r:
        return "-"
    figs = r["legend"]
    checked = [f for f in figs if f["status"] == "checked"]
    keys = sum(len(f["keys"]) for f in checked)
    bad = sum(1 for f in checked for k in f["keys"] if k["overlaps"] or k.get("crossesFrame"))
    nc = sum(1 for f in figs if f["status"] == "not checked")
    s = "%d/%d keys over data or frame" % (bad, keys) if keys else "no keys"
    return s + (", %d not checked" % nc if nc else "")


def run(site, widths, height, shots, enforce, weights_enforce, baseline_path, chromium, json_out, quiet=False,
        write_baseline=False, markdown=None):
    pages = list_pages(site)
    if not pages:
        print("pagecheck: no pages in %s (run `make reports` first)" % site, file=sys.stderr)
        return 2, None
    exe = find_chromium(chromium)
    if not exe:
        print("pagecheck: Chromium not found (apt-get install chromium, or set CHROMIUM)", file=sys.stderr)
        return 2, None
    if shots:
        os.makedirs(shots, exist_ok=True)
    t0 = time.monotonic()
    browser = Browser(exe)
    results = []
    try:
        tgt = browser.send("Target.createTarget", {"url": "about:blank"})
        session = browser.send("Target.attachToTarget", {"targetId": tgt["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(domain + ".enable", session=session)
        for name in pages:
            for i, w in enumerate(widths):
                t1 = time.monotonic()
                r = check_page(browser, session, site, name, w, height, shots, with_legend=(i == 0))
                r["seconds"] = round(time.monotonic() - t1, 2)
                results.append(r)
                if not quiet:
                    print("  loaded %s at %d px (%.1f s)" % (name, w, r["seconds"]), file=sys.stderr)
    finally:
        browser.close()
    elapsed = time.monotonic() - t0

    baseline = {}
    if baseline_path and os.path.exists(baseline_path):
        with open(baseline_path) as f:
            baseline = json.load(f).get("pages", {})
    wrows = weights(site, pages, results, baseline)
    if write_baseline:
        data = {"comment": "Page weights (page bytes + local files it loads) of the site as rendered at the time "
                           "noted, the reference for issue 19's target: every report page under 40 % of this.",
                "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "pages": {w["page"]: w["total"] for w in wrows}}
        with open(baseline_path, "w") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")
        print("pagecheck: wrote %s" % baseline_path)

    all_checks = CHECKS
    status = 0
    table = []
    detail = []
    for r in results:
        f = failures(r, all_checks)
        row = {"page": r["page"], "width": r["width"]}
        for c in all_checks:
            if c in ("legend", "frame", "labels") and "legend" not in r:
                row[c] = "-"
            else:
                row[c] = "FAIL" if c in f else "ok"
            if c in f and c in enforce:
                status = 1
        row["legend_detail"] = legend_summary(r)
        row["anchors"] = r["anchors"]
        table.append(row)
        for c, msgs in f.items():
            detail.append((r["page"], r["width"], c, msgs))
    for w in wrows:
        if weights_enforce and not w["ok"]:
            status = 1

    # Print.
    print("\npagecheck: %d pages x %d widths in %.1f s (%s)" % (len(pages), len(widths), elapsed, exe))
    hdr = "%-22s %6s " % ("page", "width") + " ".join("%-8s" % c for c in all_checks) + " <a href> / legend detail"
    print(hdr)
    print("-" * len(hdr))
    for row in table:
        print("%-22s %6d " % (row["page"], row["width"]) + " ".join(
            "%-8s" % (row[c] + ("" if c in enforce or row[c] != "FAIL" else "*")) for c in all_checks)
              + " %d / %s" % (row["anchors"], row["legend_detail"]))
    not_enforced = [c for c in all_checks if c not in enforce]
    if not_enforced:
        print("(* = failing, not enforced: %s)" % ", ".join(not_enforced))
    print("\npage weights (page + local files it loads)%s:" % ("" if weights_enforce else ", not enforced"))
    print("%-22s %10s %10s %6s %10s  %s" % ("page", "html B", "assets B", "files", "total B", "target"))
    for w in wrows:
        print("%-22s %10d %10d %6d %10d  %s %s" % (w["page"], w["html"], w["assets"], w["files"], w["total"], w["basis"],
                                                  "ok" if w["ok"] else "MISSED"))
    print("%-22s %10s %10s %6s %10d" % ("site", "", "", "", sum(w["total"] for w in wrows)))
    if detail:
        print("\nfindings:")
        for page, width, c, msgs in detail:
            mark = "" if c in enforce else " (not enforced)"
            print("  %s @ %d px, %s%s:" % (page, width, c, mark))
            for m in msgs[:12]:
                print("    - " + m)
            if len(msgs) > 12:
                print("    - ... %d more" % (len(msgs) - 12))
    print("\npagecheck: %s" % ("PASS" if status == 0 else "FAIL"))
    if markdown:
        write_markdown(markdown, site, pages, widths, table, detail, wrows, enforce, weights_enforce, elapsed, status)
    if json_out:
        with open(json_out, "w") as f:
            json.dump({"seconds": round(elapsed, 1), "results": results, "weights": wrows, "enforce": sorted(enforce)},
                      f, indent=1)
    return status, {"results": results, "weights": wrows, "table": table, "seconds": elapsed}


def write_markdown(path, site, pages, widths, table, detail, wrows, enforce, weights_enforce, elapsed, status):
    """The findings as Markdown: summary table, every failure (page, width, check, where) and the page weights."""
    checks = CHECKS
    L = ["# pagecheck findings: %s" % os.path.abspath(site), "",
         "%s; %d pages x widths %s in %.0f s; enforced: %s%s; result %s." % (
             time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), len(pages), "/".join(map(str, widths)), elapsed,
             ", ".join(sorted(enforce)) or "none", ", weights" if weights_enforce else "", "PASS" if status == 0 else "FAIL"),
         "", "| page | width | " + " | ".join(checks) + " | links on page | gnuplot keys |",
         "|---|---|" + "---|" * len(checks) + "---|---|"]
    for row in table:
        L.append("| %s | %d | " % (row["page"], row["width"]) + " | ".join(row[c] for c in checks)
                 + " | %d | %s |" % (row["anchors"], row["legend_detail"]))
    L += ["", "## Failures", ""]
    if not detail:
        L.append("None.")
    for page, width, c, msgs in detail:
        L.append("### %s @ %d px: %s%s" % (page, width, c, "" if c in enforce else " (not enforced)"))
        L.append("")
        L += ["- " + m for m in msgs]
        L.append("")
    L += ["## Page weights (page bytes + local files it loads)", "",
          "| page | html B | assets B | files | total B | target | met |", "|---|---|---|---|---|---|---|"]
    for w in wrows:
        L.append("| %s | %d | %d | %d | %d | %s | %s |" % (w["page"], w["html"], w["assets"], w["files"], w["total"],
                                                          w["basis"], "yes" if w["ok"] else "no"))
    L.append("| site | | | | %d | | |" % sum(w["total"] for w in wrows))
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


def selftest(args):
    """Runs the checker on fixtures/: each page names the checks it must fail in <meta name="pagecheck-expect">
    (`check` at every width, `check@WIDTH` at one); the run must find exactly those."""
    site = os.path.join(HERE, "fixtures")
    status, out = run(site, args.widths, args.height, None, set(CHECKS), True,
                      os.path.join(site, "baseline.json"), args.chromium, None, quiet=True)
    if out is None:
        return 2
    ok = True
    print("\nselftest:")
    for name in list_pages(site):
        with open(os.path.join(site, name), encoding="utf-8") as f:
            m = re.search(r'<meta name="pagecheck-expect" content="([^"]*)"', f.read())
        tokens = [t for t in (m.group(1).split() if m else [])]
        expected = set()
        for t in tokens:
            check, _, width = t.split("=")[0].partition("@")
            for r in out["results"]:
                if r["page"] == name and (not width or str(r["width"]) == width):
                    if check != "weights":
                        expected.add((check, r["width"] if check not in ("legend", "frame", "labels") else None))
        found = set()
        for r in out["results"]:
            if r["page"] != name:
                continue
            for c in failures(r, CHECKS):
                found.add((c, r["width"] if c not in ("legend", "frame", "labels") else None))
        # `legend=N`: the number of keys over data the page must show (each figure is reported on its own).
        for t in tokens:
            if t.startswith("legend="):
                want = int(t.split("=", 1)[1])
                got = sum(len(failures(r, ["legend"]).get("legend", [])) for r in out["results"] if r["page"] == name)
                if got != want:
                    print("  %-18s expected %d keys over data, found %d: MISMATCH" % (name, want, got))
                    ok = False
        wexp = "weights" in tokens
        wfound = any(not w["ok"] for w in out["weights"] if w["page"] == name)
        good = found == expected and wexp == wfound
        ok = ok and good
        fmt = lambda s: ", ".join(sorted("%s%s" % (c, "" if w is None else "@%d" % w) for c, w in s)) or "nothing"
        print("  %-18s expected %-40s found %-40s %s" % (
            name, fmt(expected) + (" +weights" if wexp else ""), fmt(found) + (" +weights" if wfound else ""),
            "ok" if good else "MISMATCH"))
    if status != 1:
        print("  the run passed although fixtures have defects: MISMATCH")
        ok = False
    print("selftest: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("site", nargs="?", default="site", help="rendered site folder (default: site)")
    ap.add_argument("--widths", default="1280,420", help="viewport widths in CSS px (default: 1280,420)")
    ap.add_argument("--height", type=int, default=900, help="viewport height (default: 900)")
    ap.add_argument("--enforce", default=",".join(DEFAULT_ENFORCE),
                    help="checks that decide the exit status (default: %s; known: %s); the others are reported only"
                         % (",".join(DEFAULT_ENFORCE), ",".join(CHECKS)))
    ap.add_argument("--weights-enforce", action="store_true", help="fail when a page misses its weight target")
    ap.add_argument("--baseline", default=os.path.join(HERE, "baseline.json"), help="page weights of reference")
    ap.add_argument("--write-baseline", action="store_true", help="store this run's page weights as the baseline")
    ap.add_argument("--screenshots", metavar="DIR", help="save full-page PNGs <page>-<width>.png into DIR, and each "
                    "figure at twice the scale at the first width (<page>-<width>-<figure id>.png)")
    ap.add_argument("--json", metavar="FILE", help="write every measurement as JSON")
    ap.add_argument("--markdown", metavar="FILE", help="write the findings (every failure, the weights) as Markdown")
    ap.add_argument("--chromium", help="browser executable (default: chromium, or $CHROMIUM)")
    ap.add_argument("--selftest", action="store_true", help="check the fixtures: every defect must be caught")
    args = ap.parse_args()
    try:
        args.widths = [int(w) for w in args.widths.split(",") if w.strip()]
    except ValueError:
        ap.error("--widths: comma-separated integers")
    if args.selftest:
        return selftest(args)
    enforce = set(c.strip() for c in args.enforce.split(",") if c.strip())
    unknown = enforce - set(CHECKS)
    if unknown:
        ap.error("--enforce: unknown check(s) %s (known: %s)" % (", ".join(sorted(unknown)), ", ".join(CHECKS)))
    if not os.path.isdir(args.site):
        print("pagecheck: no %s/ folder: run `make reports` first" % args.site, file=sys.stderr)
        return 2
    status, _ = run(args.site, args.widths, args.height, args.screenshots, enforce, args.weights_enforce,
                    args.baseline, args.chromium, args.json, write_baseline=args.write_baseline, markdown=args.markdown)
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrowserError as e:
        print("pagecheck: %s" % e, file=sys.stderr)
        sys.exit(2)
