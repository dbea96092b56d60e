import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { EngineProgressEvent } from './BuildTranscript.js';

/**
 * Reads a build or push progress stream to its end and resolves with every event. Engine-side
 * failures do not reject: they arrive as `error`/`errorDetail` events (with `err = null`, see the
 * toolchain notes), so callers inspect the events. Aborting destroys the HTTP response, which makes
 * the engine cancel the build and remove its build container.
 */
export function followEngineProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  signal: AbortSignal,
  onProgress: (event: EngineProgressEvent) => void,
): Promise<EngineProgressEvent[]> {
  return new Promise((resolve, reject) => {
    const stop = (): void => void (stream as Readable).destroy();
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: EngineProgressEvent[]) => {
        signal.removeEventListener('abort', stop);
        if (error) reject(error);
        else resolve(output);
      },
      (event: EngineProgressEvent) => {
        // This runs inside the stream's data handler, where a throw would be an uncaught exception.
        try {
          onProgress(event);
        } catch (error) {
          (stream as Readable).destroy(error as Error);
        }
      },
    );
  });
}
