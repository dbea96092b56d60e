import { describe, expect, it } from 'vitest';
import { settings } from '../../test/settingsFixture.js';
import { generateDockerfile } from './DockerfileGenerator.js';

function attempt(over: Parameters<typeof settings>[0], extra: { aptPackages?: string[]; parentImage?: string } = {}): unknown {
  try {
    return generateDockerfile({
      parentImage: extra.parentImage ?? 'python:3.11-slim',
      settings: settings(over),
      aptPackages: extra.aptPackages ?? [],
      requirementFiles: [{ name: 'r' }],
      includeCode: true,
    });
  } catch (error) {
    return error;
  }
}

describe('no setting can inject a Dockerfile instruction', () => {
  it.each([
    ['newline in an env value', { environment: { A: 'x\nRUN rm -rf /' } }, {}, 'settings.docker.environment.A'],
    ['carriage return in an env value', { runtime_environment: { A: 'x\rUSER root' } }, {}, 'settings.docker.runtime_environment.A'],
    ['env name with a space', { environment: { 'A B': 'x' } }, {}, 'settings.docker.environment.A B'],
    ['env name with =', { environment: { 'A=B': 'x' } }, {}, 'settings.docker.environment.A=B'],
    ['newline in the local install command', { local_project_install_command: 'pip install .\nUSER root' }, {}, 'settings.docker.local_project_install_command'],
    ['trailing backslash continues onto the next instruction', { local_project_install_command: 'pip install . \\' }, {}, 'settings.docker.local_project_install_command'],
    ['heredoc swallows following instructions', { local_project_install_command: 'cat <<EOF' }, {}, 'settings.docker.local_project_install_command'],
    ['user with a space', { user: 'app root' }, {}, 'settings.docker.user'],
    ['user with a newline', { user: 'app\nRUN id' }, {}, 'settings.docker.user'],
    ['apt package with a quote', {}, { aptPackages: ["git'; rm -rf /; '"] }, 'settings.docker.apt_packages[0]'],
    ['apt package with a newline', {}, { aptPackages: ['git\nUSER root'] }, 'settings.docker.apt_packages[0]'],
    ['parent image with a space', {}, { parentImage: 'python:3.11 AS x' }, 'settings.docker.parent_image'],
    ['parent image with a newline', {}, { parentImage: 'python\nRUN id' }, 'settings.docker.parent_image'],
    ['installer arg value with a newline', { python_package_installer_args: { 'index-url': 'x\ny' } }, {}, 'settings.docker.python_package_installer_args.index-url'],
    ['installer arg name with a space', { python_package_installer_args: { 'a b': null } }, {}, 'settings.docker.python_package_installer_args.a b'],
  ])('%s is rejected naming the key path', (_name, over, extra, keyPath) => {
    const error = attempt(over as Parameters<typeof settings>[0], extra) as { code?: string; keyPath?: string; message?: string; hint?: string };
    expect(error.code).toBe('DOCKERFILE_VALUE_UNSAFE');
    expect(error.keyPath).toBe(keyPath);
    expect(error.message).toMatch(/cannot be written safely/);
    expect(error.hint).toBeTruthy();
  });

  it.each([
    ['apt version pin', { aptPackages: ['libpq5=15.3-0+deb12u1'] }],
    ['apt release', { aptPackages: ['curl/bookworm-backports'] }],
    ['apt arch', { aptPackages: ['libc6:amd64'] }],
    ['digest-pinned parent', { parentImage: `python@sha256:${'a'.repeat(64)}` }],
    ['registry with port', { parentImage: '127.0.0.1:5000/team/base:1.0' }],
  ])('accepts %s', (_name, extra) => {
    expect(typeof attempt({}, extra)).toBe('string');
  });
});
