import { html, type SafeHtml } from '../html';

export interface PageContext {
  csrfToken: string;
  sandbox: boolean;
  /** A one-line result of the last action (shown once, from the redirect's query). */
  notice?: string | null;
}

const NAV: Array<[href: string, label: string, sandboxOnly?: boolean]> = [
  ['/console', 'Overview'],
  ['/console/dead-letters', 'Dead letters'],
  ['/console/parked-events', 'Parked events'],
  ['/console/records', 'Record history'],
  ['/console/duplicates', 'Duplicates'],
  ['/console/runs', 'Backfill & reconcile'],
  ['/console/mapping', 'Mapping'],
  ['/console/demo', 'Try it (sandbox)', true],
];

export function layout(title: string, page: PageContext, body: SafeHtml, active: string): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · crm-sync</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<header>
  <strong class="brand">crm-sync</strong>
  <nav>${NAV.filter(([, , sandboxOnly]) => !sandboxOnly || page.sandbox).map(
    ([href, label]) => html`<a href="${href}"${href === active ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</nav>
  <form method="post" action="/console/sign-out" class="sign-out">
    <input type="hidden" name="_csrf" value="${page.csrfToken}">
    <button type="submit">Sign out</button>
  </form>
</header>
<main>
  <h1>${title}</h1>
  ${page.notice ? html`<p class="notice" role="status">${page.notice}</p>` : ''}
  ${body}
</main>
</body>
</html>`;
}

/** A state-changing button: a POST form carrying the session's CSRF token. */
export function actionButton(page: PageContext, action: string, label: string, fields: Record<string, string> = {}, options: { confirm?: string; id?: string } = {}): SafeHtml {
  return html`<form method="post" action="${action}" class="inline"${options.confirm ? html` data-confirm="${options.confirm}"` : ''}>
<input type="hidden" name="_csrf" value="${page.csrfToken}">${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit"${options.id ? html` id="${options.id}"` : ''}>${label}</button></form>`;
}

export function status(ok: boolean, text?: string): SafeHtml {
  return html`<span class="status ${ok ? 'ok' : 'bad'}">${text ?? (ok ? 'working' : 'not working')}</span>`;
}

export function ago(date: Date | null | undefined, now = Date.now()): string {
  if (!date) return 'never';
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

export function signInPage(csrfToken: string, error: string | null): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · crm-sync</title>
<link rel="stylesheet" href="/console/assets/console.css"></head>
<body class="sign-in">
<main>
  <h1>crm-sync console</h1>
  <p>Sign in with the service's <code>ADMIN_TOKEN</code>.</p>
  ${error ? html`<p class="notice bad" role="alert">${error}</p>` : ''}
  <form method="post" action="/console/sign-in">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <label>Admin token <input type="password" name="token" id="token" autocomplete="current-password" required autofocus></label>
    <button type="submit" id="sign-in">Sign in</button>
  </form>
</main>
</body>
</html>`;
}
