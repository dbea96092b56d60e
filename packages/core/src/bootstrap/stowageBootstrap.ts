/**
 * The in-image bootstrap (issue 9): a standard-library Python script copied into the image at
 * {@link BOOTSTRAP_PATH_IN_IMAGE}. At run time the step's command is prefixed with
 * `python3 <BOOTSTRAP_PATH_IN_IMAGE>`; the script downloads the code archive named by the
 * {@link CODE_ENV} variables, unpacks it safely, `chdir`s into it and `exec`s the command.
 * The script's docstring states the contract; `stowageBootstrap.test.ts` runs it with the real `python3`.
 */

/** Where the build puts the script in the image. */
export const BOOTSTRAP_PATH_IN_IMAGE = '/usr/local/lib/stowage/stowage_bootstrap.py';

/** The script's name in the build context (next to the generated Dockerfile). */
export const BOOTSTRAP_FILE_NAME = '.stowage_bootstrap.py';

/** Where the code goes when `STOWAGE_CODE_DIR` is not set. */
export const DEFAULT_CODE_DIR = '/app/code';

/** Every environment variable the bootstrap reads (the run-time contract). */
export const CODE_ENV = {
  /** Required: http(s) URL of the code archive (a presigned store URL or the forge archive URL). */
  url: 'STOWAGE_CODE_URL',
  /** `tar.gz` (default) or `tar`. */
  format: 'STOWAGE_CODE_FORMAT',
  /** Hex sha256 of the archive bytes; when set it must match. */
  sha256: 'STOWAGE_CODE_SHA256',
  /** Leading path components to strip (default 0). */
  strip: 'STOWAGE_CODE_STRIP',
  /** Folder, after stripping, that is the source root (default ''). */
  subdir: 'STOWAGE_CODE_SUBDIR',
  /** Header name for the download (default `Authorization`). */
  authHeader: 'STOWAGE_CODE_AUTH_HEADER',
  /** Prefix of the header value, e.g. `Bearer ` (default ''). */
  authPrefix: 'STOWAGE_CODE_AUTH_PREFIX',
  /** NAME of the variable holding the token; the header is sent only when this is set. */
  authEnv: 'STOWAGE_CODE_AUTH_ENV',
  /** Where the code is extracted (default {@link DEFAULT_CODE_DIR}). */
  dir: 'STOWAGE_CODE_DIR',
} as const;

export type CodeEnvName = (typeof CODE_ENV)[keyof typeof CODE_ENV];

