/**
 * The device-mode demo page: analytics-next with the Intercom plugin (device mode) and, when an
 * ingestion host is given, Segment's own delivery to this project's ingestion (cloud mode), side by
 * side. Query parameters: `appId`, `writeKey`, `ingest` (host:port of the ingestion server),
 * `activator` (a CSS selector, e.g. `#help-button`), `autopage=0` (no page call on load).
 */

/** The URL path the demo page's script is served from. */
export const DEMO_SCRIPT_PATH = '/demo/demo.js';

/** The demo page's HTML; all behaviour is in the script, which reads the query parameters. */
export function demoPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Intercom destination: device-mode demo</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; color: #1d2433; }
  h1 { font-size: 1.4rem; }
  .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0; }
  button { font: inherit; padding: .4rem .8rem; border: 1px solid #8a94a6; border-radius: 6px; background: #f5f7fa; cursor: pointer; }
  #help-button { background: #1f8ded; color: #fff; border-color: #1f8ded; }
  pre { background: #0f1726; color: #d8e1f0; padding: 1rem; border-radius: 8px; overflow: auto; min-height: 6rem; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
  dt { font-weight: 600; }
</style>
</head>
<body>
<h1>Intercom destination: device mode and cloud mode together</h1>
<p>Each button sends one call through Segment's analytics-next. The <strong>Intercom</strong> plugin turns it into
Messenger calls (served here by the sandbox's stand-in Messenger), and, when an ingestion host is configured,
Segment's delivery sends the same event to this project's ingestion, which delivers it to the sandbox over the REST API.</p>
<dl id="config"></dl>
<div class="actions">
  <button type="button" data-action="page">page()</button>
  <button type="button" data-action="identify-ada">identify Ada</button>
  <button type="button" data-action="group">group Analytical Engines</button>
  <button type="button" data-action="track">track Order Completed</button>
  <button type="button" data-action="identify-grace">identify Grace (another user)</button>
  <button type="button" data-action="hide-launcher">hide launcher</button>
  <button type="button" data-action="reset">reset()</button>
  <button type="button" id="help-button">Help (custom launcher)</button>
</div>
<h2>Messenger calls</h2>
<pre id="calls">(none yet)</pre>
<script src="${DEMO_SCRIPT_PATH}" defer></script>
</body>
</html>
`;
}
