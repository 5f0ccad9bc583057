// Work that continues after Slack has been answered (Slack wants an ack within 3 s; resolving an
// incident talks to GitHub for longer). Every task is tracked so shutdown can wait for it and
// tests can wait until the bot is idle; a failure is logged, never lost silently.
import type { Logger } from "./log.js";

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => this.logger.error({ err: error, task: name }, "background task failed"))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves when no task is running, including tasks started by tasks. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
