// The Slack wording of the domain's problems and notices, pinned: one example per code and kind
// (the tables' types make a new code or kind fail here until it has an example). The end-to-end
// tests check the messages people see too, but not every one of these.
import type { Problem, ProblemCode } from "../../src/incidents/errors.js";
import type { PrivilegedAct } from "../../src/incidents/model.js";
import type { Change } from "../../src/incidents/entryFacts.js";
import type { Notice, NoticeKind } from "../../src/incidents/notices.js";
import { ACTS, POLICY } from "../../src/incidents/policy.js";
import { formatMoment } from "../../src/incidents/time/format.js";
import { noticeText } from "../../src/slack/notices.js";
import { problemText, whoMay } from "../../src/slack/problems.js";

const ZONE = "Europe/London";
const START = new Date("2025-08-12T16:32:00Z");
const DUE = new Date("2025-08-20T00:00:00Z");

const TRY_TIMES = "Try 17:32, 5:32pm, yesterday 23:10, 10m ago or 2025-08-12T17:32+01:00 (times are in Europe/London).";
const TRY_DATES = "`2025-08-19`, `tomorrow`, `friday`, `in 3 days` or `in 2 weeks`";

const PROBLEMS: { [C in ProblemCode]: [Extract<Problem, { code: C }>, string][] } = {
  time_unreadable: [
    [{ code: "time_unreadable", typed: "tomorrow-ish" }, `Couldn't read “tomorrow-ish” as a time. ${TRY_TIMES}`],
    [{ code: "time_unreadable", typed: "" }, `No time given. ${TRY_TIMES}`],
  ],
  time_in_future: [
    [
      { code: "time_in_future", at: new Date("2025-08-12T18:00:00Z"), now: START },
      `That time (${formatMoment(new Date("2025-08-12T18:00:00Z"), ZONE, "full")}) is in the future; ` +
        `it is now ${formatMoment(START, ZONE, "full")}. ` +
        "Type a past time, e.g. `10m ago`, `yesterday 23:10` or `17:22`.",
    ],
  ],
  clock_in_future: [
    [
      { code: "clock_in_future", now: START, clock: "18:00" },
      "That time is in the future (it is now 17:32 BST in Europe/London); for yesterday type `yesterday 18:00`.",
    ],
  ],
  due_not_in_calendar: [
    [
      { code: "due_not_in_calendar", typed: "2025-02-30", example: "2025-08-19" },
      `2025-02-30 is not a date in the calendar. Type a due date, e.g. ${TRY_DATES}.`,
    ],
  ],
  due_unreadable: [
    [{ code: "due_unreadable", typed: "someday", example: "2025-08-19" }, `Couldn't read “someday” as a due date. Try ${TRY_DATES}.`],
  ],
  due_in_past: [
    [
      { code: "due_in_past", date: "2025-08-01", today: "2025-08-12", example: "2025-08-19" },
      `2025-08-01 is in the past (today is 2025-08-12 in Europe/London). Type a date from today on, e.g. ${TRY_DATES}.`,
    ],
  ],
  no_title: [[{ code: "no_title" }, "An incident needs a title."]],
  channel_names_taken: [[{ code: "channel_names_taken" }, "Every channel name for that title is taken; try a more specific title."]],
  private_channels_not_allowed: [
    [
      { code: "private_channels_not_allowed", missing: ["groups:write", "groups:history"] },
      "The bot cannot make private channels here: the workspace has not granted it `groups:write`, `groups:history`. " +
        "Nothing was created. Ask a Slack admin to update the app from `manifest.json` and reinstall it to the workspace " +
        "(*Install App → Reinstall*), then declare again; or declare without `private`.",
    ],
  ],
  already_status: [[{ code: "already_status", status: "monitoring" }, "The incident is already *monitoring*."]],
  already_severity: [[{ code: "already_severity", severity: "sev2" }, "The severity is already *SEV2*."]],
  already_role: [[{ code: "already_role", role: "tech_lead", userId: "UBOB" }, "<@UBOB> is already tech lead."]],
  impact_end_before_start: [
    [{ code: "impact_end_before_start", start: START }, `Impact can't end before it started (${formatMoment(START, ZONE, "full")}).`],
  ],
  impact_start_after_end: [
    [{ code: "impact_start_after_end", end: START }, `Impact can't start after it ended (${formatMoment(START, ZONE, "full")}).`],
  ],
  same_title: [[{ code: "same_title" }, "That is already the title."]],
  action_item_gone: [[{ code: "action_item_gone" }, "That action item no longer exists."]],
  not_allowed: [
    [
      {
        code: "not_allowed",
        act: "approve_report",
        roles: ["tech_lead"],
        admins: false,
        holders: [{ role: "tech_lead", userId: "UDANA" }],
      },
      "Only the tech lead, <@UDANA>, can approve the report. Nothing was changed.",
    ],
    [
      { code: "not_allowed", act: "approve_report", roles: ["tech_lead"], admins: false, holders: [] },
      "Only the tech lead can approve the report. There is no tech lead yet: assign one with `/incident role tech-lead @user`. Nothing was changed.",
    ],
    [
      { code: "not_allowed", act: "assign_roles", roles: ["commander"], admins: true, holders: [{ role: "commander", userId: "UALICE" }] },
      "Only the incident commander or an incident admin (now <@UALICE> as incident commander) can assign roles. Nothing was changed.",
    ],
    [
      {
        code: "not_allowed",
        act: "publish_report",
        roles: ["liaison", "commander", "tech_lead"],
        admins: false,
        holders: [
          { role: "commander", userId: "UALICE" },
          { role: "tech_lead", userId: "UDANA" },
        ],
      },
      "Only the communication liaison, the incident commander or the tech lead (now <@UALICE> as incident commander, <@UDANA> " +
        "as tech lead) can publish the report. Nothing was changed.",
    ],
  ],
  not_a_section: [[{ code: "not_a_section", key: "costs" }, "“costs” is not a section of this team's report."]],
  report_edit_conflict: [
    [
      { code: "report_edit_conflict", version: 4, markdown: "Line one\nline two" },
      "Someone changed the report while you were editing (now version 4). Your text was not saved; here it is to paste again:\nLine one\nline two",
    ],
  ],
  review_needs_tech_lead: [
    [
      { code: "review_needs_tech_lead" },
      "The report needs a tech lead to review it. Assign one first with `/incident role tech-lead @user`.",
    ],
  ],
  already_in_review: [[{ code: "already_in_review", techLeadId: "UDANA" }, "The report is already in review with <@UDANA>."]],
  already_approved: [[{ code: "already_approved" }, "The report is already approved. Edit a section to send it back to review."]],
  approval_needs_review: [
    [
      { code: "approval_needs_review", status: "changes_requested" },
      "The report is changes requested; only a report in review can be approved.",
    ],
  ],
  changes_need_review: [
    [{ code: "changes_need_review", status: "draft" }, "The report is draft; changes can be requested on a report in review."],
  ],
  already_published: [
    [
      { code: "already_published", url: "https://github.com/acme/reports/blob/main/r.md" },
      "The report is already published: https://github.com/acme/reports/blob/main/r.md",
    ],
  ],
  publishing_needs_approval: [
    [
      { code: "publishing_needs_approval", status: "in_review" },
      "The report is in review; the tech lead approves it before it is published.",
    ],
  ],
  publishing_not_configured: [
    [{ code: "publishing_not_configured" }, "Publishing is not configured: set REPORTS_REPOSITORY (and GITHUB_TOKEN) for the bot."],
  ],
  private_publishing_not_configured: [
    [
      { code: "private_publishing_not_configured" },
      "This incident is private, so its report is published only to `PRIVATE_REPORTS_REPOSITORY`, and that is not set: " +
        "nothing was published (it never goes to `REPORTS_REPOSITORY`). The approved report stays here; set " +
        "`PRIVATE_REPORTS_REPOSITORY` (and `GITHUB_TOKEN`) for the bot to publish it, or keep it with `incident-bot report <number>`.",
    ],
  ],
  report_changed: [
    [
      { code: "report_changed", version: 3 },
      "The report changed since that view was posted (now version 3). Here is the current one; please review it again.",
    ],
  ],
  update_empty: [[{ code: "update_empty" }, "An update needs its text."]],
  public_update_empty: [
    [
      { code: "public_update_empty" },
      "Nothing would be left to publish once names, Slack links and commands are taken out. Describe the customers' experience in plain words.",
    ],
  ],
  public_update_too_long: [
    [
      { code: "public_update_too_long", length: 2_345, max: 2_000 },
      "That update is 2,345 characters; one for customers is at most 2,000. Say what customers experience and what happens next, in fewer words.",
    ],
  ],
  public_update_cancelled: [
    [
      { code: "public_update_cancelled" },
      "That draft was cancelled: nothing was published. Write a new one with `/incident update public <text>`.",
    ],
  ],
  update_already_published: [[{ code: "update_already_published" }, "That update is already published; nothing more was done."]],
  update_published_or_cancelled: [
    [{ code: "update_published_or_cancelled" }, "That update is already published (or was cancelled); nothing more was done."],
  ],
  update_not_cancellable: [[{ code: "update_not_cancellable" }, "That update is already published; it can't be cancelled now."]],
  public_title_empty: [
    [
      { code: "public_title_empty" },
      "Nothing would be left of that title once names, Slack links and commands are taken out. Describe what customers see, e.g. `Slow logins for some users`.",
    ],
  ],
  public_title_too_long: [
    [{ code: "public_title_too_long", length: 130, max: 120 }, "A public title is at most 120 characters (that one is 130)."],
  ],
  same_public_title: [[{ code: "same_public_title", title: "Slow logins" }, "The public title is already “Slow logins”."]],
  private_incident_not_public: [
    [
      { code: "private_incident_not_public", refused: "public_update" },
      "This incident is private: customers never hear of it, so it has no public updates " +
        "(nothing goes to the status page or Statuspage). Nothing was changed. " +
        "Keep stakeholders informed here with `/incident update <text>`.",
    ],
    [
      { code: "private_incident_not_public", refused: "public_title" },
      "This incident is private: customers never hear of it, so it has no public title " +
        "(nothing goes to the status page or Statuspage). Nothing was changed. " +
        "Keep stakeholders informed here with `/incident update <text>`.",
    ],
  ],
  join_not_offered: [
    [{ code: "join_not_offered", incidentNumber: 7 }, "Incident #7 is not open to join. Ask its incident commander to invite you."],
  ],
  join_refused: [
    [
      { code: "join_refused", incidentNumber: 7, reason: "user_is_restricted" },
      "Slack would not add you to the channel of incident #7: a guest or external account Slack does not let the bot invite. " +
        "Ask its incident commander to invite you.",
    ],
    [
      { code: "join_refused", incidentNumber: 7, reason: "team_frozen" },
      "Slack would not add you to the channel of incident #7: Slack said `team_frozen`. Ask its incident commander to invite you.",
    ],
  ],
  incident_not_visible: [
    [
      { code: "incident_not_visible" },
      "That incident is private and you are not in its channel, so nothing was added. " +
        "Ask its commander to invite you, then run the shortcut again.",
    ],
  ],
  picked_message_gone: [
    [
      { code: "picked_message_gone" },
      "That message is no longer held for the form (it was picked more than a day ago). Run the shortcut on the message again.",
    ],
  ],
  no_open_incident: [
    [
      { code: "no_open_incident" },
      "There is no open incident to add this message to. " +
        "Declare one with the *Declare incident* shortcut on this message, or with `/incident declare <title>`.",
    ],
  ],
  message_not_linkable: [
    [
      { code: "message_not_linkable", reason: "channel_not_found", channelName: "secret-plans" },
      "The bot cannot see #secret-plans, so it cannot link to the message: it is private, or a direct message. " +
        "Invite the bot there (`/invite @incident-bot`) and run the shortcut again, or say what matters in the incident channel. " +
        "Nothing was recorded.",
    ],
    [
      { code: "message_not_linkable", reason: "message_not_found", channelName: null },
      "Slack no longer has that message (it was deleted), so the bot cannot link to it. Nothing was recorded.",
    ],
  ],
};

