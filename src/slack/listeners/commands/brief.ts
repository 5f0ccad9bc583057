// `/incident brief`: the read-in on demand (what someone joining the channel is sent), privately.
import { briefing } from "../../../incidents/readIn.js";
import type { ListenerContext } from "../../context.js";
import { readInMessage } from "../../views/readIn.js";
import type { CommandRequest } from "./request.js";

export async function handleBriefCommand(ctx: ListenerContext, request: CommandRequest, incidentId: string) {
  const readIn = await briefing(ctx.deps, incidentId, request.actor);
  await request.reply(readInMessage(readIn, { teamUrl: await ctx.deps.channel.teamUrl(), joined: false }));
}
