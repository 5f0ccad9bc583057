import { issuesWithheld } from "../../../incidents/actionItems.js";
import type { Incident } from "../../../incidents/model.js";
import { resolveIncident } from "../../../incidents/resolve.js";
import type { ListenerContext } from "../../context.js";
import { resolutionSummary } from "../../views/actionItems.js";
import type { CommandRequest } from "./request.js";

/** `/incident resolve [text]`, `/resolve [text]` and `/incident status resolved`. */
export async function handleResolveCommand(ctx: ListenerContext, request: CommandRequest, incident: Incident, resolution: string | undefined) {
  const result = await resolveIncident(ctx.deps, incident, request.actor, resolution);
  const summary = resolutionSummary(result.incident, result.actionItems, ctx.deps.timeZone, issuesWithheld(ctx.deps, result.incident));
  if (result.newlyResolved) {
    await ctx.client.chat.postMessage({ channel: result.incident.channelId, ...summary });
  } else {
    await request.reply({ text: `Incident #${incident.number} is already resolved.`, blocks: summary.blocks });
  }
}
