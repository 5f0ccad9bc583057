// The largest things the bot sends Slack in a big incident: blocks in one message and the longest
// section text, across every message, ephemeral answer, response_url answer and modal, against the
// fake Slack that refuses what the real one refuses (so a payload past a limit would be counted as
// refused, not as sent). `npx tsx bench/slackLimits.ts [messages] [action items]`.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations } from "../src/database/migrate.js";
import { LIMITS } from "../src/slack/limits.js";
import { driveBigIncident } from "../test/support/bigIncident.js";
import { sentMaxima } from "../test/support/slackStrictness.js";
import { TestBot } from "../test/support/testBot.js";
import { heading, num, table } from "./stats.js";

const messages = Number(process.argv[2] ?? 2000);
const actionItems = Number(process.argv[3] ?? 60);
const size = { messages, actionItems, summaryChars: 5000, resolutionChars: 5000 };

const pglite = await PGlite.create();
await applyMigrations(new PrismaPGlite(pglite));
const bot = await TestBot.start({
  database: { config: { kind: "pglite", dataDir: "(in memory)" }, pglite, dispose: () => pglite.close() },
});
const started = performance.now();
try {
  await driveBigIncident(bot, size, (step) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s: ${step}\n`));
} finally {
  await bot.stop();
}
const maxima = sentMaxima(bot.slack.calls);
const refused = bot.slack.refused();

console.log(
  heading(`Slack's limits in a ${num(messages)}-message, ${actionItems}-action-item incident (5,000-character summary and resolution)`),
);
console.log(
  table([
    ["", "largest sent", "Slack's limit"],
    ["blocks in one message", num(maxima.blocksPerMessage), num(LIMITS.messageBlocks)],
    ["characters in one section", num(maxima.sectionText), num(LIMITS.sectionText)],
  ]),
);
const refusals = refused.length ? `: ${refused.map((c) => `${c.method} ${c.error}`).join(", ")}` : "";
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const cuts = `${bot.limitCuts.length} cut by the sender's last line`;
console.log(`\n${num(maxima.messages)} messages and answers sent, ${refused.length} refused by Slack${refusals}, ${cuts}; ${seconds} s.`);
