// One launcher for every suite that runs the real server: the backend's test helper.
import { startServer as start, type RunningServer } from '../../backend/test/server-process.ts';

export { freePort, type RunningServer } from '../../backend/test/server-process.ts';

export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return start({ env });
}
