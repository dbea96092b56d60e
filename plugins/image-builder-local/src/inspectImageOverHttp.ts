import { request } from 'node:http';
import type { ImagePresence } from '@stowage/plugin-api';
import type { EngineAddress } from './resolveEngineAddress.js';

/**
 * Whether an image exists on the engine, asked with one plain HTTP request (`GET
 * /images/{name}/json`) instead of loading dockerode: reuse checks run on every `stowage build`
 * and `stowage plan`, and importing dockerode cost more than the rest of a no-change build.
 * With `imageId`, present only when the name still names that image (its `Id`).
 * Returns undefined for engines that need TLS or SSH (the caller then uses dockerode).
 */
export function inspectImageOverHttp(engine: EngineAddress, imageName: string, imageId?: string, timeoutMs = 5000): Promise<ImagePresence> | undefined {
  const o = engine.options as { socketPath?: string; protocol?: string; host?: string; port?: string | number };
  const target = o.socketPath ? { socketPath: o.socketPath } : o.protocol === 'http' ? { host: o.host, port: Number(o.port) } : undefined;
  if (!target) return undefined;
  return new Promise((resolve) => {
    const req = request({ ...target, method: 'GET', path: `/images/${encodeURIComponent(imageName)}/json`, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200 || !imageId) {
        res.resume();
        resolve(res.statusCode === 200 ? 'present' : res.statusCode === 404 ? 'absent' : 'unknown');
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(presenceOf(Buffer.concat(chunks).toString('utf8'), imageId)));
      res.on('error', () => resolve('unknown'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve('unknown'));
    req.end();
  });
}

/** `present` when the inspected image is the one with `imageId`; a name now naming another image is `absent`. */
export function presenceOf(inspectJson: string, imageId: string): ImagePresence {
  try {
    const id = (JSON.parse(inspectJson) as { Id?: unknown }).Id;
    return typeof id !== 'string' ? 'unknown' : id === imageId ? 'present' : 'absent';
  } catch {
    return 'unknown';
  }
}
