// The Kudos page. React comes from the host through its import map; this file is loaded as-is.
import { createElement as h, useEffect, useState } from 'react';

export default function KudosPage() {
  const [kudos, setKudos] = useState([]);
  useEffect(() => {
    fetch('/api/v1/plugins/kudos/kudos', { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : { kudos: [] }))
      .then((body) => setKudos(body.kudos));
  }, []);
  return h(
    'section',
    { className: 'kudos-board' },
    h('h1', null, 'Kudos'),
    kudos.length === 0
      ? h('p', null, 'No kudos yet.')
      : h(
          'ul',
          null,
          kudos.map((k) => h('li', { key: k.id }, `${k.from} → ${k.to}: ${k.message}`)),
        ),
  );
}
