// The one way commands, buttons and modals do their work after Slack has been answered (Slack
// wants an ack within 3 s; resolving talks to GitHub for longer):
//  1. claim the request's key (trigger id, or view id and hash): a replayed request does nothing;
//  2. run the work as a tracked background task;
//  3. a mistake the person can fix (a UserError, rendered by ../problems.ts, or a RequestError) is
//     told to them, privately; anything else is logged and the
//     person is told it failed on our side. The claim is kept: the work may have done part of its
//     effects (a channel created), and a new attempt comes with a new trigger id anyway.
import type { KnownBlock } from "@slack/types";
import type { BlockAction, RespondFn, SlashCommand, ViewSubmitAction } from "@slack/bolt";
import type { Actor } from "../../incidents/changes.js";
import { UserError } from "../../incidents/errors.js";
import { StaleReportError } from "../../incidents/report/review.js";
import type { Logger } from "../../log.js";
import type { ListenerContext } from "../context.js";
import { LIMITS, textSections } from "../fit.js";
import { RequestError, userMessage } from "../problems.js";
import { guardRespond } from "../text.js";
import { reportBlocks } from "../views/report.js";

/** A private answer to the person who acted. */
export type Reply = (message: { text: string; blocks?: KnownBlock[] }) => Promise<void>;

const SORRY = "Sorry, that failed because of a problem on our side (it is logged for the bot's operators). Please try again in a moment.";

/** Who acted, and the key that makes a replay of the same request a no-op. */
export function actorOf(body: SlashCommand | BlockAction | ViewSubmitAction): Actor {
  if ("command" in body) return { userId: body.user_id, requestKey: body.trigger_id };
  if (body.type === "view_submission") return { userId: body.user.id, requestKey: `view:${body.view.id}:${body.view.hash}` };
  return { userId: body.user.id, requestKey: body.trigger_id };
}

/** `respond` (response_url) with the bot's rules for what it sends: no broadcasts, within Slack's limits (../text.ts). */
export const safeRespond = (respond: RespondFn, logger: Logger): RespondFn => guardRespond(respond, logger);

/** Replies through a command's or button's response_url, visible only to the person. */
export const replyThrough =
  (respond: RespondFn, logger: Logger): Reply =>
  async (message) =>
    void (await safeRespond(respond, logger)({ response_type: "ephemeral", replace_original: false, ...message }));

function userErrorMessage(ctx: ListenerContext, error: UserError | RequestError): { text: string; blocks?: KnownBlock[] } {
  const text = userMessage(error, { timeZone: ctx.deps.timeZone });
  if (error instanceof StaleReportError) {
    // Here is the current version to look at, rather than only "it changed".
    const intro = textSections(text);
    return { text, blocks: [...intro, ...reportBlocks(error.view, { maxBlocks: LIMITS.messageBlocks - intro.length })] };
  }
  return { text };
}

export function afterAck(ctx: ListenerContext, request: { name: string; actor: Actor; reply: Reply }, work: () => Promise<void>): void {
  ctx.tasks.run(request.name, async () => {
    try {
      if (!(await ctx.deps.requests.claimRequest(request.actor.requestKey))) {
        ctx.logger.info({ request: request.name, key: request.actor.requestKey }, "a replayed request was not handled again");
        return;
      }
      await work();
    } catch (error) {
      if (error instanceof UserError || error instanceof RequestError) return void (await request.reply(userErrorMessage(ctx, error)));
      ctx.logger.error({ err: error, request: request.name }, "request failed");
      await request.reply({ text: SORRY });
    }
  });
}
