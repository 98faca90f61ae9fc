/**
 * The HTML report's inline style and script. The script is the only one the page may run: the
 * Content-Security-Policy names its SHA-256, loads nothing from anywhere (images only as data:
 * URIs), so the file works offline from file:// and a hostile value cannot add a script.
 */
import { createHash } from 'node:crypto'

export const STYLE = [
  '*{box-sizing:border-box}',
  'body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:1rem 2rem;max-width:80rem}',
  'body{color:#1b1f24;background:#fff;overflow-wrap:anywhere}',
  'h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}',
  'h3{font-size:1rem;margin:.2rem 0}h4{font-size:.95rem;margin:.6rem 0 .2rem}',
  '.scroll{overflow-x:auto;max-width:100%}',
  'table{border-collapse:collapse;width:100%}',
  'th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}',
  'th{background:#f6f8fa;overflow-wrap:normal}td.num{text-align:right;white-space:nowrap}',
  'pre{background:#f6f8fa;padding:.6rem;margin:.3rem 0;overflow:auto;max-width:100%}',
  'pre{white-space:pre-wrap;word-break:break-all}',
  'code{word-break:break-all}',
  '.passed,.pass{color:#1a7f37}.failed,.errored,.interrupted,.stale,.fail{color:#cf222e}',
  '.warned,.warn{color:#9a6700}.inconclusive{color:#8250df}',
  '.skipped,.xfail,.xwarn,.excused,.not-applicable,.untested,.muted{color:#57606a}',
  '.verdict{font-weight:bold}details{margin:.4rem 0}summary{cursor:pointer}',
  '.card{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}',
  '.card-failed,.card-errored{border-left:4px solid #cf222e}',
  '.scn{border-bottom:1px solid #d0d7de;margin:0;padding:.3rem 0;scroll-margin-top:7rem}',
  '.scn>summary{display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:baseline}',
  '.scn>summary .id{font-family:ui-monospace,monospace;font-weight:600}',
  '.step{margin:.4rem 0 .4rem .8rem;padding-left:.6rem;border-left:2px solid #d0d7de}',
  '.checks{list-style:none;padding-left:0;margin:.2rem 0}.checks li{margin:.15rem 0}',
  '.hint{background:#ddf4ff;padding:.3rem .5rem;border-radius:4px}',
  '.filters{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:center}',
  '.filters{position:sticky;top:0;z-index:1;background:#fff;padding:.5rem 0}',
  '.filters{border-bottom:1px solid #d0d7de}',
  '.filters label{display:inline-flex;gap:.25rem;align-items:center}',
  '.filters label{max-width:100%}.filters select{max-width:12rem}',
  '.filters select,.filters input[type=search]{font:inherit}',
  '.filters input[type=search]{flex:1 1 12rem;min-width:0}',
  'img.shot{max-width:100%;height:auto;border:1px solid #d0d7de}',
  '[hidden]{display:none!important}',
  ':target,.flash{outline:2px solid #0969da;outline-offset:2px}',
  '@media (max-width:600px){body{padding:.5rem}th,td{padding:.2rem .3rem}.step{margin-left:.2rem}',
  // On a phone the filter bar would cover a third of the screen: it scrolls away instead.
  '.filters{position:static}.scn{scroll-margin-top:0}}',
].join('\n')

/**
 * Filters (outcome, folder, requirement, level, search) hide the scenarios that do not match;
 * a link to `#s-…` opens the scenario's details (and its parents) and scrolls to it.
 */
export const SCRIPT = `(function () {
  'use strict';
  var scenarios = Array.prototype.slice.call(document.querySelectorAll('details.scn'));
  var form = document.getElementById('filters');
  var count = document.getElementById('shown');
  function values(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
      .map(function (box) { return box.value; });
  }
  function field(name) { return form.elements.namedItem(name).value; }
  function apply() {
    var outcomes = values('outcome');
    var folder = field('folder'), requirement = field('requirement'), level = field('level');
    var words = field('q').toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    scenarios.forEach(function (el) {
      var d = el.dataset;
      var ok = outcomes.indexOf(d.outcome) >= 0 &&
        (!folder || d.folder === folder) &&
        (!requirement || (' ' + d.reqs + ' ').indexOf(' ' + requirement + ' ') >= 0) &&
        (!level || (' ' + d.levels + ' ').indexOf(' ' + level + ' ') >= 0) &&
        words.every(function (w) { return el.textContent.toLowerCase().indexOf(w) >= 0; });
      el.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + ' of ' + scenarios.length + ' scenarios shown';
  }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === 'DETAILS') p.open = true;
      if (p.hidden) p.hidden = false;
    }
    el.scrollIntoView();
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  window.addEventListener('hashchange', reveal);
  apply();
  reveal();
})();`

/** The CSP source of the script: its SHA-256, so no other script can run. */
export function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`
}

/** Nothing may be loaded: only the inline style, this script, and data: images. */
export function contentSecurityPolicy(script: string): string {
  const scripts = `script-src ${scriptHash(script)}`
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; ${scripts}`
}
