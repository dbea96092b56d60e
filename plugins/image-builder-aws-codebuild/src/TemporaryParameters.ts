import { randomUUID } from 'node:crypto';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { sdkErrorReason, sdkErrorShape } from '@stowage/aws';

/** A parameter that could not be deleted, and why. */
export interface LeftParameter {
  name: string;
  reason: string;
}

/**
 * The SecureString parameters of one build, under `<prefix>/<build token>/`: CodeBuild reads them
 * (type PARAMETER_STORE) with the project's service role, so their values never reach CodeBuild.
 * Every one put is deleted by {@link deleteAll}, whatever the build's outcome.
 */
export class TemporaryParameters {
  /** `<prefix>/<build token>`: unique to the build, so builds never share or overwrite a parameter. */
  readonly folder: string;
  private readonly names: string[] = [];

  constructor(
    private readonly ssm: () => Promise<SSMClient>,
    prefix: string,
  ) {
    this.folder = `${prefix}/${randomUUID()}`;
  }

  /** Stores `value` as `<folder>/<leaf>` and returns the parameter's name. */
  async put(leaf: string, value: string): Promise<string> {
    const name = `${this.folder}/${leaf}`;
    // Named before the call: a PutParameter SSM applied but did not answer is deleted too.
    this.names.push(name);
    const [{ PutParameterCommand }, client] = await Promise.all([import('@aws-sdk/client-ssm'), this.ssm()]);
    // Intelligent-Tiering: the free Standard tier (4 KB) unless the value needs Advanced (8 KB).
    const input = { Name: name, Value: value, Type: 'SecureString' as const, Tier: 'Intelligent-Tiering' as const, Description: 'Stowage: a secret of one CodeBuild build, deleted when the build ends' };
    await client.send(new PutParameterCommand(input)).catch((error: unknown) => {
      // SSM answered that it refused (4xx): there is nothing to delete. But ParameterAlreadyExists
      // for a fresh UUID folder means a retried call whose first attempt SSM applied: ours.
      if (refused(error) && sdkErrorShape(error).name !== 'ParameterAlreadyExists') this.names.splice(this.names.indexOf(name), 1);
      throw error;
    });
    return name;
  }

  /**
   * Deletes every parameter {@link put} named (one already gone counts as deleted). Never aborted:
   * it runs after a Ctrl-C too. Returns the ones that are left.
   */
  async deleteAll(): Promise<LeftParameter[]> {
    const names = this.names.splice(0);
    if (names.length === 0) return [];
    const left = await Promise.all(names.map((name) => this.delete(name)));
    return left.filter((l): l is LeftParameter => l !== undefined);
  }

  private async delete(name: string): Promise<LeftParameter | undefined> {
    try {
      const [{ DeleteParameterCommand }, client] = await Promise.all([import('@aws-sdk/client-ssm'), this.ssm()]);
      await client.send(new DeleteParameterCommand({ Name: name }));
      return undefined;
    } catch (error) {
      return sdkErrorShape(error).name === 'ParameterNotFound' ? undefined : { name, reason: sdkErrorReason(error) };
    }
  }
}

/** An answer of the service refusing the request (HTTP 4xx), as opposed to no answer or a server error. */
function refused(error: unknown): boolean {
  const status = sdkErrorShape(error).$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}
