import { describe, expect, it } from 'vitest';
import { filterLocalRequirements } from './parseRequirementLines.js';

describe('filterLocalRequirements', () => {
  it('drops what only exists on this machine, keeps what an image can install', () => {
    const text = [
      'numpy==1.26.4',
      '-e /home/me/proj',
      '-e .',
      '--editable=./lib',
      'mypkg @ file:///home/me/mypkg',
      'file:///tmp/x.whl',
      './wheels/y.whl',
      '-e git+https://github.com/acme/tool.git@v1#egg=tool',
      'requests @ https://files.example/requests-2.32.0-py3-none-any.whl',
      '--extra-index-url https://pypi.example/simple',
    ].join('\n');
    const r = filterLocalRequirements(text);
    expect(r.requirements.split('\n')).toEqual([
      'numpy==1.26.4',
      'git+https://github.com/acme/tool.git@v1#egg=tool',
      'requests @ https://files.example/requests-2.32.0-py3-none-any.whl',
      '--extra-index-url https://pypi.example/simple',
    ]);
    expect(r.dropped.map((d) => d.line)).toEqual(['-e /home/me/proj', '-e .', '--editable=./lib', 'mypkg @ file:///home/me/mypkg', 'file:///tmp/x.whl', './wheels/y.whl']);
    expect(r.dropped[0]!.reason).toMatch(/local_project_install_command/);
  });
});
