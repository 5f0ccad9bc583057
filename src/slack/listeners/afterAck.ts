// The one way commands, buttons and modals do their work after Slack has been answered (Slack
// wants an ack within 3 s; resolving talks to GitHub for longer):
//  1. claim the request's key (trigger id, or view id and hash): a replayed request does nothing;
//  2. run the work as a tracked background task, collecting what Slack did not show on the way
//     (src/incidents/showing.ts): the record stands, and the person is told privately what Slack
//     refused and what to do, in the reply the work sends or in one of its own at the end. The
//     request's log of that travels in the deps the work is given (its own ListenerContext), not
//     in an AsyncLocalStorage: once one is in use, Node runs hooks on every promise of the process,
//     every message event's included (issue 22);
//  3. a mistake the person can fix (a UserError, rendered by ../problems.ts, or a RequestError) is
//     told to them, privately, and so is a refusal from Slack (../refusals.ts); anything else is
//     logged and the person is told it failed on our side. The claim is kept: the work may have
//     done part of its effects (a channel created), and a new attempt comes with a new trigger id anyway.
//  4. a slash command's first reply goes in its ack when the work gives one within
//     ANSWER_IN_ACK_WITHIN_MS (AckAnswer): Slack shows it at once, and no response_url post is
//     needed for it. `/incident log`, the busiest command, is answered that way once its entry is
//     stored (the response_url post cost more of the bot's CPU than storing the entry: issue 22).
//     Later replies, and replies of slower work, go to the response_url as before.
import type { KnownBlock } from "@slack/types";
import type { BlockAction, RespondFn, SlashCommand, ViewSubmitAction } from "@slack/bolt";
import type { Actor } from "../../incidents/actor.js";
import { UndeliveredLog } from "../../incidents/showing.js";
import { UserError } from "../../incidents/errors.js";
import { StaleReportError } from "../../incidents/report/review.js";
import type { Logger } from "../../log.js";
import type { ListenerContext } from "../context.js";
import { LIMITS, textSections } from "../fit.js";
import { RequestError, userMessage } from "../problems.js";
import { botName, logUndelivered, refusalOf, refusalReason, undeliveredText } from "../refusals.js";
import { guardRespond } from "../text.js";
import { reportBlocks } from "../views/report.js";

/** A private answer to the person who acted. */
export type Reply = (message: ReplyMessage) => Promise<void>;
export type ReplyMessage = { text: string; blocks?: KnownBlock[] };

/**
 * How long a slash command's ack waits for the work's first reply to carry it. Slack wants the ack
 * within 3 s; work that takes longer (Slack's rate limits, GitHub) is acked empty at this point
 * and replies through the response_url.
 */
export const ANSWER_IN_ACK_WITHIN_MS = 1_000;

/**
 * The answer a slash command's ack carries: the work's first reply if it comes within the budget,
 * or nothing, when the budget is spent or the work ended without replying. `answer` settles once.
 */
export class AckAnswer {
  readonly answer: Promise<ReplyMessage | undefined>;
  private settle!: (message: ReplyMessage | undefined) => void;
  private open = true;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.answer = new Promise((resolve) => (this.settle = resolve));
    this.timer = setTimeout(() => this.close(), ANSWER_IN_ACK_WITHIN_MS);
  }

  /** Takes `message` into the ack; false when the ack has gone without it. */
  take(message: ReplyMessage): boolean {
    if (!this.open) return false;
    this.close(message);
    return true;
  }

  /** The ack goes now, with `message` or empty. */
  close(message?: ReplyMessage): void {
    if (!this.open) return;
    this.open = false;
    clearTimeout(this.timer);
    this.settle(message);
  }
}

const SORRY = "Sorry, that failed because of a problem on our side (it is logged for the bot's operators). Please try again in a moment.";

/** Who acted, and the key that makes a replay of the same request a no-op. */
export function actorOf(body: SlashCommand | BlockAction | ViewSubmitAction): Actor {
  if ("command" in body) return { userId: body.user_id, requestKey: body.trigger_id };
  if (body.type === "view_submission") return { userId: body.user.id, requestKey: `view:${body.view.id}:${body.view.hash}` };
  return { userId: body.user.id, requestKey: body.trigger_id };
}