const FORTY_MENTIONS = Array.from({ length: 40 }, (_, n) => `<@U${n}>`).join(", ");

/** Every kind of recorded change, as Slack says it after the person's name (src/slack/changeText.ts). */
const ITEM_REF = { number: 2, text: "Add an alert on queue depth" };
const CHANGES: [Change, string][] = [
  [
    { kind: "declared", data: { field: "status", from: null, to: "investigating", title: "Checkout errors", severity: "sev2" } },
    "declared the incident: Checkout errors (SEV2)",
  ],
  [
    { kind: "status", data: { field: "status", from: "investigating", to: "identified" } },
    "changed status from investigating to identified",
  ],
  [
    { kind: "status", data: { field: "status", from: "resolved", to: "monitoring" } },
    "re-opened the incident: status resolved → monitoring",
  ],
  [{ kind: "role", data: { field: "liaison", from: null, to: "UCARL" } }, "made <@UCARL> communication liaison"],
  [{ kind: "role", data: { field: "scribe", from: "UCARL", to: null } }, "left nobody as scribe (was <@UCARL>)"],
  [
    { kind: "impact_start", data: { field: "impact_start", from: null, to: "2025-08-12T15:05:00.000Z" } },
    "set the impact start to 2025-08-12 16:05 BST",
  ],
  [
    { kind: "impact_start", data: { field: "impact_start", from: "2025-08-12T15:05:00.000Z", to: "2025-08-12T15:02:00.000Z" } },
    "set the impact start to 2025-08-12 16:02 BST (was 2025-08-12 16:05 BST)",
  ],
  [
    { kind: "impact_end", data: { field: "impact_end", from: null, to: "2025-08-12T15:40:00.000Z" } },
    "set the impact end to 2025-08-12 16:40 BST",
  ],
  [
    { kind: "detected", data: { field: "detected", from: null, to: "2025-08-12T15:10:00.000Z" } },
    "set the detection time to 2025-08-12 16:10 BST",
  ],
  [
    { kind: "summary", data: { field: "summary", from: null, to: "EU checkout fails; see <#C0OPS|ops>." } },
    "set the summary: EU checkout fails; see <#C0OPS|ops>.",
  ],
  [
    { kind: "title", data: { field: "title", from: "Checkout errors", to: "Checkout errors in the EU" } },
    "renamed the incident from “Checkout errors” to “Checkout errors in the EU”",
  ],
  [{ kind: "title", data: { field: "public_title", from: null, to: "Slow checkout" } }, "set the public title to “Slow checkout”"],
  [
    { kind: "resolved", data: { field: "status", from: "monitoring", to: "resolved", resolution: "Rolled back" } },
    "resolved the incident: Rolled back",
  ],
  [{ kind: "resolved", data: { field: "status", from: "monitoring", to: "resolved", resolution: null } }, "resolved the incident"],
  [
    { kind: "report", data: { field: "report", step: "section_edited", from: "draft", to: "draft", section: "Impact" } },
    "edited the report's Impact section",
  ],
  [
    { kind: "report", data: { field: "report", step: "section_edited", from: "approved", to: "in_review", section: "Impact" } },
    "edited the report's Impact section (back to review)",
  ],
  [
    { kind: "report", data: { field: "report", step: "review_requested", from: "draft", to: "in_review" } },
    "requested review of the report",
  ],
  [{ kind: "report", data: { field: "report", step: "approved", from: "in_review", to: "approved" } }, "approved the report"],
  [
    {
      kind: "report",
      data: { field: "report", step: "changes_requested", from: "in_review", to: "changes_requested", comment: "Name no one" },
    },
    "requested changes to the report: Name no one",
  ],
  [
    { kind: "report", data: { field: "report", step: "published", from: "approved", to: "published", url: "https://x.test/r.md" } },
    "published the report: https://x.test/r.md",
  ],
  [
    { kind: "update", data: { field: "update", from: null, to: "internal", text: "Rolled back." } },
    "posted an update to stakeholders: Rolled back.",
  ],
  [{ kind: "update", data: { field: "update", from: null, to: "public", text: "Recovering." } }, "published a public update: Recovering."],
  [
    { kind: "action", data: { field: "action_item", from: null, to: "item-id", ...ITEM_REF, ownerId: "UBOB", due: "2025-09-01" } },
    "added action item 2: Add an alert on queue depth (owner <@UBOB>) due 2025-09-01",
  ],
  [
    { kind: "action", data: { field: "action_item_status", from: "open", to: "dropped", ...ITEM_REF } },
    "marked action item 2 dropped: Add an alert on queue depth",
  ],
  [
    { kind: "action", data: { field: "action_item_status", from: "open", to: "done", ...ITEM_REF, issue: 17 } },
    "saw action item 2 done: its issue #17 was closed on GitHub: Add an alert on queue depth",
  ],
  [
    { kind: "action", data: { field: "action_item_owner", from: null, to: "UCARL", ...ITEM_REF } },
    "made <@UCARL> the owner of action item 2: Add an alert on queue depth",
  ],
  [
    { kind: "action", data: { field: "action_item_owner", from: "UCARL", to: null, ...ITEM_REF } },
    "made nobody the owner of action item 2: Add an alert on queue depth",
  ],
  [
    { kind: "action", data: { field: "action_item_due", from: null, to: "2025-09-15", ...ITEM_REF } },
    "set the due date of action item 2 to 2025-09-15: Add an alert on queue depth",
  ],
  [
    { kind: "action", data: { field: "action_item_due", from: "2025-09-15", to: null, ...ITEM_REF } },
    "cleared the due date of action item 2: Add an alert on queue depth",
  ],
  [
    { kind: "action", data: { field: "action_item_issue", from: "open", to: "deleted", ...ITEM_REF, issue: 17 } },
    "saw the issue #17 of action item 2 deleted or moved on GitHub: Add an alert on queue depth",
  ],
  [{ kind: "invited", data: { field: "severity", from: null, to: "sev1", users: ["UBOB", "UCARL"] } }, "invited <@UBOB>, <@UCARL> (SEV1)"],
  [{ kind: "invited", data: { field: "invite", from: null, to: null, users: ["UDAVE"] } }, "invited <@UDAVE>"],
  [
    {
      kind: "declared",
      data: { field: "status", from: null, to: "investigating", title: "Leaked keys", severity: "sev1", private: true },
    },
    "declared the incident: Leaked keys (SEV1, private)",
  ],
];

