// A real Polyphony server process for the kit's tests, started the way `npm start` runs it (as
// backend/test/server-process.ts does for the host's tests), with a first admin.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { WORKSPACE_ROOT, tempFolder } from './temp-plugin.ts';

export interface PolyphonyServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export async function startPolyphony(admin: {
  username: string;
  password: string;
}): Promise<PolyphonyServer> {
  const port = await freePort();
  const data = await tempFolder('polyphony-kit-server-');
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      POLYPHONY_HOST: '127.0.0.1',
      POLYPHONY_DATA_DIR: data.dir,
      POLYPHONY_PLUGINS_DIR: path.join(data.dir, 'plugins'),
      POLYPHONY_ADMIN_USERNAME: admin.username,
      POLYPHONY_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await data.remove();
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await data.remove();
      throw new Error(`Polyphony exited with ${child.exitCode}:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Polyphony did not answer in 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, output: () => output, stop };
}
