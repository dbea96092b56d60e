import { StowageError, type ProcessRequest, type ProcessResult, type ProcessRunner } from '@stowage/plugin-api';

type Reply = { stdout: string } | { fail: string; details?: string[] };

/**
 * A ProcessRunner for unit tests that records requests and answers from a script; failures are
 * shaped like the host runner's (SUBPROCESS_FAILED, stderr lines as details). Kept in-package so
 * unit tests need nothing of core (the real-tool tests use core's NodeProcessRunner).
 */
export class ScriptedRunner implements ProcessRunner {
  readonly requests: ProcessRequest[] = [];

  constructor(private readonly reply: (request: ProcessRequest) => Reply) {}

  async run(request: ProcessRequest): Promise<ProcessResult> {
    this.requests.push(request);
    const answer = this.reply(request);
    if ('fail' in answer) throw new StowageError(answer.fail, { code: 'SUBPROCESS_FAILED', details: answer.details ?? [] });
    return { stdout: answer.stdout, stderr: '', exitCode: 0 };
  }
}
