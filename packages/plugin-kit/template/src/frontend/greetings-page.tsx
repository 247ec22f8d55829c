import { useEffect, useState } from 'react';
import { isApiError, useCurrentUser, usePlugin, useSettings } from '@polyphony/plugin-sdk/web';

interface Greeting {
  id: string;
  from: string | null;
  message: string;
  createdAt: string;
}

// Inline styles keep the plugin's look from leaking into the host; the host's CSS variables keep
// it in the app's colours.
const card = {
  border: '1px solid var(--mantine-color-gray-3, #dee2e6)',
  borderRadius: 8,
  padding: '12px 16px',
  marginBottom: 12,
};

export function GreetingsPage() {
  const plugin = usePlugin();
  const { api } = plugin;
  const user = useCurrentUser();
  // Only settings marked `"browser": true` in plugin.json reach the page, defaults filled in.
  const { greeting } = useSettings();
  const [greetings, setGreetings] = useState<Greeting[] | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api
      .get('/greetings')
      .then((body) => {
        // The client returns parsed JSON as `unknown`: the shape is the backend's answer.
        if (current) setGreetings((body as { greetings: Greeting[] }).greetings);
      })
      .catch((caught: unknown) => {
        if (current) setError(isApiError(caught) ? caught.message : String(caught));
      });
    return () => {
      current = false;
    };
  }, [api]);

  const post = async () => {
    setError(null);
    try {
      const body = (await api.post('/greetings', { message })) as { greeting: Greeting };
      setGreetings((list) => [body.greeting, ...(list ?? [])]);
      setMessage('');
    } catch (caught) {
      // Branch on the code, never the message: VALIDATION_FAILED comes with the field's problem.
      setError(isApiError(caught) ? caught.message : String(caught));
    }
  };

  const remove = async (id: string) => {
    try {
      await api.delete(`/greetings/${id}`);
      setGreetings((list) => (list ?? []).filter((g) => g.id !== id));
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : String(caught));
    }
  };

  return (
    <div style={{ maxWidth: 640 }}>
      <h1>
        {String(greeting ?? 'Hello')}, {user.username}!
      </h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void post();
        }}
        style={card}
      >
        <label>
          Leave a message
          <input
            value={message}
            onChange={(event) => {
              setMessage(event.target.value);
            }}
            maxLength={200}
            style={{ display: 'block', width: '100%', marginTop: 4 }}
          />
        </label>
        <button type="submit" style={{ marginTop: 8 }}>
          Post
        </button>
      </form>
      {error !== null && <p role="alert">{error}</p>}
      {greetings === null ? (
        <p>Loading…</p>
      ) : greetings.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0 }}>
          {greetings.map((g) => (
            <li key={g.id} style={card}>
              <strong>{g.from ?? 'someone'}</strong>: {g.message}
              {plugin.hasRole('admin') && (
                <button type="button" onClick={() => void remove(g.id)} style={{ marginLeft: 8 }}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
