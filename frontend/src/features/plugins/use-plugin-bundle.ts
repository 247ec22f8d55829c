import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { loadPluginBundle } from './bundle-loader.ts';

/**
 * A plugin's bundle, loaded once per URL and kept: the URL carries the version's hash, so an
 * upgrade means a new URL, and the next navigation loads the new code.
 */
export function usePluginBundle(entry: string) {
  const [attempt, setAttempt] = useState(0);
  const query = useQuery({
    queryKey: ['plugin-bundle', entry, attempt],
    queryFn: () => loadPluginBundle(entry, attempt),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  return {
    ...query,
    /** Tries again under a fresh URL: browsers remember a failed module fetch. */
    retry: () => {
      setAttempt((n) => n + 1);
    },
  };
}
