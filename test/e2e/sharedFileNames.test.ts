// A shared file's name is stored and shown (the timeline, the report's links), and Slack's permalink
// to the file ends in that name: a secret in either is redacted before anything is stored, also
// where a file name joins it to other words with `-` or `_`. Names without secrets stay as they were.
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
afterAll(() => bot?.stop());

it("redacts secrets in shared files' names and permalinks before storing them, and keeps ordinary names", async () => {
  bot = await TestBot.start();
  const incident = await bot.declare("Registry pulls failing sev2", "UALICE");
  // Built here, so the repository holds no secret-looking literal.
  const token = ["ghp", "_", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDe"].join("");
  const leaky = `deploy-${token}.txt`;
  const permalink = (name: string) => `https://acme.slack.com/files/UBOB/F0456EFGH/${encodeURIComponent(name)}`;
  const ts = `${Math.floor(Date.now() / 1000) - 30}.000100`;
  const response = await bot.event({
    type: "message",
    subtype: "file_share",
    channel: incident.channelId,
    user: "UBOB",
    text: "the token file and a screenshot",
    ts,
    files: [
      { name: leaky, permalink: permalink(leaky) },
      { name: "Screenshot 2025-08-12 at 14.02.11.png", permalink: permalink("Screenshot 2025-08-12 at 14.02.11.png") },
    ],
  });
  expect(response.status).toBe(200);

  const entry = (await bot.bot.deps.incidents.listEntries(incident.id)).find((e) => e.ts === ts)!;
  expect(entry.files).toEqual([
    { name: "deploy-[REDACTED].txt", url: permalink("deploy-[REDACTED].txt") },
    { name: "Screenshot 2025-08-12 at 14.02.11.png", url: permalink("Screenshot 2025-08-12 at 14.02.11.png") },
  ]);
  const stored = JSON.stringify(await bot.bot.database.prisma.timelineEntry.findMany({ where: { incidentId: incident.id } }));
  expect(stored).not.toContain(token);
});
