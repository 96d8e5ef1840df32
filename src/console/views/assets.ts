/**
 * The console's only style sheet and script, served from /console/assets (the Content-Security-Policy
 * allows no inline script or style). The page works without the script: it adds confirmations and
 * refreshes the parts marked data-refresh="seconds" in place.
 */
export const CONSOLE_CSS = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
body { margin: 0; }
header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #1d2330; color: #fff; flex-wrap: wrap; }
header a { color: #cfd8ea; text-decoration: none; margin-right: 1rem; }
header a[aria-current] { color: #fff; font-weight: 600; border-bottom: 2px solid #7fb2ff; }
.brand { font-size: 1.1rem; }
.sign-out { margin-left: auto; }
main { padding: 1rem 1.5rem; max-width: 1200px; }
section { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: .6rem 1rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eceff3; }
pre { white-space: pre-wrap; word-break: break-word; font-size: .8rem; background: #f3f4f7; padding: .4rem; max-height: 20rem; overflow: auto; }
.status { padding: .1rem .45rem; border-radius: 4px; font-weight: 600; }
.ok, .status.ok { color: #146c2e; } .status.ok { background: #e3f5e8; }
.bad, .status.bad { color: #a4161a; } .status.bad { background: #fde7e8; }
.muted { color: #6b7280; font-size: .9em; }
.notice { background: #eef4ff; border: 1px solid #c7d8ff; padding: .4rem .6rem; border-radius: 4px; }
.notice.bad { background: #fde7e8; border-color: #f5b5b8; }
form.inline { display: inline; }
.filters { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; margin-bottom: .6rem; }
.buttons form { margin: 0 .5rem .5rem 0; }
button { cursor: pointer; padding: .3rem .8rem; border: 1px solid #8592a6; border-radius: 4px; background: #fff; }
button:hover { background: #eef2f8; }
.incidents li.critical { color: #a4161a; } .incidents li.warning { color: #8a5a00; }
.decision { font-weight: 600; } .decision.skipped { color: #6b7280; } .decision.dead_lettered { color: #a4161a; }
.write.dead { color: #a4161a; } .write.done { color: #146c2e; }
tr.differs td { background: #fff6e0; }
.chart-bg { fill: #f3f4f7; } .usage-line { fill: none; stroke: #2f6fdb; stroke-width: 2; } .warn-line { stroke: #d98e04; stroke-dasharray: 6 4; }
body.sign-in main { max-width: 380px; margin: 10vh auto; background: #fff; border: 1px solid #dde1e8; border-radius: 8px; }
body.sign-in label { display: block; margin: 1rem 0; } body.sign-in input { width: 100%; padding: .4rem; box-sizing: border-box; }
`;

export const CONSOLE_JS = `
'use strict';
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
function refreshLater(element) {
  var seconds = Number(element.getAttribute('data-refresh')) || 10;
  setTimeout(function () {
    if (document.activeElement && /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)) return refreshLater(element);
    fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById(element.id);
        if (!fresh) return refreshLater(element);
        element.replaceWith(fresh);
        if (fresh.hasAttribute('data-refresh')) refreshLater(fresh);
      })
      .catch(function () { refreshLater(element); });
  }, seconds * 1000);
}
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-refresh][id]').forEach(refreshLater);
});
`;
