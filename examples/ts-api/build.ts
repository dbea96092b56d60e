// The TypeScript API: one call each to plan, build and list builds (`pnpm start [PROJECT_DIR]`;
// the default project is ./project, whose config is stowage.config.ts).
import { join } from 'node:path';
import { build, listBuilds, plan } from '@stowage/cli';

const cwd = process.argv[2] ?? join(import.meta.dirname, 'project');

const planned = await plan({ cwd });
for (const image of planned.images) console.log(`plan: ${image.key} ${image.action} ${image.imageName}`);

const result = await build({ cwd });
console.log(`${result.created ? 'created' : 'reused'} pipeline build ${result.build.id} (${result.builtImages} built)`);

const [latest] = await listBuilds({ cwd, limit: 1 });
console.log(`latest build: ${latest?.id} of ${latest?.pipeline} on ${latest?.stack.name}`);