/** Replies through a command's or button's response_url, visible only to the person, with the bot's rules for what it sends (../text.ts). */
export const replyThrough =
  (respond: RespondFn, logger: Logger): Reply =>
  async (message) =>
    void (await guardRespond(respond, logger)({ response_type: "ephemeral", replace_original: false, ...message }));

function userErrorMessage(ctx: ListenerContext, error: UserError | RequestError): { text: string; blocks?: KnownBlock[] } {
  const text = userMessage(error, { timeZone: ctx.deps.timeZone });
  if (error instanceof StaleReportError) {
    // Here is the current version to look at, rather than only "it changed".
    const intro = textSections(text);
    return { text, blocks: [...intro, ...reportBlocks(error.view, { maxBlocks: LIMITS.messageBlocks - intro.length })] };
  }
  return { text };
}

/**
 * The reply with what Slack did not show so far in this request said in it, so the person reads
 * one message: the text gains the lines, blocks gain them as sections first.
 */
function withUndelivered(ctx: ListenerContext, log: UndeliveredLog, reply: Reply): Reply {
  return async (message) => {
    const undelivered = log.take();
    if (undelivered.length === 0) return reply(message);
    const bot = await botName(ctx.client);
    logUndelivered(ctx.logger, undelivered, bot);
    const note = undeliveredText(undelivered, bot);
    const blocks = message.blocks && [...textSections(note), ...message.blocks];
    return reply({ text: `${message.text}\n${note}`, ...(blocks ? { blocks: blocks.slice(0, LIMITS.messageBlocks) } : {}) });
  };
}

/**
 * Runs `work` after the ack (see above). The work is given the request's own ListenerContext, whose
 * deps carry the request's UndeliveredLog: it uses that one, not the listener's, for everything it does.
 */
export function afterAck(
  listenerCtx: ListenerContext,
  request: { name: string; actor: Actor; reply: Reply; inAck?: AckAnswer },
  work: (reply: Reply, ctx: ListenerContext) => Promise<void>,
): void {
  const undelivered = new UndeliveredLog();
  const ctx: ListenerContext = { ...listenerCtx, deps: { ...listenerCtx.deps, undelivered } };
  const { inAck } = request;
  const firstReply: Reply = inAck ? async (message) => void (inAck.take(message) || (await request.reply(message))) : request.reply;
  const reply = withUndelivered(ctx, undelivered, firstReply);
  ctx.tasks.run(request.name, async () => {
    try {
      if (!(await ctx.deps.requests.claimRequest(request.actor.requestKey))) {
        ctx.logger.info({ request: request.name, key: request.actor.requestKey }, "a replayed request was not handled again");
        return;
      }
      await work(reply, ctx);
    } catch (error) {
      if (error instanceof UserError || error instanceof RequestError) return void (await reply(userErrorMessage(ctx, error)));
      const refusal = refusalOf(error, { method: request.name });
      if (refusal) {
        // Slack refused the request's own step (creating the channel, opening a modal...): nothing more was done.
        const text = `Slack refused that, so nothing more was done: ${refusalReason(refusal, await botName(ctx.client))}`;
        const fields = { request: request.name, slackError: refusal.code, ...("needed" in refusal ? { needed: refusal.needed } : {}) };
        if (refusal.code === "content_refused") ctx.logger.error({ ...fields, messages: refusal.messages }, text);
        else ctx.logger.warn(fields, text);
        return void (await reply({ text }));
      }
      ctx.logger.error({ err: error, request: request.name }, "request failed");
      await reply({ text: SORRY });
    } finally {
      try {
        // What could not be shown and was not said in a reply yet.
        const rest = undelivered.close();
        if (rest.length) {
          const bot = await botName(ctx.client);
          logUndelivered(ctx.logger, rest, bot);
          await firstReply({ text: undeliveredText(rest, bot) });
        }
      } finally {
        // The work is over: an ack still waiting goes now, empty.
        inAck?.close();
      }
    }
  });
}
