// `/incident invite <@user…>`: people brought into the incident's channel. Anyone may in a public
// incident; in a private one only its commander and tech lead (the use case checks, and the table
// in incident.ts refuses early). The person who asked is told who went in, who was in already and
// whom Slack refused.
import { inviteToIncident } from "../../../incidents/assemble.js";
import type { Incident } from "../../../incidents/model.js";
import type { UserRef } from "../../commandText.js";
import type { ListenerContext } from "../../context.js";
import { inviteRefusal, mention } from "../../notices.js";
import type { CommandRequest } from "./request.js";
import { resolveUser } from "./request.js";

export async function handleInviteCommand(ctx: ListenerContext, request: CommandRequest, incident: Incident, refs: UserRef[]) {
  // Every name is checked before anyone is invited: a typo does not leave half the list invited.
  const userIds: string[] = [];
  for (const ref of refs) userIds.push(await resolveUser(ctx, ref, "invite"));
  const invitation = await inviteToIncident(ctx.deps, incident, request.actor, userIds);
  const lines: string[] = [];
  if (invitation.invited.length) lines.push(`Invited ${invitation.invited.map(mention).join(", ")} into <#${incident.channelId}>.`);
  if (invitation.alreadyIn.length) lines.push(`Already in: ${invitation.alreadyIn.map(mention).join(", ")}.`);
  for (const { userId, reason } of invitation.refused) lines.push(`Slack would not invite ${mention(userId)}: ${inviteRefusal(reason)}.`);
  await request.reply({ text: lines.join("\n") });
}
