// The GitHub sync reads each action item's issue with a conditional request; GitHub answers 304
// while nothing changed, the common case of every sync. Octokit throws on a 304 and its request
// log reports it through `log.error`: the bot logs it at debug, as it logs requests that succeeded.
import { Writable } from "node:stream";
import { pino } from "pino";
import { TestBot } from "../support/testBot.js";

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("the GitHub sync's log", () => {
  it("logs the 304 of an unchanged issue at debug, not as an error", async () => {
    const records: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: "debug" },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split("\n").filter(Boolean)) records.push(JSON.parse(line) as { level: number; msg: string });
          done();
        },
      }),
    );
    let offset = 0;
    const now = () => new Date(Date.now() + offset);
    bot = await TestBot.start({ now, logger });
    bot.github.now = now;
    const incident = await bot.declare("Search cluster red sev2");
    await bot.command("action Alert on unassigned shards", { channel_id: incident.channelId });
    await bot.command("resolve Restarted the stuck node", { channel_id: incident.channelId, user_id: "UALICE" });
    const [item] = await bot.bot.deps.actionItems.listActionItems(incident.id);

    // Two syncs, GITHUB_SYNC_MINUTES (15) apart: the first reads the issue, the second asks with its ETag.
    for (let sync = 0; sync < 2; sync++) {
      offset += 16 * 60_000;
      bot = await bot.restart({ now, logger });
      await bot.bot.idle();
    }
    expect(bot.github.issueReads(item!.issueNumber!).map((r) => r.status)).toEqual([200, 304]);

    const notModified = records.filter((r) => / - 304 with id /.test(r.msg));
    expect(notModified).toHaveLength(1);
    expect(notModified[0]!.level).toBe(20);
    expect(records.filter((r) => r.level >= 40 && /304|issues\/\d+/.test(r.msg))).toEqual([]);
    // Requests that succeeded are debug lines too, so LOG_LEVEL=debug shows the whole exchange.
    expect(records.some((r) => r.level === 20 && / - 200 with id /.test(r.msg))).toBe(true);
  });
});
