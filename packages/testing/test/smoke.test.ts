import { describe, expect, it } from 'vitest';
import { createTestStack } from '../src/index.js';

describe('smoke', () => {
  it('plans and builds a pipeline with fakes', async () => {
    const t = await createTestStack({
      config: {
        pipeline: { name: 'training', python_version: '3.11' },
        settings: { docker: { requirements: ['pandas==2.2.0'], apt_packages: ['git'], python_package_installer: 'pip' } },
        steps: { load: {}, train: { settings: { docker: { environment: { MODEL_DIR: '/models' } } } } },
      },
      files: { 'main.py': 'print(1)\n' },
    });
    const plan = await t.plan();
    console.log(JSON.stringify(plan.images.map((i) => ({ key: i.key, action: i.action, name: i.imageName, why: i.why, df: i.builds[0]?.dockerfile })), null, 2));
    const { result } = await t.build();
    expect(result.created).toBe(true);
    expect(t.fakes.imageBuilder.builds).toHaveLength(2);
    const again = await t.build();
    expect(again.result.created).toBe(false);
    expect(t.fakes.imageBuilder.builds).toHaveLength(2);
  });
});
