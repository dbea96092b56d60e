import { AwsServiceError } from './AwsJsonServer.js';

interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/**
 * CloudWatch Logs as far as CodeBuild uses it: one stream per build in `/aws/codebuild/<project>`.
 * Tokens are `f/<index>` and `b/<index>` over the stream's events; with no new events the forward
 * token comes back unchanged, which is how a reader knows it has caught up.
 */
export class LogStore {
  private readonly streams = new Map<string, LogEvent[]>();

  createStream(group: string, stream: string): void {
    this.streams.set(`${group}\n${stream}`, []);
  }

  append(group: string, stream: string, message: string): void {
    const now = Date.now();
    this.streams.get(`${group}\n${stream}`)?.push({ timestamp: now, message, ingestionTime: now });
  }

  messages(group: string, stream: string): string[] {
    return (this.streams.get(`${group}\n${stream}`) ?? []).map((e) => e.message);
  }

  /** `Logs_20140328.GetLogEvents`. */
  getLogEvents(input: Record<string, unknown>): unknown {
    const group = String(input['logGroupName'] ?? input['logGroupIdentifier'] ?? '');
    const events = this.streams.get(`${group}\n${String(input['logStreamName'] ?? '')}`);
    if (!events) throw new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const limit = Math.min(Number(input['limit'] ?? 10_000), 10_000);
    const token = typeof input['nextToken'] === 'string' ? input['nextToken'] : undefined;
    const fromHead = input['startFromHead'] === true;
    const start = token ? tokenIndex(token) : fromHead ? 0 : Math.max(0, events.length - limit);
    const page = events.slice(start, start + limit);
    const end = start + page.length;
    return { events: page, nextForwardToken: `f/${String(end).padStart(20, '0')}`, nextBackwardToken: `b/${String(start).padStart(20, '0')}` };
  }
}

function tokenIndex(token: string): number {
  const m = /^[fb]\/(\d+)$/.exec(token);
  if (!m) throw new AwsServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(m[1]);
}
