import dns, { lookup as namedLookup } from 'node:dns';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installLoopbackGuard, isLoopbackHost, LoopbackGuardError } from '../src/loopbackGuard.js';

// What reached Node's real connect and look-up functions. The recorders are installed BEFORE the
// guard, so the guard wraps them: a call the guard refuses never gets here, which proves it threw
// before Node resolved a name or opened a socket (both happen inside these functions).
const reached: string[] = [];
function recordCalls(owner: object, name: string): void {
  const record = owner as Record<string, (...args: unknown[]) => unknown>;
  const original = record[name]!;
  record[name] = function recorded(this: unknown, ...args: unknown[]) {
    reached.push(name);
    return original.apply(this, args);
  };
}
recordCalls(net.Socket.prototype, 'connect');
recordCalls(dns, 'lookup');
recordCalls(dns.promises, 'lookup');
installLoopbackGuard();

const guardError = (message: string) => expect.objectContaining({ name: 'LoopbackGuardError', message: expect.stringContaining(`loopback guard: ${message}`) });

beforeEach(() => {
  reached.length = 0;
});

describe('installLoopbackGuard refuses what leaves the machine, before anything is sent', () => {
  it('fetch("http://example.com") fails with the guard error as its cause; no connect or look-up ran', async () => {
    const failure = await fetch('http://example.com/').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.cause).toBeInstanceOf(LoopbackGuardError);
    expect(failure?.cause).toEqual(guardError('example.com:80 is not loopback'));
    expect(reached).toEqual([]);
  });

  it('fetch over https is refused in tls.connect', async () => {
    const failure = await fetch('https://example.com/').catch((error: unknown) => error as Error);
    expect((failure as Error).cause).toEqual(guardError('example.com:443 is not loopback (tls.connect)'));
    expect(reached).toEqual([]);
  });

  it('dns.lookup("example.com") throws synchronously and never calls back', () => {
    let called = false;
    expect(() => dns.lookup('example.com', () => (called = true))).toThrow('loopback guard: example.com is not loopback (dns.lookup)');
    // The ESM named export is the guarded function too.
    expect(() => namedLookup('example.com', () => (called = true))).toThrow('loopback guard: example.com is not loopback');
    expect(called).toBe(false);
    expect(reached).toEqual([]);
  });

  it('dns.promises.lookup rejects at once', async () => {
    const pending = dns.promises.lookup('example.com');
    await expect(pending).rejects.toThrow('loopback guard: example.com is not loopback (dns.promises.lookup)');
    expect(reached).toEqual([]);
  });

  it('net, tls and http clients throw synchronously, naming host and port (cloud metadata addresses included)', () => {
    expect(() => net.connect(80, 'example.com')).toThrow('loopback guard: example.com:80 is not loopback (net.connect)');
    expect(() => net.createConnection({ host: '169.254.169.254', port: 80 })).toThrow('loopback guard: 169.254.169.254:80 is not loopback');
    expect(() => new net.Socket().connect(443, '10.0.0.1')).toThrow('loopback guard: 10.0.0.1:443 is not loopback (net.Socket.connect)');
    expect(() => tls.connect(443, 'metadata.google.internal')).toThrow('loopback guard: metadata.google.internal:443 is not loopback (tls.connect)');
    expect(() => http.request('http://example.com:8080/')).toThrow('loopback guard: example.com:8080 is not loopback');
    expect(reached).toEqual([]);
  });

  it('resolve* and reverse (which always ask a name server) are refused, even for localhost', async () => {
    expect(() => dns.resolve4('localhost', () => undefined)).toThrow('loopback guard: dns.resolve4(localhost) would query a name server');
    expect(() => new dns.Resolver().resolveTxt('example.com', () => undefined)).toThrow('dns.Resolver.resolveTxt(example.com)');
    await expect(dns.promises.resolve('example.com')).rejects.toThrow('dns.promises.resolve(example.com)');
    await expect(dns.promises.reverse('8.8.8.8')).rejects.toThrow('loopback guard');
  });

  it('is idempotent: a second install leaves the guarded functions as they are', () => {
    const guarded = () => [net.Socket.prototype.connect, net.connect, net.createConnection, tls.connect, dns.lookup, dns.promises.lookup, dns.resolve4];
    const before = guarded();
    installLoopbackGuard();
    guarded().forEach((fn, i) => expect(fn).toBe(before[i]));
    expect(() => net.connect(80, 'example.com')).toThrow(LoopbackGuardError);
  });
});

describe('installLoopbackGuard lets loopback through', () => {
  let server: http.Server;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'loopback-guard-'));
  const socketPath = join(dir, 'http.sock');
  let unixServer: http.Server;

  beforeAll(async () => {
    const handler: http.RequestListener = (_req, res) => res.end('hello from loopback');
    server = http.createServer(handler);
    unixServer = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => unixServer.listen(socketPath, resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => unixServer.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetch reaches a loopback http server through the real connect', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('hello from loopback');
    expect(reached).toContain('connect');
  });

  it('http.get reaches it by the name localhost (looked up for real) and through a unix socket', async () => {
    const get = (options: http.RequestOptions) =>
      new Promise<string>((resolve, reject) => {
        http.get(options, (res) => res.setEncoding('utf8').on('data', resolve)).on('error', reject);
      });
    await expect(get({ host: 'localhost', port, family: 4 })).resolves.toBe('hello from loopback');
    expect(reached).toContain('lookup');
    await expect(get({ socketPath, path: '/' })).resolves.toBe('hello from loopback');
  });

  it('dns.lookup answers for localhost', async () => {
    await expect(dns.promises.lookup('localhost', { family: 4 })).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.255.255.254', 'localhost', 'LOCALHOST', 'localhost.', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['128.0.0.1', '10.0.0.1', '0.0.0.0', '::', '169.254.169.254', 'example.com', 'localhost.example.com', '127.0.0.1.nip.io', 'metadata.google.internal'])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});
