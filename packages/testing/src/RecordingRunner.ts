import { describeCommand } from '@stowage/core';
import { StowageError, type ProcessRequest, type ProcessResult, type ProcessRunner } from '@stowage/plugin-api';

type Reply = { stdout: string; stderr?: string } | { fail: string; details?: string[] };

/** A fake ProcessRunner for unit tests: records every request and answers from a script. */
export class RecordingRunner implements ProcessRunner {
  readonly requests: ProcessRequest[] = [];

  /** Without a reply script, every command fails as a missing binary would. */
  constructor(private readonly reply: (request: ProcessRequest) => Reply = (r) => ({ fail: `command not found: ${describeCommand(r.command).split(' ')[0]}` })) {}

  async run(request: ProcessRequest): Promise<ProcessResult> {
    this.requests.push(request);
    const answer = this.reply(request);
    if ('fail' in answer) {
      // Shaped like NodeProcessRunner's failures: SUBPROCESS_FAILED, stderr lines in details.
      throw new StowageError(answer.fail, { code: 'SUBPROCESS_FAILED', details: answer.details ?? [] });
    }
    return { stdout: answer.stdout, stderr: answer.stderr ?? '', exitCode: 0 };
  }
}
