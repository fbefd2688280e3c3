/**
 * /widgets/demo: a host page showing every member widget, for trying them against this Laurel. It
 * holds no secret: the key typed in stays in the tab's sessionStorage and mints a widget token.
 */

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function widgetDemoPage(moduleUrl: string): string {
  const src = escapeAttribute(moduleUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Laurel widgets demo</title>
<link rel="modulepreload" href="${src}">
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; background: #eef1f5; color: #17191c; }
  body.dark { background: #0d0f12; color: #f1f3f6; }
  @media (prefers-color-scheme: dark) { body.auto { background: #0d0f12; color: #f1f3f6; } }
  header, main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
  form { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; }
  label { display: grid; gap: .2rem; font-size: .85rem; }
  input, select, button { font: inherit; padding: .4rem .5rem; border-radius: 6px; border: 1px solid #8a929e; }
  input { min-width: 0; width: 14rem; max-width: 100%; }
  button { background: #0b5cad; color: #fff; border-color: #0b5cad; cursor: pointer; }
  #status { min-height: 1.5em; margin: .5rem 0 0; }
  main { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); align-items: start; }
  main > .wide { grid-column: 1 / -1; }
  [hidden] { display: none !important; }
</style>
</head>
<body class="auto">
<header>
  <h1>Laurel widgets demo</h1>
  <p>Mints a widget token for a member with an API key (kept in this tab only), then shows every widget as a host page would.</p>
  <form id="setup">
    <label>API key (admin or application)<input id="key" type="password" autocomplete="off" required></label>
    <label>Member (user id)<input id="user" required></label>
    <label>Achievement key<input id="achievement" placeholder="first one"></label>
    <label>Points system key<input id="points" placeholder="e.g. xp"></label>
    <label>Leaderboard key<input id="leaderboard" placeholder="first one"></label>
    <button type="submit">Show widgets</button>
    <label>Theme<select id="theme"><option value="auto">Auto</option><option value="light">Light</option><option value="dark">Dark</option></select></label>
    <label>Language<select id="lang"><option value="en">English</option><option value="de">Deutsch</option><option value="fr">Français</option></select></label>
  </form>
  <p id="status" role="status"></p>
</header>
<main id="widgets" hidden>
  <laurel-achievements class="wide"></laurel-achievements>
  <laurel-achievement id="w-achievement" hidden></laurel-achievement>
  <laurel-points id="w-points" hidden></laurel-points>
  <laurel-streak></laurel-streak>
  <laurel-leaderboard id="w-leaderboard" hidden></laurel-leaderboard>
  <laurel-celebration></laurel-celebration>
</main>
<script type="module">
import { configure } from "${src}";
const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };
const KEY = 'laurel-demo-key';
$('key').value = sessionStorage.getItem(KEY) ?? '';
$('user').value = sessionStorage.getItem(KEY + '-user') ?? '';

function applyLook() {
  const theme = $('theme').value;
  document.body.className = theme;
  document.documentElement.lang = $('lang').value;
  configure({ theme, lang: $('lang').value });
}
$('theme').addEventListener('change', applyLook);
$('lang').addEventListener('change', applyLook);
applyLook();

async function api(path, key, init = {}) {
  const response = await fetch(path, { ...init, headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' } });
  return { ok: response.ok, status: response.status, body: await response.json().catch(() => null) };
}

async function mint(key, user) {
  const minted = await api('/v1/users/' + encodeURIComponent(user) + '/widget-token', key, { method: 'POST', body: '{}' });
  if (minted.ok && minted.body?.token) return { token: minted.body.token, note: 'Widget token minted, valid until ' + minted.body.expiresAt + '.' };
  throw new Error(minted.body?.error ?? 'Minting a widget token failed (' + minted.status + ')');
}

async function firstKey(path, key) {
  const found = await api(path, key);
  return found.ok && Array.isArray(found.body) && found.body[0] ? found.body[0].key : '';
}

let minting = null;
async function show() {
  const key = $('key').value.trim();
  const user = $('user').value.trim();
  sessionStorage.setItem(KEY, key);
  sessionStorage.setItem(KEY + '-user', user);
  status('Minting a token…');
  const { token, note } = await mint(key, user);
  if (!$('achievement').value) $('achievement').value = await firstKey('/v1/achievements', key);
  if (!$('leaderboard').value) $('leaderboard').value = await firstKey('/v1/leaderboards', key);
  for (const [id, attribute, value] of [['w-achievement', 'key', $('achievement').value], ['w-points', 'system', $('points').value], ['w-leaderboard', 'key', $('leaderboard').value]]) {
    $(id).setAttribute(attribute, value);
    $(id).hidden = !value;
  }
  configure({ token });
  $('widgets').hidden = false;
  status(note);
}
$('setup').addEventListener('submit', (event) => {
  event.preventDefault();
  minting = show().catch((error) => status(error.message)).finally(() => { minting = null; });
});
// A widget whose token expired asks for a new one.
document.addEventListener('laurel-token-expired', () => { if (!minting) minting = show().catch((error) => status(error.message)).finally(() => { minting = null; }); });
</script>
</body>
</html>
`;
}
