// The Kudos pages: a plain ES module, loaded as-is (no build step, so no JSX: `h` is React's
// createElement). React and @polyphony/plugin-sdk/web are not bundled: the host page provides
// them through its import map, so this file may import those two and nothing else.
import { createElement as h, useEffect, useState } from 'react';
import {
  definePluginFrontend,
  isApiError,
  useCurrentUser,
  usePlugin,
} from '@polyphony/plugin-sdk/web';

const MAX_MESSAGE = 280; // the backend's limit (backend/main.js)

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
    { 'aria-labelledby': 'kudos-give-title', onSubmit: submit },
    h('h2', { id: 'kudos-give-title' }, 'Give kudos'),
    h(
      'p',
      null,
      h('label', { htmlFor: 'kudos-to' }, 'To (username)'),
      ' ',
      h('input', {
        id: 'kudos-to',
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
      ' ',
      h('textarea', {
        id: 'kudos-message',
        value: message,
        required: true,
        maxLength: MAX_MESSAGE,
        rows: 2,
        onChange: (e) => setMessage(e.target.value),
      }),
    ),
    h('button', { type: 'submit', disabled: sending }, sending ? 'Sending…' : 'Give kudos'),
    error === null ? null : h('p', { role: 'alert' }, error),
  );
}

function RecentKudos({ result }) {
  if (result.state === 'loading') return h('p', null, 'Loading kudos…');
  if (result.state === 'failed')
    return h('p', { role: 'alert' }, `Could not load kudos: ${result.error}`);
  if (result.body.kudos.length === 0) return h('p', null, 'No kudos yet: be the first.');
  return h(
    'ul',
    { 'aria-label': 'Recent kudos' },
    result.body.kudos.map((k) =>
      h(
        'li',
        { key: k.id },
        h('strong', null, k.from ?? 'a former user'),
        ' → ',
        h('strong', null, k.to ?? 'a former user'),
        `: ${k.message} `,
        h('time', { dateTime: k.createdAt }, k.createdAt.slice(0, 10)),
      ),
    ),
  );
}

function Leaderboard({ result }) {
  if (result.state !== 'loaded' || result.body.leaders.length === 0) return null;
  return h(
    'section',
    { 'aria-labelledby': 'kudos-leaders-title' },
    h('h2', { id: 'kudos-leaders-title' }, 'Most thanked'),
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
  const [version, setVersion] = useState(0);
  const kudos = useKudosApi('/kudos', version);
  const leaders = useKudosApi('/leaderboard', version);
  return h(
    'section',
    { 'aria-labelledby': 'kudos-title' },
    h('h1', { id: 'kudos-title' }, 'Kudos'),
    h('p', null, `Thank a teammate in public, ${user.username}.`),
    h(GiveKudosForm, { onGiven: () => setVersion((n) => n + 1) }),
    h('h2', null, 'Recent kudos'),
    h(RecentKudos, { result: kudos }),
    h(Leaderboard, { result: leaders }),
  );
}

// The default export declares the plugin's pages; `/` is /plugins/kudos in the web app. Who may
// open it comes from the manifest's navigation entry with the same path.
export default definePluginFrontend({
  pages: [{ path: '/', component: KudosPage, title: 'Kudos' }],
});
