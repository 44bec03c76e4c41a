/**
 * A stand-in for Intercom's Messenger script (`https://widget.intercom.io/widget/{appId}`), served
 * offline by the sandbox for device-mode demos and browser tests. Like the real script it replaces
 * the queueing stub and replays the calls queued before it loaded (D-2). It also records every call
 * in `window.__intercomCalls`, posts each one (in order) to `{script URL}/calls`, and shows a
 * launcher honouring `hide_default_launcher` (D-6) and `custom_launcher_selector` (D-9).
 */

/** The browser script, with the app id baked in as a JSON literal (never interpolated raw). */
// eslint-disable-next-line max-lines-per-function -- a page template: one browser script as one string
export function standInWidgetScript(appId: string): string {
  // `<` is escaped so an app id can never close a surrounding script element.
  const appIdLiteral = JSON.stringify(appId).replaceAll('<', '\\u003c');
  return `(function () {
  'use strict';
  var appId = ${appIdLiteral};
  var existing = window.Intercom;
  if (typeof existing === 'function' && existing.standIn) return;
  var queued = (existing && existing.q) || [];
  var script = document.currentScript;
  var callsUrl = (script && script.src ? script.src.split('?')[0] : location.origin + '/widget/' + encodeURIComponent(appId)) + '/calls';
  var calls = (window.__intercomCalls = window.__intercomCalls || []);
  var booted = false;
  var settings = {};
  var posting = Promise.resolve();

  function clone(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  }
  function record(method, args) {
    var call = { method: method, args: args.map(clone) };
    calls.push(call);
    window.dispatchEvent(new CustomEvent('intercom-stand-in:call', { detail: call }));
    // One request after the other, so the server sees the calls in the order they were made.
    posting = posting.then(function () {
      return fetch(callsUrl, { method: 'POST', mode: 'no-cors', keepalive: true, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(call) });
    }).catch(function () {});
  }
  function element(id, tag) {
    var node = document.getElementById(id);
    if (!node) {
      node = document.createElement(tag || 'div');
      node.id = id;
      document.body.appendChild(node);
    }
    return node;
  }
  function remove(id) {
    var node = document.getElementById(id);
    if (node) node.remove();
  }
  function openPanel() {
    var panel = element('intercom-messenger');
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('style', 'position:fixed;right:20px;bottom:90px;width:280px;padding:16px;background:#fff;border:1px solid #ccc;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.2);font:14px sans-serif;z-index:2147483000');
    var who = settings.name || settings.email || settings.user_id || 'visitor';
    panel.textContent = 'Stand-in Messenger for app ' + appId + ' - talking to ' + who;
    panel.dataset.open = 'true';
  }
  function render() {
    if (!document.body) {
      document.addEventListener('DOMContentLoaded', render);
      return;
    }
    if (!booted || settings.hide_default_launcher === true) {
      remove('intercom-launcher');
      return;
    }
    var launcher = element('intercom-launcher', 'button');
    launcher.type = 'button';
    launcher.textContent = 'Chat';
    launcher.setAttribute('aria-label', 'Open the stand-in Messenger');
    launcher.setAttribute('style', 'position:fixed;right:20px;bottom:20px;width:56px;height:56px;border:0;border-radius:50%;background:#1f8ded;color:#fff;font:600 14px sans-serif;cursor:pointer;z-index:2147483000');
    launcher.onclick = openPanel;
  }
  document.addEventListener('click', function (event) {
    var selector = booted && settings.custom_launcher_selector;
    var target = event.target;
    if (!selector || !(target instanceof Element)) return;
    try {
      if (target.closest(selector)) openPanel();
    } catch (error) {
      // An invalid selector opens nothing, as with the real Messenger.
    }
  });

  function Intercom(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    record(String(method), args);
    if (method === 'boot') {
      booted = true;
      settings = Object.assign({}, window.intercomSettings, args[0]);
    } else if (method === 'update' && booted) {
      Object.assign(settings, args[0]);
    } else if (method === 'shutdown') {
      booted = false;
      settings = {};
      remove('intercom-messenger');
    } else if (method === 'show' && booted) {
      openPanel();
    } else if (method === 'hide') {
      remove('intercom-messenger');
    }
    render();
  }
  Intercom.standIn = true;
  Intercom.booted = function () {
    return booted;
  };
  window.Intercom = Intercom;
  for (var i = 0; i < queued.length; i += 1) Intercom.apply(null, Array.prototype.slice.call(queued[i]));
})();
`;
}
