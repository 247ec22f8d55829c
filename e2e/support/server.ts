// One launcher for every suite that runs the real server: the one `@polyphony/backend/testing`
// gives plugin authors (imported by file, so that Playwright does not load the host itself).
import { startPolyphony, type PolyphonyServer } from '../../backend/src/testing/server-process.ts';

export {
  freePort,
  type PolyphonyServer as RunningServer,
} from '../../backend/src/testing/server-process.ts';

export function startServer(env: Record<string, string> = {}): Promise<PolyphonyServer> {
  return startPolyphony({ env });
}
