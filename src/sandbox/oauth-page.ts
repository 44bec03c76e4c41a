/** Escapes text for HTML. */
function escape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** What the authorize page needs to ask and to answer. */
export interface AuthorizeRequest {
  readonly clientId: string;
  readonly state: string;
  readonly redirectUri: string;
  readonly appId: string;
}

/** The sandbox's stand-in for Intercom's consent page: the app asks for the workspace; Allow or Deny. */
export function authorizePage(request: AuthorizeRequest): string {
  const hidden = (name: string, value: string): string =>
    `<input type="hidden" name="${name}" value="${escape(value)}">`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox · authorize an app</title>
<style>body{font:15px system-ui,sans-serif;background:#f4f5f7}main{max-width:30rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px}
button{font:inherit;padding:.5rem 1.2rem;margin-right:.6rem}</style></head><body><main>
<h1>Authorize an app</h1><p>The app <strong>${escape(request.clientId)}</strong> asks to access the workspace
<strong>${escape(request.appId)}</strong> of this local Intercom sandbox.</p>
<form method="post" action="/oauth/decision">${hidden('client_id', request.clientId)}${hidden('state', request.state)}${hidden('redirect_uri', request.redirectUri)}
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></form></main></body></html>`;
}
