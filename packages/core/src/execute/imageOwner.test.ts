import { describe, expect, it } from 'vitest';
import { namesToResolve, resolveImageOwner } from './imageOwner.js';

const passwd = Buffer.from('root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nzen:x:1000:1000::/home/zen:/bin/sh\n');
const group = Buffer.from('root:x:0:\nnogroup:x:65534:\nml:x:2000:zen\n');

describe('resolveImageOwner (what chown -R <user> leaves on files COPY made)', () => {
  it('a user name: its uid, and root’s group (chown without a group keeps it)', () => {
    expect(resolveImageOwner('zen', { passwd }, 'img')).toEqual({ uid: 1000, gid: 0 });
    expect(resolveImageOwner('nobody', { passwd }, 'img')).toEqual({ uid: 65534, gid: 0 });
  });

  it('user:group by name or number', () => {
    expect(resolveImageOwner('zen:ml', { passwd, group }, 'img')).toEqual({ uid: 1000, gid: 2000 });
    expect(resolveImageOwner('1001:7', {}, 'img')).toEqual({ uid: 1001, gid: 7 });
    expect(resolveImageOwner('1001', {}, 'img')).toEqual({ uid: 1001, gid: 0 });
  });

  it('only names are looked up', () => {
    expect(namesToResolve('1000')).toEqual({ passwd: false, group: false });
    expect(namesToResolve('zen:7')).toEqual({ passwd: true, group: false });
    expect(namesToResolve('1000:ml')).toEqual({ passwd: false, group: true });
  });

  it('a name the image does not know fails as chown in it would, naming the setting', () => {
    expect(() => resolveImageOwner('ghost', { passwd }, 'reg/app@sha256:1')).toThrow(/the user "ghost" of the user setting is not in \/etc\/passwd of reg\/app@sha256:1/);
    expect(() => resolveImageOwner('zen:nope', { passwd, group }, 'img')).toThrow(/the group "nope"/);
    expect(() => resolveImageOwner('zen', {}, 'img')).toThrow(/not in \/etc\/passwd/);
  });
});
