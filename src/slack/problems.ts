// The domain's problems (UserError, src/incidents/errors.ts) in Slack's words: what went wrong and
// what to type instead. One rendering per code; the table does not compile without one. Also the
// Slack layer's own refusals (RequestError), which are worded where they arise.
import { UserError, type Problem, type ProblemCode } from "../incidents/errors.js";
import { ROLE_LABELS, type PrivilegedAct, type Role } from "../incidents/model.js";
import { POLICY, type Permission } from "../incidents/policy.js";
import { STATUS_LABELS } from "../incidents/report/review.js";
import { escapeForSlack } from "../incidents/slackEscapes.js";
import { formatMoment } from "../incidents/time/format.js";
import { MINUTE_MS } from "../incidents/time/durations.js";
import { inviteRefusal, mention } from "./notices.js";
import { cutText } from "./fit.js";

/**
 * A request the Slack layer turns down before the domain sees it: what was typed could not be
 * read, or it was typed outside an incident channel. Its message is already Slack text.
 */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestError";
  }
}

/** What a rendering needs besides the problem: times are shown in the team's zone. */
export interface ProblemContext {
  timeZone: string;
}

const roleName = (role: Role) => ROLE_LABELS[role].toLowerCase();

/** "the incident commander or an incident admin", for refusals and help. */
function whoMayOf({ roles, admins }: { roles: readonly Role[]; admins: boolean }): string {
  const names = roles.map((role) => `the ${roleName(role)}`);
  if (admins) names.push("an incident admin");
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Who may do what a permission guards, in words (`/incident help`). */
export function whoMay(permission: Permission): string {
  return whoMayOf(POLICY[permission]);
}

/** A refused act, as the refusal says it: "Only ... can <doing>." */
const DOING: Record<PrivilegedAct, string> = {
  assign_roles: "assign roles",
  resolve: "resolve the incident",
  resolve_or_reopen: "resolve or reopen the incident",
  approve_report: "approve the report",
  request_changes: "request changes",
  publish_report: "publish the report",
  post_updates: "post updates for stakeholders and customers",
  publish_public_update: "publish a public update",
  cancel_public_update: "cancel a public update",
  set_public_title: "set the incident's public title",
  invite_to_private: "invite people into this private incident",
};

type Renderings = { [C in ProblemCode]: (problem: Extract<Problem, { code: C }>, context: ProblemContext) => string };

const TIME_FORMS = (timeZone: string) =>
  `Try 17:32, 5:32pm, yesterday 23:10, 10m ago or 2025-08-12T17:32+01:00 (times are in ${timeZone}).`;
const dueDateExamples = (example: string) => `\`${example}\`, \`tomorrow\`, \`friday\`, \`in 3 days\` or \`in 2 weeks\``;

const PROBLEMS: Renderings = {
  time_unreadable: ({ typed }, { timeZone }) =>
    `${typed ? `Couldn't read “${typed}” as a time.` : "No time given."} ${TIME_FORMS(timeZone)}`,
  time_in_future: ({ at, now }, { timeZone }) => {
    const example = formatMoment(new Date(now.getTime() - 10 * MINUTE_MS), timeZone, "clock");
    const past = `Type a past time, e.g. \`10m ago\`, \`yesterday 23:10\` or \`${example}\`.`;
    return `That time (${formatMoment(at, timeZone, "full")}) is in the future; it is now ${formatMoment(now, timeZone, "full")}. ${past}`;
  },
  clock_in_future: ({ now, clock }, { timeZone }) => {
    const yesterday = `for yesterday type \`yesterday ${clock}\`.`;
    return `That time is in the future (it is now ${formatMoment(now, timeZone, "time")} in ${timeZone}); ${yesterday}`;
  },
  due_not_in_calendar: ({ typed, example }) => `${typed} is not a date in the calendar. Type a due date, e.g. ${dueDateExamples(example)}.`,
  due_unreadable: ({ typed, example }) => `Couldn't read “${typed}” as a due date. Try ${dueDateExamples(example)}.`,
  due_in_past: ({ date, today, example }, { timeZone }) =>
    `${date} is in the past (today is ${today} in ${timeZone}). Type a date from today on, e.g. ${dueDateExamples(example)}.`,
  no_title: () => "An incident needs a title.",
  channel_names_taken: () => "Every channel name for that title is taken; try a more specific title.",
  private_channels_not_allowed: ({ missing }) =>
    `The bot cannot make private channels here: the workspace has not granted it ${missing.map((scope) => `\`${scope}\``).join(", ")}. ` +
    "Nothing was created. Ask a Slack admin to update the app from `manifest.json` and reinstall it to the workspace " +
    "(*Install App → Reinstall*), then declare again; or declare without `private`.",
  already_status: ({ status }) => `The incident is already *${status}*.`,
  already_severity: ({ severity }) => `The severity is already *${severity.toUpperCase()}*.`,
  already_role: ({ role, userId }) => `${mention(userId)} is already ${roleName(role)}.`,
  impact_end_before_start: ({ start }, { timeZone }) => `Impact can't end before it started (${formatMoment(start, timeZone, "full")}).`,
  impact_start_after_end: ({ end }, { timeZone }) => `Impact can't start after it ended (${formatMoment(end, timeZone, "full")}).`,
  same_title: () => "That is already the title.",
  action_item_gone: () => "That action item no longer exists.",
  not_allowed: ({ act, roles, admins, holders }) => {
    const doing = DOING[act];
    // The one person who may, named: "Only the tech lead, @dana, can approve the report."
    if (holders.length === 1 && roles.length === 1 && !admins)
      return `Only the ${roleName(roles[0]!)}, ${mention(holders[0]!.userId)}, can ${doing}. Nothing was changed.`;
    const now = holders.length
      ? ` (now ${holders.map((holder) => `${mention(holder.userId)} as ${roleName(holder.role)}`).join(", ")})`
      : "";
    const missing =
      holders.length === 0 && roles.length === 1
        ? ` There is no ${roleName(roles[0]!)} yet: assign one with \`/incident role ${roles[0]!.replace("_", "-")} @user\`.`
        : "";
    return `Only ${whoMayOf({ roles, admins })}${now} can ${doing}.${missing} Nothing was changed.`;
  },
  not_a_section: ({ key }) => `“${key}” is not a section of this team's report.`,
  report_edit_conflict: ({ version, markdown }) =>
    `Someone changed the report while you were editing (now version ${version}). Your text was not saved; here it is to paste again:\n` +
    cutText(markdown, 35_000, "\n… (cut here: Slack shows at most 40,000 characters in one message)"),
  review_needs_tech_lead: () => "The report needs a tech lead to review it. Assign one first with `/incident role tech-lead @user`.",
  already_in_review: ({ techLeadId }) => `The report is already in review with ${mention(techLeadId)}.`,
  already_approved: () => "The report is already approved. Edit a section to send it back to review.",
  approval_needs_review: ({ status }) => `The report is ${STATUS_LABELS[status].toLowerCase()}; only a report in review can be approved.`,
  changes_need_review: ({ status }) =>
    `The report is ${STATUS_LABELS[status].toLowerCase()}; changes can be requested on a report in review.`,
  already_published: ({ url }) => `The report is already published: ${url}`,
  publishing_needs_approval: ({ status }) =>
    `The report is ${STATUS_LABELS[status].toLowerCase()}; the tech lead approves it before it is published.`,
  publishing_not_configured: () => "Publishing is not configured: set REPORTS_REPOSITORY (and GITHUB_TOKEN) for the bot.",
  private_publishing_not_configured: () =>
    "This incident is private, so its report is published only to `PRIVATE_REPORTS_REPOSITORY`, and that is not set: " +
    "nothing was published (it never goes to `REPORTS_REPOSITORY`). The approved report stays here; set " +
    "`PRIVATE_REPORTS_REPOSITORY` (and `GITHUB_TOKEN`) for the bot to publish it, or keep it with `incident-bot report <number>`.",
  report_changed: ({ version }) =>
    `The report changed since that view was posted (now version ${version}). Here is the current one; please review it again.`,
  update_empty: () => "An update needs its text.",
  public_update_empty: () =>
    "Nothing would be left to publish once names, Slack links and commands are taken out. Describe the customers' experience in plain words.",
  public_update_too_long: ({ length, max }) =>
    `That update is ${length.toLocaleString("en-US")} characters; one for customers is at most ${max.toLocaleString("en-US")}. ` +
    "Say what customers experience and what happens next, in fewer words.",
  public_update_cancelled: () => "That draft was cancelled: nothing was published. Write a new one with `/incident update public <text>`.",
  update_already_published: () => "That update is already published; nothing more was done.",
  update_published_or_cancelled: () => "That update is already published (or was cancelled); nothing more was done.",
  update_not_cancellable: () => "That update is already published; it can't be cancelled now.",
  public_title_empty: () =>
    "Nothing would be left of that title once names, Slack links and commands are taken out. Describe what customers see, e.g. `Slow logins for some users`.",
  public_title_too_long: ({ length, max }) => `A public title is at most ${max} characters (that one is ${length}).`,
  same_public_title: ({ title }) => `The public title is already “${escapeForSlack(title)}”.`,
  private_incident_not_public: ({ refused }) =>
    "This incident is private: customers never hear of it, " +
    `so it has no ${refused === "public_title" ? "public title" : "public updates"} ` +
    "(nothing goes to the status page or Statuspage). Nothing was changed. Keep stakeholders informed here with `/incident update <text>`.",
  join_not_offered: ({ incidentNumber }) => `Incident #${incidentNumber} is not open to join. Ask its incident commander to invite you.`,
  join_refused: ({ incidentNumber, reason }) =>
    `Slack would not add you to the channel of incident #${incidentNumber}: ${inviteRefusal(reason)}. ` +
    "Ask its incident commander to invite you.",
  incident_not_visible: () =>
    "That incident is private and you are not in its channel, so nothing was added. " +
    "Ask its commander to invite you, then run the shortcut again.",
  picked_message_gone: () =>
    "That message is no longer held for the form (it was picked more than a day ago). Run the shortcut on the message again.",
  no_open_incident: () =>
    "There is no open incident to add this message to. " +
    "Declare one with the *Declare incident* shortcut on this message, or with `/incident declare <title>`.",
  message_not_linkable: ({ reason, channelName }) =>
    reason === "message_not_found"
      ? "Slack no longer has that message (it was deleted), so the bot cannot link to it. Nothing was recorded."
      : `The bot cannot see ${channelName ? `#${channelName}` : "that conversation"}, so it cannot link to the message: ` +
        "it is private, or a direct message. Invite the bot there (`/invite @incident-bot`) and run the shortcut again, " +
        "or say what matters in the incident channel. Nothing was recorded.",
};

export function problemText(problem: Problem, context: ProblemContext): string {
  return (PROBLEMS[problem.code] as (problem: Problem, context: ProblemContext) => string)(problem, context);
}

/** What the person is told about a problem they can fix: the domain's, rendered, or the Slack layer's own words. */
export const userMessage = (error: UserError | RequestError, context: ProblemContext): string =>
  error instanceof UserError ? problemText(error.problem, context) : error.message;
