import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsLocation } from '@aws-sdk/client-codebuild';

/** How many of the last log lines a failure shows. */
export const TAIL_LINES = 20;

/**
 * Follows a build's CloudWatch Logs stream with GetLogEvents (from the head, page by page, until
 * the forward token comes back unchanged) and keeps the last lines for a failure message.
 */
export class BuildLogTail {
  readonly last: string[] = [];
  private token?: string;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly onLine: (line: string) => void,
  ) {}

  /** Reads what is new; a stream that does not exist yet (the build is still provisioning) has nothing new. */
  async drain(location: LogsLocation | undefined, signal?: AbortSignal): Promise<void> {
    if (!location?.groupName || !location.streamName) return;
    for (;;) {
      const input = { logGroupName: location.groupName, logStreamName: location.streamName, startFromHead: true, ...(this.token ? { nextToken: this.token } : {}) };
      const page = await this.logs.send(new GetLogEventsCommand(input), { abortSignal: signal }).catch((error: unknown) => {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw error;
      });
      if (!page) return;
      for (const event of page.events ?? []) this.add(event.message ?? '');
      const done = page.nextForwardToken === this.token || (page.events ?? []).length === 0;
      this.token = page.nextForwardToken ?? this.token;
      if (done) return;
    }
  }

  private add(message: string): void {
    for (const line of message.replace(/\r?\n$/, '').split(/\r?\n/)) {
      this.onLine(line);
      this.last.push(line);
      if (this.last.length > TAIL_LINES) this.last.shift();
    }
  }
}
