// Every action id, callback id and block id the bot uses, in one place.
export const ActionIds = {
  markActionDone: "action_item_done",
  retryActionItemIssue: "action_item_retry_issue",
  editReportSection: "report_edit_section",
  requestReview: "report_request_review",
  approveReport: "report_approve",
  requestChanges: "report_request_changes",
  publishReport: "report_publish",
  publishUpdate: "update_publish",
  cancelUpdate: "update_cancel",
  /** On an incident's announcement and its declaration: invites the presser into the channel. */
  joinIncident: "incident_join",
} as const;

/** Shortcuts' callback ids, as manifest.json declares them. */
export const ShortcutIds = {
  /** Message shortcut: a message from any channel into an open incident's timeline. */
  addToTimeline: "add_to_incident_timeline",
  /** Message shortcut: declare an incident whose detection is that message. */
  declareFromMessage: "declare_incident_from_message",
  /** Global shortcut: declare an incident from anywhere. */
  declare: "declare_incident",
} as const;

export const CallbackIds = {
  editSectionModal: "report_edit_section_modal",
  requestChangesModal: "report_request_changes_modal",
  addToTimelineModal: "add_to_timeline_modal",
  declareModal: "declare_incident_modal",
} as const;

export const BlockIds = {
  section: "report_section",
  sectionText: "report_section_text",
  comment: "report_comment",
  /** Modals of the shortcuts (each input's action id is its block id). */
  timelineIncident: "timeline_incident",
  declareTitle: "declare_title",
  declareSeverity: "declare_severity",
  declareSummary: "declare_summary",
  declareDetectedAt: "declare_detected_at",
  /** The Declare modal's Private checkbox (issue 24). */
  declarePrivate: "declare_private",
} as const;
