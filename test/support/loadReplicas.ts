// Several bot replicas on one shared test database, as in a deployment with more than one
// process. On PGlite they share the one in-process instance; on PostgreSQL the one database URL.
import { eventBody, sendSigned } from "./slackRequests.js";
import { TestBot, type TestBotOptions } from "./testBot.js";
import type { TestDatabase } from "./testDatabase.js";

/** Resolves once `bot` has served a Slack request (a message in a channel that is no incident). */
export async function served(bot: TestBot): Promise<number> {
  const ts = `${Math.floor(Date.now() / 1000)}.000000`;
  const response = await sendSigned(
    bot.eventsUrl,
    eventBody({ type: "message", channel: "CREADYCHECK", user: "UBOB", text: "ready?", ts, event_ts: ts }),
    "application/json",
  );
  await response.arrayBuffer();
  return response.status;
}

/** Replicas on `database`, sharing fakes; stopped together, the database disposed once. */
export class Replicas {
  readonly all: TestBot[] = [];

  constructor(
    readonly database: TestDatabase,
    private readonly shared: Pick<TestBotOptions, "slack" | "github">,
  ) {}

  /** Starts one replica and waits until it has served a request. */
  async start(options: Omit<TestBotOptions, "database" | "slack" | "github"> = {}): Promise<TestBot> {
    const bot = await TestBot.start({ ...options, ...this.shared, database: this.database });
    this.all.push(bot);
    if ((await served(bot)) !== 200) throw new Error("a replica did not serve its first request");
    return bot;
  }

  /** Stops every replica (never disposing the shared database), then disposes it once. */
  async dispose() {
    await Promise.all(this.all.map((b) => b.bot.stop()));
    await this.database.dispose();
  }
}
