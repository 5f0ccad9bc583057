import { issuesWithheld } from "../../../incidents/actionItems.js";
import { deliver } from "../../../incidents/showing.js";
import type { Incident } from "../../../incidents/model.js";
import { resolveIncident } from "../../../incidents/resolve.js";
import type { ListenerContext } from "../../context.js";
import { refusing } from "../../refusals.js";
import { resolutionSummary } from "../../views/actionItems.js";
import type { CommandRequest } from "./request.js";

/**
 * `/incident resolve [text]`, `/resolve [text]` and `/incident status resolved`. The resolution is
 * recorded and the issues opened whatever Slack does with the summary; when Slack refuses it in
 * the channel, the person gets it privately, with what Slack refused and what to do.
 */
export async function handleResolveCommand(
  ctx: ListenerContext,
  request: CommandRequest,
  incident: Incident,
  resolution: string | undefined,
) {
  const result = await resolveIncident(ctx.deps, incident, request.actor, resolution);
  const summary = resolutionSummary(result.incident, result.actionItems, ctx.deps.timeZone, issuesWithheld(ctx.deps, result.incident));
  if (!result.newlyResolved) return request.reply({ text: `Incident #${incident.number} is already resolved.`, blocks: summary.blocks });
  const channelId = result.incident.channelId;
  const posted = await deliver(ctx.deps, { what: "resolution_summary", channelId, incidentNumber: incident.number }, () =>
    refusing({ method: "chat.postMessage", channelId }, () => ctx.client.chat.postMessage({ channel: channelId, ...summary })),
  );
  if (!posted) await request.reply(summary);
}
