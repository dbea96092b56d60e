import type { SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { TemporaryParameters } from './TemporaryParameters.js';

/** SSM's answers as the SDK throws them (a service exception with its name and HTTP status). */
const ssmError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** A client whose PutParameter fails with `putError`; it records what it was asked to delete. */
function ssm(putError: Error) {
  const deleted: string[] = [];
  const client = {
    send: (command: { constructor: { name: string }; input: { Name: string } }) => {
      if (command.constructor.name === 'PutParameterCommand') return Promise.reject(putError);
      deleted.push(command.input.Name);
      return Promise.resolve({});
    },
  } as unknown as SSMClient;
  return { client: () => Promise.resolve(client), deleted };
}

describe('TemporaryParameters after a refused PutParameter', () => {
  it('deletes nothing when SSM refused it (nothing of ours exists)', async () => {
    const bed = ssm(ssmError('AccessDeniedException', 400));
    const params = new TemporaryParameters(bed.client, '/stowage/codebuild');
    await expect(params.put('registry-password', 'pw')).rejects.toThrow('AccessDeniedException');
    expect(await params.deleteAll()).toEqual([]);
    expect(bed.deleted).toEqual([]);
  });

  it('still deletes it on ParameterAlreadyExists: under a fresh build token, that is our own retried put that SSM applied', async () => {
    const bed = ssm(ssmError('ParameterAlreadyExists', 400));
    const params = new TemporaryParameters(bed.client, '/stowage/codebuild');
    await expect(params.put('registry-password', 'pw')).rejects.toThrow('ParameterAlreadyExists');
    expect(await params.deleteAll()).toEqual([]);
    expect(bed.deleted).toEqual([`${params.folder}/registry-password`]);
  });
});
