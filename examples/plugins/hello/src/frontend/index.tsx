import { useEffect, useState } from 'react';
import { definePluginFrontend, isApiError, usePlugin } from '@polyphony/plugin-sdk/web';

type Greeting =
  { state: 'loading' } | { state: 'loaded'; text: string } | { state: 'failed'; error: string };

function HelloPage() {
  const { api } = usePlugin();
  const [greeting, setGreeting] = useState<Greeting>({ state: 'loading' });

  useEffect(() => {
    let current = true;
    api.get('/greeting').then(
      (body) => {
        if (current)
          setGreeting({ state: 'loaded', text: (body as { greeting: string }).greeting });
      },
      (error: unknown) => {
        if (current)
          setGreeting({
            state: 'failed',
            error: isApiError(error) ? error.message : String(error),
          });
      },
    );
    return () => {
      current = false;
    };
  }, [api]);

  return (
    <section aria-labelledby="hello-title">
      <h1 id="hello-title">Hello</h1>
      {greeting.state === 'loading' && <p>Loading…</p>}
      {greeting.state === 'loaded' && <p data-testid="hello-greeting">{greeting.text}</p>}
      {greeting.state === 'failed' && (
        <p role="alert">The greeting could not be loaded: {greeting.error}</p>
      )}
    </section>
  );
}

export default definePluginFrontend({
  pages: [{ path: '/', component: HelloPage, title: 'Hello' }],
});
