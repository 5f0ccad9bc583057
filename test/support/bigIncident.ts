// A big incident, driven through the bot the way Slack would: many messages in the channel, many
// action items (some with long texts), a long summary and a long resolution, the action items
// listed and one marked done, then resolved and the report posted. For the e2e test of Slack's
// limits and for bench/slackLimits.ts, which prints the largest things the bot sent.
import type { Incident } from "../../src/incidents/model.js";
import { ActionIds } from "../../src/slack/ids.js";
import type { TestBot } from "./testBot.js";

export interface BigIncident {
  messages: number;
  actionItems: number;
  /** Characters in the summary and in the resolution. */
  summaryChars: number;
  resolutionChars: number;
}

const SENTENCES = [
  "Card payments timed out for customers in the EU region while the gateway's connection pool was exhausted.",
  "<@UBOB> traced it to the retry storm after the 16:20 deploy; see <https://grafana.example.com/d/payments|the dashboard>.",
  "Refunds were delayed too &amp; the status page said so at 16:45.",
  "We rolled back, drained the pool and raised its limit from 50 to 200 connections.",
];

/** Prose of exactly `chars` characters, in paragraphs, with a mention, a link and an entity in it. */
export function prose(chars: number): string {
  let text = "";
  for (let i = 0; text.length < chars; i++) text += `${SENTENCES[i % SENTENCES.length]}${i % 5 === 4 ? "\n\n" : " "}`;
  return text.slice(0, chars).trimEnd().padEnd(chars, ".");
}

/** Declares the incident and drives it to resolved with its report posted; returns it as stored. */
export async function driveBigIncident(bot: TestBot, size: BigIncident, progress: (step: string) => void = () => {}): Promise<Incident> {
  await bot.command("declare Card payments timing out in the EU sev1", { user_id: "UALICE" });
  const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
  const channel = incident.channelId;
  await bot.command("role tech-lead @bob", { channel_id: channel });
  await bot.command(`summary ${prose(size.summaryChars)}`, { channel_id: channel });

  progress("summary");
  const start = Math.floor(Date.now() / 1000) - size.messages - 60;
  for (let i = 0; i < size.messages; i++) {
    const text =
      i % 50 === 0 ? `rolled back hub-${i} with \`kubectl rollout undo deploy/payments\`` : `${SENTENCES[i % SENTENCES.length]} (${i})`;
    await bot.event({
      type: "message",
      channel,
      user: i % 2 ? "UBOB" : "UCAROL",
      text,
      ts: `${start + i}.${String(i % 1_000_000).padStart(6, "0")}`,
      channel_type: "channel",
    });
  }

  progress("messages");
  for (let n = 1; n <= size.actionItems; n++) {
    const text = n % 5 === 0 ? `Item ${n}: ${prose(800)}` : `Item ${n}: add an alert on payment gateway pool saturation`;
    await bot.command(`action ${text}${n % 3 === 0 ? " @bob due 2099-01-31" : ""}`, { channel_id: channel });
  }
  progress("action items");
  await bot.command("actions", { channel_id: channel });
  await bot.command("actions page 2", { channel_id: channel });
  const pageTwo = bot.slack.responses().at(-1)!;
  const menu = (pageTwo.blocks as { accessory?: { action_id: string; options: { value: string }[] } }[]).find(
    (b) => b.accessory?.action_id === ActionIds.markActionDone,
  )!;
  await bot.press(
    { action_id: ActionIds.markActionDone, selected_option: { value: menu.accessory!.options[0]!.value } },
    "UCAROL",
    channel,
  );

  progress("listed and marked done");
  await bot.command(`resolve ${prose(size.resolutionChars)}`, { channel_id: channel, user_id: "UALICE" });
  progress("resolved");
  await bot.command("report", { channel_id: channel, user_id: "UALICE" });
  progress("report");
  return bot.bot.deps.incidents.getIncident(incident.id);
}