const ITEM = {
  number: 2,
  text: "Add an alert on queue depth",
  ownerId: "UBOB",
  dueDate: DUE,
  issueNumber: 17,
  issueUrl: "https://github.com/acme/app/issues/17",
};
const NOTICES: { [K in NoticeKind]: [Extract<Notice, { kind: K }>, string][] } = {
  changed: [
    [
      { kind: "changed", by: "UALICE", change: { kind: "severity", data: { field: "severity", from: "sev3", to: "sev2" } } },
      "<@UALICE> changed severity from SEV3 to SEV2",
    ],
    [
      { kind: "changed", by: "UALICE", change: { kind: "role", data: { field: "tech_lead", from: "UDANA", to: "UBOB" } } },
      "<@UALICE> made <@UBOB> tech lead (was <@UDANA>)",
    ],
    ...CHANGES.map(([change, text]): [Extract<Notice, { kind: "changed" }>, string] => [
      { kind: "changed", by: "UALICE", change },
      `<@UALICE> ${text}`,
    ]),
  ],
  action_item_added: [
    [
      { kind: "action_item_added", by: "UALICE", item: ITEM },
      "<@UALICE> added action item 2: Add an alert on queue depth (owner <@UBOB>) due 2025-08-20",
    ],
    [
      { kind: "action_item_added", by: "UALICE", item: { ...ITEM, ownerId: null, dueDate: null } },
      "<@UALICE> added action item 2: Add an alert on queue depth",
    ],
  ],
  action_item_followed: [
    [
      { kind: "action_item_followed", change: "done", item: ITEM },
      ":white_check_mark: Action item 2 is done: its issue <https://github.com/acme/app/issues/17|#17> was closed on GitHub. Add an alert on queue depth",
    ],
    [
      { kind: "action_item_followed", change: "reopened", item: { ...ITEM, issueUrl: null } },
      ":arrows_counterclockwise: Action item 2 is open again: its issue #17 was reopened on GitHub. Add an alert on queue depth",
    ],
    [
      { kind: "action_item_followed", change: "issue_gone", item: ITEM },
      "Issue <https://github.com/acme/app/issues/17|#17> of action item 2 was deleted or moved on GitHub; the bot no longer follows it. Add an alert on queue depth",
    ],
  ],
  action_item_overdue: [
    [
      { kind: "action_item_overdue", item: ITEM, incident: { number: 7, title: "Checkout errors", channelId: "CINC7" } },
      ":alarm_clock: Your action item 2 from incident #7 (Checkout errors) was due 2025-08-20 and is still open: Add an alert on queue depth Its issue: <https://github.com/acme/app/issues/17|#17>. Close the issue when it is done, or mark it done with `/incident actions` in <#CINC7>.",
    ],
  ],
  action_item_overdue_here: [
    [
      { kind: "action_item_overdue_here", to: "UBOB", item: ITEM },
      ":alarm_clock: <@UBOB>, action item 2 was due 2025-08-20 and is still open: Add an alert on queue depth Its issue: " +
        "<https://github.com/acme/app/issues/17|#17>. Close the issue when it is done, or mark it done with `/incident actions`.",
    ],
  ],
  action_items_incomplete: [
    [
      { kind: "action_items_incomplete", to: "UDANA", incidentNumber: 7, items: [{ ...ITEM, ownerId: null, dueDate: null }] },
      "<@UDANA>, incident #7 was resolved a week ago and this action item has no owner or due date yet:\n" +
        "• *2.* Add an alert on queue depth (no owner, no due date)\n" +
        "Give each an owner and a date so it gets done (`/incident assign <number> @owner due <date>`), or drop it (`/incident actions`).",
    ],
    [
      {
        kind: "action_items_incomplete",
        to: "UDANA",
        incidentNumber: 7,
        items: [
          { ...ITEM, dueDate: null },
          { ...ITEM, number: 3, ownerId: null },
        ],
      },
      "<@UDANA>, incident #7 was resolved a week ago and these action items have no owner or due date yet:\n" +
        "• *2.* Add an alert on queue depth (no due date)\n" +
        "• *3.* Add an alert on queue depth (no owner)\n" +
        "Give each an owner and a date so it gets done (`/incident assign <number> @owner due <date>`), or drop it (`/incident actions`).",
    ],
    [
      {
        kind: "action_items_incomplete",
        to: "UDANA",
        incidentNumber: 7,
        items: Array.from({ length: 12 }, (_, n) => ({
          ...ITEM,
          number: n + 1,
          ownerId: null,
          text: `${"Check the queue ".repeat(19)}${n}`,
        })),
      },
      "<@UDANA>, incident #7 was resolved a week ago and these action items have no owner or due date yet:\n" +
        Array.from({ length: 10 }, (_, n) => `• *${n + 1}.* ${"Check the queue ".repeat(18)}Check the… (no owner)`).join("\n") +
        "\n…and 2 more: `/incident followups` lists them all.\n" +
        "Give each an owner and a date so it gets done (`/incident assign <number> @owner due <date>`), or drop it (`/incident actions`).",
    ],
  ],
  report_section_edited: [
    [
      { kind: "report_section_edited", by: "UALICE", section: "Impact", version: 5, backToReview: false },
      "<@UALICE> edited the report's *Impact* section (version 5).",
    ],
    [
      { kind: "report_section_edited", by: "UALICE", section: "Impact", version: 5, backToReview: true },
      "<@UALICE> edited the report's *Impact* section (version 5); it needs approval again.",
    ],
  ],
  report_review_requested: [
    [
      { kind: "report_review_requested", by: "UALICE", techLeadId: "UDANA", incidentNumber: 7, version: 2, findings: 0 },
      "<@UDANA>, <@UALICE> asks you to review the report of incident #7 (version 2).",
    ],
    [
      { kind: "report_review_requested", by: "UALICE", techLeadId: "UDANA", incidentNumber: 7, version: 2, findings: 1 },
      "<@UDANA>, <@UALICE> asks you to review the report of incident #7 (version 2). The blameless check found 1 sentence to look at.",
    ],
    [
      { kind: "report_review_requested", by: "UALICE", techLeadId: "UDANA", incidentNumber: 7, version: 2, findings: 3 },
      "<@UDANA>, <@UALICE> asks you to review the report of incident #7 (version 2). The blameless check found 3 sentences to look at.",
    ],
  ],
  report_approved: [
    [{ kind: "report_approved", by: "UDANA", version: 2 }, "<@UDANA> approved the report (version 2). It can be published."],
  ],
  report_changes_requested: [
    [
      { kind: "report_changes_requested", by: "UDANA", liaisonId: "UCARL", comment: "Name the customers" },
      "<@UCARL>, <@UDANA> requested changes to the report: Name the customers",
    ],
    [
      { kind: "report_changes_requested", by: "UDANA", liaisonId: null, comment: "Name the customers" },
      "<@UDANA> requested changes to the report: Name the customers",
    ],
  ],
  report_published: [
    [
      { kind: "report_published", by: "UCARL", url: "https://github.com/acme/reports/blob/main/r.md" },
      "<@UCARL> published the report: https://github.com/acme/reports/blob/main/r.md",
    ],
  ],
  report_late: [
    [
      { kind: "report_late", to: "UCARL", incidentNumber: 7, hours: 72 },
      "<@UCARL>, the report of incident #7 is not published yet, 72 h after it was resolved. Run `/incident report` to finish it.",
    ],
  ],
  stakeholder_update: [
    [
      { kind: "stakeholder_update", by: "UCARL", text: "EU checkout failing.\nNext update 18:00." },
      ":mega: <@UCARL> posted an update for stakeholders:\n> EU checkout failing.\n> Next update 18:00.",
    ],
  ],
  stakeholder_update_elsewhere: [
    [
      {
        kind: "stakeholder_update_elsewhere",
        by: "UCARL",
        text: "EU checkout failing.",
        incident: { number: 7, title: "Checkout errors", severity: "sev1", status: "identified", channelId: "CINC7" },
      },
      ":mega: *Incident #7: Checkout errors* (SEV1 · identified) in <#CINC7>\n> EU checkout failing.\n— <@UCARL>",
    ],
  ],
  public_update_published: [
    [
      { kind: "public_update_published", by: "UCARL", title: "Checkout problems", status: "monitoring", text: "Payments are recovering." },
      ":globe_with_meridians: <@UCARL> published an update for customers, under “Checkout problems” (monitoring):\n> Payments are recovering.",
    ],
  ],
  public_title_set: [
    [
      { kind: "public_title_set", by: "UCARL", title: "Checkout problems", previous: null },
      "<@UCARL> set the public title (what customers see) to “Checkout problems”.",
    ],
    [
      { kind: "public_title_set", by: "UCARL", title: "Checkout problems", previous: "Slow checkout" },
      "<@UCARL> set the public title (what customers see) to “Checkout problems” (was “Slow checkout”).",
    ],
  ],
  invited_for_severity: [
    [
      { kind: "invited_for_severity", severity: "sev1", list: "public", invited: ["UBOB", "UCARL"], refused: [], unreadGroups: [] },
      ":busts_in_silhouette: Invited <@UBOB>, <@UCARL> for SEV1 (`INVITE_ON_DECLARE`).",
    ],
    [
      { kind: "invited_for_severity", severity: "sev1", list: "private", invited: ["UBOB"], refused: [], unreadGroups: ["S0SEC"] },
      ":busts_in_silhouette: Invited <@UBOB> for SEV1 (`INVITE_ON_DECLARE_PRIVATE`).\n" +
        "The bot could not read the members of the user group `S0SEC`: " +
        "check `INVITE_ON_DECLARE_PRIVATE` and the bot's `usergroups:read` scope.",
    ],
    [
      {
        kind: "invited_for_severity",
        severity: "sev2",
        list: "public",
        invited: [],
        refused: [{ userId: "UGONE", reason: "user_not_found" }],
        unreadGroups: ["S0SRE"],
      },
      "Slack would not invite <@UGONE> (not a user in this workspace).\n" +
        "The bot could not read the members of the user group `S0SRE`: check `INVITE_ON_DECLARE` and the bot's `usergroups:read` scope.",
    ],
    [
      {
        kind: "invited_for_severity",
        severity: "sev1",
        list: "public",
        invited: Array.from({ length: 42 }, (_, n) => `U${n}`),
        refused: [],
        unreadGroups: [],
      },
      `:busts_in_silhouette: Invited ${FORTY_MENTIONS} and 2 more for SEV1 (\`INVITE_ON_DECLARE\`).`,
    ],
  ],
  updates_overdue: [
    [
      { kind: "updates_overdue", to: "UCARL", incidentNumber: 7, severity: "sev1", minutes: 30, customers: true },
      "<@UCARL>, no update has been posted on incident #7 (SEV1) for 30 minutes. Tell stakeholders where things stand with " +
        "`/incident update <text>`, and customers with `/incident update public <text>`.",
    ],
    [
      { kind: "updates_overdue", to: "UCARL", incidentNumber: 7, severity: "sev1", minutes: 30, customers: false },
      "<@UCARL>, no update has been posted on incident #7 (SEV1) for 30 minutes. " +
        "Tell stakeholders where things stand with `/incident update <text>` (it stays in this channel: the incident is private).",
    ],
  ],
};

