import { describeCommand, StowageError, type ProcessRequest, type ProcessResult, type ProcessRunner } from '@stowage/core';

export interface RecordedProcess {
  command: readonly string[] | string;
  cwd?: string;
}

type Responder = (request: ProcessRequest) => Partial<ProcessResult> | Error | undefined;

/** A process runner for unit tests: records requests and answers from a table of responders. */
export class FakeProcessRunner implements ProcessRunner {
  readonly calls: RecordedProcess[] = [];

  constructor(private readonly respond: Responder = () => undefined) {}

  async run(request: ProcessRequest): Promise<ProcessResult> {
    this.calls.push({ command: request.command, cwd: request.cwd });
    const answer = this.respond(request);
    if (answer instanceof Error) throw answer;
    if (!answer) {
      throw new StowageError(`command not found: ${describeCommand(request.command).split(' ')[0]}`, { code: 'SUBPROCESS_FAILED' });
    }
    return { stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', exitCode: 0 };
  }
}
