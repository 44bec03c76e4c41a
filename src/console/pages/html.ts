/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Styles of the small pages (sign-in, notices), inline so they need no asset before sign-in. */
const SMALL_PAGE_STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
main{max-width:28rem;margin:12vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.3rem;margin-top:0}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;margin:.3rem 0 1rem}
button{padding:.5rem 1.2rem;font:inherit;background:#1f5fd1;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{color:#b3261e}code{background:#eef;padding:0 .2rem}`;

/** A small page: a title and trusted HTML (callers escape what they put in it). */
export function smallPage(title: string, bodyHtml: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>${SMALL_PAGE_STYLE}</style>${head}</head>
<body><main><h1>${escapeHtml(title)}</h1>${bodyHtml}</main></body></html>`;
}

/** The sign-in form; `csrf` is bound to the pre-session cookie, `error` a fixed message. */
export function signInPage(csrf: string, error?: string): string {
  const problem = error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(error)}</p>`;
  return smallPage(
    'Intercom destination · sign in',
    `${problem}<form method="post" action="/console/sign-in">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="token">Admin token (ADMIN_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button></form>`,
  );
}

/** What `/console` shows when no ADMIN_TOKEN is set. */
export function consoleOffPage(): string {
  return smallPage(
    'The console is off',
    `<p>The operator console needs an admin credential. Set <code>ADMIN_TOKEN</code> (at least 16
characters, e.g. <code>openssl rand -hex 24</code>) in the environment of <code>serve</code> and restart it;
then sign in here with that token.</p><p>To connect Intercom with OAuth from the console, also set
<code>INTERCOM_CLIENT_ID</code>, <code>INTERCOM_CLIENT_SECRET</code> and <code>SECRET_KEY</code>.</p>`,
  );
}

/**
 * The OAuth callback reached without the session cookie: the cookie is SameSite=Strict, so a browser
 * arriving from Intercom's site (a cross-site redirect) leaves it out. Loading the same address again
 * from this page is a same-site navigation, which carries it; `resumed=1` stops a loop.
 */
export function continuePage(url: string): string {
  return smallPage(
    'Connecting Intercom…',
    `<p><a href="${escapeHtml(url)}">Continue</a></p>`,
    `<meta http-equiv="refresh" content="0;url=${escapeHtml(url)}">`,
  );
}