describe("the domain's problems in Slack's words", () => {
  it.each(Object.values(PROBLEMS).flat() as [Problem, string][])("%j", (problem, text) => {
    expect(problemText(problem, { timeZone: ZONE })).toBe(text);
  });

  it("names each privileged act in its refusal, under the act's rule (a new act fails here until it has its words)", () => {
    const alice = "(now <@UALICE> as incident commander)";
    const noLead = "There is no tech lead yet: assign one with `/incident role tech-lead @user`.";
    const speakers = `the communication liaison or the incident commander ${alice}`;
    const refusals: Record<PrivilegedAct, string> = {
      assign_roles: `Only the incident commander or an incident admin ${alice} can assign roles.`,
      resolve: `Only the incident commander or the tech lead ${alice} can resolve the incident.`,
      resolve_or_reopen: `Only the incident commander or the tech lead ${alice} can resolve or reopen the incident.`,
      approve_report: `Only the tech lead can approve the report. ${noLead}`,
      request_changes: `Only the tech lead can request changes. ${noLead}`,
      publish_report: `Only the communication liaison, the incident commander or the tech lead ${alice} can publish the report.`,
      post_updates: `Only ${speakers} can post updates for stakeholders and customers.`,
      publish_public_update: `Only ${speakers} can publish a public update.`,
      cancel_public_update: `Only ${speakers} can cancel a public update.`,
      set_public_title: `Only ${speakers} can set the incident's public title.`,
      invite_to_private: `Only the incident commander or the tech lead ${alice} can invite people into this private incident.`,
    };
    for (const [act, text] of Object.entries(refusals) as [PrivilegedAct, string][]) {
      const { roles, admins } = POLICY[ACTS[act]];
      const holders = roles.includes("commander") ? [{ role: "commander" as const, userId: "UALICE" }] : [];
      expect(problemText({ code: "not_allowed", act, roles, admins, holders }, { timeZone: ZONE })).toBe(`${text} Nothing was changed.`);
    }
  });

  it("says who may do what a permission guards, for help", () => {
    expect(whoMay("assign_roles")).toBe("the incident commander or an incident admin");
    expect(whoMay("publish")).toBe("the communication liaison, the incident commander or the tech lead");
    expect(whoMay("review")).toBe("the tech lead");
  });
});

describe("the domain's notices in Slack's words", () => {
  it.each(Object.values(NOTICES).flat() as [Notice, string][])("%j", (notice, text) => {
    expect(noticeText(notice, { timeZone: ZONE })).toBe(text);
  });
});
