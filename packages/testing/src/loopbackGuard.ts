import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

/**
 * A test process that must stay on this machine (cloud SDK tests against emulators) installs the
 * guard once, from a vitest setup file: every TCP/TLS connection and every DNS look-up whose host
 * is not loopback throws before Node touches the network. Without it a client left to its
 * defaults quietly asks `metadata.google.internal` or 169.254.169.254 for credentials.
 */
export class LoopbackGuardError extends Error {
  readonly host: string;
  readonly port?: string;

  constructor(message: string, host: string, port?: unknown) {
    super(`loopback guard: ${message}`);
    this.name = 'LoopbackGuardError';
    this.host = host;
    if (port !== undefined && port !== null) this.port = String(port);
  }
}

const GUARDED = Symbol.for('stowage.loopbackGuard');
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `localhost`, 127.0.0.0/8 or ::1 (any spelling, bracketed, or IPv4-mapped): a name that stays on this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (/^localhost\.?$/i.test(bare)) return true;
  const family = net.isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** What a connect call aims at, from any of Node's call forms. */
interface ConnectTarget {
  host?: unknown;
  port?: unknown;
  path?: unknown;
  socket?: unknown;
  fd?: unknown;
}

/** `(options, cb)`, `(port, host?, options?, cb?)`, `(path, cb)`, or Node's internal `[options, cb]` array. */
function connectTarget(args: readonly unknown[]): ConnectTarget {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') return first as ConnectTarget;
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  const options = args.slice(1).find((a): a is ConnectTarget => a !== null && typeof a === 'object');
  return { ...options, port: first, host: typeof args[1] === 'string' ? args[1] : options?.host };
}

function assertLoopbackTarget(target: ConnectTarget, via: string): void {
  // A unix socket or pipe, an existing socket to wrap in TLS, or an open descriptor: no new network path.
  if (target.path || target.socket || target.fd !== undefined) return;
  // Node's own default when no host is given.
  const host = typeof target.host === 'string' && target.host !== '' ? target.host : 'localhost';
  if (!isLoopbackHost(host)) {
    throw new LoopbackGuardError(`${host}:${String(target.port)} is not loopback (${via})`, host, target.port);
  }
}

function assertLoopbackName(hostname: unknown, via: string): void {
  // Node answers a falsy name itself, without a look-up.
  if (!hostname || typeof hostname !== 'string' || isLoopbackHost(hostname)) return;
  throw new LoopbackGuardError(`${hostname} is not loopback (${via})`, hostname);
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `owner[name]` with a function that runs `check` on the arguments first. */
function guard(owner: object, name: string, check: (args: readonly unknown[]) => void, returnsPromise = false): void {
  const record = owner as Record<string, unknown>;
  const original = record[name];
  if (typeof original !== 'function') return;
  record[name] = function guarded(this: unknown, ...args: unknown[]): unknown {
    try {
      check(args);
    } catch (error) {
      // A promise API fails the way its callers handle failures; a callback API throws at once.
      if (returnsPromise) return Promise.reject(error);
      throw error;
    }
    return (original as AnyFunction).apply(this, args);
  };
}

function guardConnections(): void {
  const connect = (via: string) => (args: readonly unknown[]) => assertLoopbackTarget(connectTarget(args), via);
  // Every TCP client (http agents, undici's fetch, tls.connect) ends in Socket#connect; the module
  // functions are guarded too so they fail before a socket is even made.
  guard(net.Socket.prototype, 'connect', connect('net.Socket.connect'));
  guard(net, 'connect', connect('net.connect'));
  guard(net, 'createConnection', connect('net.createConnection'));
  guard(tls, 'connect', connect('tls.connect'));
}

function guardLookups(): void {
  guard(dns, 'lookup', (args) => assertLoopbackName(args[0], 'dns.lookup'));
  guard(dns.promises, 'lookup', (args) => assertLoopbackName(args[0], 'dns.promises.lookup'), true);
  const reverse = (via: string) => (args: readonly unknown[]) => {
    if (typeof args[0] === 'string' && !isLoopbackHost(args[0])) throw new LoopbackGuardError(`${args[0]} is not loopback (${via})`, args[0], args[1]);
  };
  guard(dns, 'lookupService', reverse('dns.lookupService'));
  guard(dns.promises, 'lookupService', reverse('dns.promises.lookupService'), true);
}

/** `resolve*` and `reverse` skip /etc/hosts and always ask a name server: refused for every name. */
function guardResolvers(): void {
  const refuse = (via: string) => (args: readonly unknown[]) => {
    const name = String(args[0]);
    throw new LoopbackGuardError(`${via}(${name}) would query a name server, which is not loopback`, name);
  };
  const owners: [object, string, boolean][] = [
    [dns, 'dns', false],
    [dns.Resolver.prototype, 'dns.Resolver', false],
    [dns.promises, 'dns.promises', true],
    [dns.promises.Resolver.prototype, 'dns.promises.Resolver', true],
  ];
  for (const [owner, label, returnsPromise] of owners) {
    for (const name of Object.getOwnPropertyNames(owner).filter((n) => /^(resolve\w*|reverse)$/.test(n))) {
      guard(owner, name, refuse(`${label}.${name}`), returnsPromise);
    }
  }
}

/**
 * Makes every non-loopback connection or DNS look-up in this process throw a LoopbackGuardError
 * naming the host, before any packet is sent. Idempotent; there is no uninstall (a test process
 * that needs the network has no business installing it).
 */
export function installLoopbackGuard(): void {
  const marks = net as unknown as Record<symbol, boolean>;
  if (marks[GUARDED]) return;
  marks[GUARDED] = true;
  guardConnections();
  guardLookups();
  guardResolvers();
  // `import { lookup } from 'node:dns'` bindings see the guarded functions too.
  syncBuiltinESMExports();
}
