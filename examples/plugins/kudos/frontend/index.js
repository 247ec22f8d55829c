// The Kudos pages: a plain ES module, loaded as-is (no build step, so no JSX: `h` is React's
// createElement). React and @polyphony/plugin-sdk/web are not bundled: the host page provides
// them through its import map, so this file may import those two and nothing else.
import { createElement as h, useEffect, useState } from 'react';
import {
  definePluginFrontend,
  isApiError,
  useCurrentUser,
  usePlugin,
  useSettings,
} from '@polyphony/plugin-sdk/web';

const MAX_MESSAGE = 280; // the backend's limit (backend/main.js)

// Inline styles: nothing leaks into the host's pages or other plugins. The host's CSS variables
// (Mantine's) keep the plugin in the app's colours.
const card = {
  background: 'var(--mantine-color-body, #fff)',
  border: '1px solid var(--mantine-color-gray-3, #dee2e6)',
  borderRadius: 12,
  padding: '16px 20px',
  marginBottom: 16,
};
const field = {
  display: 'block',
  width: '100%',
  maxWidth: 420,
  boxSizing: 'border-box',
  padding: '8px 10px',
  marginTop: 4,
  font: 'inherit',
  border: '1px solid var(--mantine-color-gray-4, #ced4da)',
  borderRadius: 8,
};
const button = {
  font: 'inherit',
  fontWeight: 600,
  color: '#fff',
  background: 'var(--mantine-color-pink-9, #a61e4d)',
  border: 'none',
  borderRadius: 8,
  padding: '8px 16px',
  cursor: 'pointer',
};
const muted = { color: 'var(--mantine-color-dimmed, #868e96)' };

/** "You can give 5 kudos a day." rather than a stack trace: the server's message, by its code. */
function messageOf(error) {
  if (!isApiError(error)) return String(error);
  return error.code === 'NETWORK_ERROR' ? 'The server could not be reached.' : error.message;
}

/** GETs one of the plugin's routes; `version` changes to load it again. */
function useKudosApi(path, version) {
  const { api } = usePlugin();
  const [result, setResult] = useState({ state: 'loading' });
  useEffect(() => {
    let current = true;
    api.get(path).then(
      (body) => current && setResult({ state: 'loaded', body }),
      (error) => current && setResult({ state: 'failed', error: messageOf(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, path, version]);
  return result;
}

function GiveKudosForm({ onGiven }) {
  const { api } = usePlugin();
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState(null);

  const submit = (event) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    // api.post sends the CSRF token; the path is relative to /api/v1/plugins/kudos/.
    api.post('/kudos', { to: to.trim(), message }).then(
      () => {
        setTo('');
        setMessage('');
        setSending(false);
        onGiven();
      },
      (failure) => {
        setError(messageOf(failure));
        setSending(false);
      },
    );
  };

  return h(
    'form',
    { 'aria-labelledby': 'kudos-give-title', onSubmit: submit, style: card },
    h('h2', { id: 'kudos-give-title', style: { marginTop: 0 } }, 'Give kudos'),
    h(
      'p',
      null,
      h('label', { htmlFor: 'kudos-to' }, 'To (username)'),
      h('input', {
        id: 'kudos-to',
        style: field,
        value: to,
        required: true,
        autoComplete: 'off',
        onChange: (e) => setTo(e.target.value),
      }),
    ),
    h(
      'p',
      null,
      h('label', { htmlFor: 'kudos-message' }, 'Message'),
      h('textarea', {
        id: 'kudos-message',
        style: field,
        value: message,
        required: true,
        maxLength: MAX_MESSAGE,
        rows: 2,
        onChange: (e) => setMessage(e.target.value),
      }),
    ),
    h(
      'button',
      { type: 'submit', disabled: sending, style: button },
      sending ? 'Sending…' : 'Give kudos',
    ),
    error === null
      ? null
      : h('p', { role: 'alert', style: { color: 'var(--mantine-color-red-9, #c92a2a)' } }, error),
  );
}

function RecentKudos({ result }) {
  if (result.state === 'loading') return h('p', null, 'Loading kudos…');
  if (result.state === 'failed')
    return h('p', { role: 'alert' }, `Could not load kudos: ${result.error}`);
  if (result.body.kudos.length === 0) return h('p', null, 'No kudos yet: be the first.');
  return h(
    'ul',
    { 'aria-label': 'Recent kudos', style: { listStyle: 'none', padding: 0, margin: 0 } },
    result.body.kudos.map((k) =>
      h(
        'li',
        { key: k.id, style: { padding: '8px 0', borderTop: '1px solid #f1f3f5' } },
        '❤ ',
        h('strong', null, k.from ?? 'a former user'),
        ' → ',
        h('strong', null, k.to ?? 'a former user'),
        `: ${k.message} `,
        h('time', { dateTime: k.createdAt, style: muted }, k.createdAt.slice(0, 10)),
      ),
    ),
  );
}

function Leaderboard({ result }) {
  if (result.state !== 'loaded' || result.body.leaders.length === 0) return null;
  return h(
    'section',
    { 'aria-labelledby': 'kudos-leaders-title', style: card },
    h('h2', { id: 'kudos-leaders-title', style: { marginTop: 0 } }, 'Most thanked'),
    h(
      'ol',
      null,
      result.body.leaders.map((leader) =>
        h('li', { key: leader.user ?? '' }, `${leader.user ?? 'a former user'}: ${leader.count}`),
      ),
    ),
  );
}

function KudosPage() {
  const user = useCurrentUser();
  // maxPerDay is marked "browser": true in plugin.json; the webhook settings never reach the page.
  const { maxPerDay } = useSettings();
  const [version, setVersion] = useState(0);
  const kudos = useKudosApi('/kudos', version);
  const leaders = useKudosApi('/leaderboard', version);
  return h(
    'section',
    { 'aria-labelledby': 'kudos-title' },
    h('h1', { id: 'kudos-title', style: { marginTop: 0 } }, 'Kudos'),
    h(
      'p',
      { style: muted },
      `Thank a teammate in public, ${user.username}. You can give ${maxPerDay} kudos a day.`,
    ),
    h(GiveKudosForm, { onGiven: () => setVersion((n) => n + 1) }),
    h(
      'section',
      { 'aria-labelledby': 'kudos-recent-title', style: card },
      h('h2', { id: 'kudos-recent-title', style: { marginTop: 0 } }, 'Recent kudos'),
      h(RecentKudos, { result: kudos }),
    ),
    h(Leaderboard, { result: leaders }),
  );
}

// The default export declares the plugin's pages; `/` is /plugins/kudos in the web app. Who may
// open it comes from the manifest's navigation entry with the same path.
export default definePluginFrontend({
  pages: [{ path: '/', component: KudosPage, title: 'Kudos' }],
});
