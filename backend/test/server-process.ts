// The host's tests start real servers with the launcher plugin authors get from
// `@polyphony/backend/testing`; the names the host's tests have always used.
export {
  freePort,
  runCli,
  startPolyphony as startServer,
  type PolyphonyServer as RunningServer,
  type StartPolyphonyOptions as StartServerOptions,
} from '../src/testing/server-process.ts';