// The Python below must contain no backtick and no dollar-brace (it is a String.raw template).
export const STOWAGE_BOOTSTRAP_PY = String.raw`#!/usr/bin/env python3
"""Stowage bootstrap: fetch the step's code, unpack it safely, then exec the step's command.

Usage: python3 stowage_bootstrap.py <command> [args...]      (standard library only; Python >= 3.8)

Environment, every name prefixed with STOWAGE_CODE_:
  URL (required) http(s) URL of the archive     FORMAT  'tar.gz' (default) or 'tar'
  SHA256         hex digest the archive bytes must have, when set
  STRIP          leading path components to drop (default 0); members with no more are skipped
  SUBDIR         folder, after stripping, that is the source root (default '')
  AUTH_ENV       NAME of the variable holding a token; when set, the header AUTH_HEADER (default
                 Authorization) is sent as AUTH_PREFIX + token, and dropped on a redirect to another
                 scheme, host or port
  DIR            where the code goes (default /app/code)

The archive is unpacked into a temporary folder beside DIR, renamed into place only if every member
passes: absolute names, '..', symlinks resolving outside the folder, hardlinks to anything but an
earlier file of the archive, devices and fifos are refused (bookworm's Python 3.11.2 has no
tarfile.data_filter). Then: chdir into DIR/SUBDIR, put it first on PYTHONPATH, exec the command.
Any failure prints one line 'stowage-bootstrap: ...' to stderr and exits 1; tokens are never printed.
"""
import hashlib
import http.client
import os
import posixpath
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib

PREFIX = 'STOWAGE_CODE_'
TIMEOUT_SECONDS = 60
CHUNK = 1 << 20
SECRETS = []


class Failure(Exception):
    """A reason to stop, printed as one line."""


def fail(message):
    raise Failure(message)


def setting(name, default=''):
    return os.environ.get(PREFIX + name, '').strip() or default


def safe_url(url):
    """The URL without user info, query or fragment (presigned URLs carry their signature in the query)."""
    try:
        parts = urllib.parse.urlsplit(url)
        shown = urllib.parse.urlunsplit((parts.scheme, parts.netloc.rpartition('@')[2], parts.path, '', ''))
        return shown + ('?...' if parts.query else '')
    except ValueError:
        return '<unparsable URL>'


def origin(url):
    try:
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, (parts.hostname or '').lower(), parts.port or {'http': 80, 'https': 443}.get(scheme)
    except ValueError:
        return None


def read_auth():
    """(header, value) when STOWAGE_CODE_AUTH_ENV names a variable, else None."""
    name = setting('AUTH_ENV')
    if not name:
        return None
    token = os.environ.get(name, '')
    if not token:
        fail('%sAUTH_ENV names %s, which is not set or empty' % (PREFIX, name))
    SECRETS.append(token)
    return setting('AUTH_HEADER', 'Authorization'), os.environ.get(PREFIX + 'AUTH_PREFIX', '') + token


def read_config():
    url, fmt, strip = setting('URL'), setting('FORMAT', 'tar.gz'), setting('STRIP', '0')
    sha256, subdir = setting('SHA256').lower(), setting('SUBDIR').strip('/')
    if not url:
        fail(PREFIX + 'URL is not set')
    if origin(url) is None or origin(url)[0] not in ('http', 'https'):
        fail('%sURL must be an http(s) URL, got %s' % (PREFIX, safe_url(url)))
    if fmt not in ('tar.gz', 'tar'):
        fail('%sFORMAT must be tar.gz or tar, got %r' % (PREFIX, fmt))
    if not strip.isdigit():
        fail('%sSTRIP must be a whole number, got %r' % (PREFIX, strip))
    if sha256 and (len(sha256) != 64 or any(c not in '0123456789abcdef' for c in sha256)):
        fail(PREFIX + 'SHA256 is not a hex sha256 digest')
    if setting('SUBDIR').startswith('/') or '..' in subdir.split('/'):
        fail('%sSUBDIR must be a relative path without .., got %r' % (PREFIX, setting('SUBDIR')))
    return {'url': url, 'format': fmt, 'strip': int(strip), 'sha256': sha256, 'subdir': subdir,
            'auth': read_auth(), 'dir': os.path.abspath(setting('DIR', '/app/code'))}


class SameOriginAuth(urllib.request.HTTPRedirectHandler):
    """Follows redirects, dropping the auth header when one leaves the scheme, host and port."""

    def __init__(self, header):
        self.header = header.lower()

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ('http', 'https'):
            fail('download failed: refused a redirect to a non-http(s) URL')
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and origin(newurl) != origin(req.full_url):
            for key in [k for k in new.headers if k.lower() == self.header]:
                del new.headers[key]
        return new


def download(config, dest):
    """Saves the archive to dest; returns its sha256 hex digest."""
    request = urllib.request.Request(config['url'])
    if config['auth']:
        request.add_header(*config['auth'])
    opener = urllib.request.build_opener(SameOriginAuth(config['auth'][0] if config['auth'] else ''))
    digest = hashlib.sha256()
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response, open(dest, 'wb') as out:
            for chunk in iter(lambda: response.read(CHUNK), b''):
                digest.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as error:
        fail('download failed: HTTP %s %s from %s' % (error.code, error.reason, safe_url(error.filename)))
    except (OSError, http.client.HTTPException) as error:  # URLError and timeouts are OSErrors
        fail('download from %s failed: %s' % (safe_url(config['url']), getattr(error, 'reason', error)))
    return digest.hexdigest()


def inside(root, path):
    real = os.path.realpath(path)
    return real == root or real.startswith(root + os.sep)


class Unpacker:
    """Writes checked archive members under root (a fresh, empty folder)."""

    def __init__(self, root, strip):
        self.root, self.strip, self.files, self.links = os.path.realpath(root), strip, set(), []

    def refuse(self, member, why):
        fail('refused archive member %r: %s' % (member.name, why))

    def relative(self, member, path, what):
        """path with STRIP components dropped, or None when it has no more; refuses '/' and '..'."""
        if path.startswith('/'):
            self.refuse(member, '%s %r is an absolute path' % (what, path))
        parts = [p for p in path.split('/') if p not in ('', '.')]
        if '..' in parts:
            self.refuse(member, '%s %r contains ..' % (what, path))
        return '/'.join(parts[self.strip:]) if len(parts) > self.strip else None

    def unpack(self, archive, fmt):
        with tarfile.open(archive, 'r|gz' if fmt == 'tar.gz' else 'r|') as tar:
            for member in tar:
                rel = self.relative(member, member.name, 'path')
                if not (member.isreg() or member.isdir() or member.issym() or member.islnk()):
                    self.refuse(member, 'devices, fifos and other special files are not allowed')
                if rel:
                    self.write(tar, member, rel)
        for member, path in self.links:
            if not inside(self.root, path):
                self.refuse(member, 'symlink resolves outside the code folder')

    def write(self, tar, member, rel):
        dest = os.path.join(self.root, rel)
        if not inside(self.root, os.path.dirname(dest)):
            self.refuse(member, 'its folder resolves outside the code folder')
        try:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if os.path.islink(dest):
                os.unlink(dest)
            if member.isdir():
                os.makedirs(dest, exist_ok=True)
            elif member.issym():
                self.symlink(member, rel, dest)
            else:
                self.file(tar, member, rel, dest)
        except OSError as error:
            self.refuse(member, error.strerror or str(error))

    def symlink(self, member, rel, dest):
        target = member.linkname
        if target.startswith('/'):
            self.refuse(member, 'symlink target %r is an absolute path' % target)
        if posixpath.normpath(posixpath.join(posixpath.dirname(rel), target)).split('/')[0] == '..':
            self.refuse(member, 'symlink target %r is outside the code folder' % target)
        os.symlink(target, dest)
        self.links.append((member, dest))
        if not inside(self.root, dest):
            self.refuse(member, 'symlink target %r resolves outside the code folder' % target)

    def file(self, tar, member, rel, dest):
        if member.islnk():
            source = self.relative(member, member.linkname, 'hardlink target')
            if source not in self.files or not inside(self.root, os.path.join(self.root, source)):
                self.refuse(member, 'hardlink target %r is not a file of this archive' % member.linkname)
            shutil.copyfile(os.path.join(self.root, source), dest)
        else:
            with tar.extractfile(member) as data, open(dest, 'wb') as out:
                shutil.copyfileobj(data, out, CHUNK)
        os.chmod(dest, 0o755 if member.mode & 0o111 else 0o644)
        self.files.add(rel)


def fetch_code(config, staging):
    """Downloads, checks and unpacks the archive into staging/tree; returns that folder."""
    archive, tree = os.path.join(staging, 'archive'), os.path.join(staging, 'tree')
    digest = download(config, archive)
    if config['sha256'] and digest != config['sha256']:
        fail('archive from %s has sha256 %s, expected %s' % (safe_url(config['url']), digest, config['sha256']))
    os.mkdir(tree)
    try:
        Unpacker(tree, config['strip']).unpack(archive, config['format'])
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        fail('cannot unpack the %s archive from %s: %s' % (config['format'], safe_url(config['url']), error))
    folder = os.path.join(tree, config['subdir'])
    if not inside(os.path.realpath(tree), folder) or not os.path.isdir(folder):
        fail('%sSUBDIR %r is not a folder of the archive' % (PREFIX, config['subdir']))
    return tree


def install(config):
    """Puts the code in place (replacing an earlier copy); returns the source root folder."""
    code_dir = config['dir']
    try:
        os.makedirs(os.path.dirname(code_dir), exist_ok=True)
        staging = tempfile.mkdtemp(prefix='.stowage-code-', dir=os.path.dirname(code_dir))
    except OSError as error:
        fail('cannot create a folder beside %s: %s' % (code_dir, error.strerror or error))
    try:
        tree = fetch_code(config, staging)
        if os.path.lexists(code_dir):
            os.rename(code_dir, os.path.join(staging, 'previous'))
        os.rename(tree, code_dir)
    except OSError as error:
        fail('cannot move the code to %s: %s' % (code_dir, error.strerror or error))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return os.path.join(code_dir, config['subdir']).rstrip('/')


def run(command, folder):
    # The step never sees the download token or the (presigned) URL: they were for this script.
    token_name = os.environ.get('STOWAGE_CODE_AUTH_ENV')
    for name in [token_name] + [n for n in os.environ if n.startswith('STOWAGE_CODE_')]:
        if name:
            os.environ.pop(name, None)
    os.chdir(folder)
    existing = os.environ.get('PYTHONPATH')
    os.environ['PYTHONPATH'] = folder + (os.pathsep + existing if existing else '')
    sys.path.insert(0, folder)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execvp(command[0], command)
    except OSError as error:
        fail('cannot run %r: %s' % (command[0], error.strerror or error))


def main(argv):
    if len(argv) < 2:
        fail('no command given (usage: stowage_bootstrap.py <command> [args...])')
    run(argv[1:], install(read_config()))


def report(message):
    for secret in SECRETS:
        message = message.replace(secret, '***')
    sys.stderr.write('stowage-bootstrap: %s\n' % ' '.join(message.splitlines()))


if __name__ == '__main__':
    try:
        main(sys.argv)
    except Failure as failure:
        report(str(failure))
        sys.exit(1)
    except Exception as error:  # anything unforeseen still ends with one line
        report('unexpected %s: %s' % (type(error).__name__, error))
        sys.exit(1)
`;
