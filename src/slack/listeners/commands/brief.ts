// `/incident brief`: the read-in on demand (what someone joining the channel is sent), privately.
import { readInFor } from "../../../incidents/readIn.js";
import type { ListenerContext } from "../../context.js";
import { readInMessage } from "../../views/readIn.js";
import type { CommandRequest } from "./request.js";

export async function handleBriefCommand(ctx: ListenerContext, request: CommandRequest, incidentId: string) {
  const readIn = await readInFor(ctx.deps, incidentId);
  await request.reply(readInMessage(readIn, { teamUrl: await ctx.deps.channel.teamUrl(), joined: false }));
}
