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

export const CallbackIds = {
  editSectionModal: "report_edit_section_modal",
  requestChangesModal: "report_request_changes_modal",
} as const;

export const BlockIds = {
  section: "report_section",
  sectionText: "report_section_text",
  comment: "report_comment",
} as const;
