// Slack's published Block Kit limits, in one place. Where each applies is known to one walker
// (./limitWalker.ts); ./limitCheck.ts uses it to say what Slack would refuse (`messageBlockErrors`,
// `viewErrors`) and to cut what still breaks a limit before it is sent (`fitToLimits`).
//
// Sources (Slack's reference, docs.slack.dev):
//   blocks per message and modal .. https://docs.slack.dev/reference/block-kit/blocks
//   section ....................... https://docs.slack.dev/reference/block-kit/blocks/section-block
//   header ........................ https://docs.slack.dev/reference/block-kit/blocks/header-block
//   context ....................... https://docs.slack.dev/reference/block-kit/blocks/context-block
//   actions ....................... https://docs.slack.dev/reference/block-kit/blocks/actions-block
//   input ......................... https://docs.slack.dev/reference/block-kit/blocks/input-block
//   markdown ...................... https://docs.slack.dev/reference/block-kit/blocks/markdown-block
//   image ......................... https://docs.slack.dev/reference/block-kit/blocks/image-block
//   text object ................... https://docs.slack.dev/reference/block-kit/composition-objects/text-object
//   option, option group .......... https://docs.slack.dev/reference/block-kit/composition-objects/option-object
//   confirmation dialog ........... https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object
//   button ........................ https://docs.slack.dev/reference/block-kit/block-elements/button-element
//   overflow menu ................. https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element
//   select menus .................. https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element
//   checkboxes, radio buttons ..... https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element
//   plain-text input .............. https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element
//   modal view .................... https://docs.slack.dev/reference/views/modal-views
//   chat.postMessage text ......... https://docs.slack.dev/reference/methods/chat.postMessage ("Truncating really long
//                                   messages": more than 40,000 characters; the method's errors include msg_too_long)
// Slack's error lines name the value by JSON pointer ("must be less than 3001 characters
// [json-pointer:/blocks/0/text/text]"); these do the same, so a test failure reads like Slack's.

// Slack's published Block Kit limits, in one place, and the one walker that knows where each applies.
// Two things use the walker: `messageBlockErrors` and `viewErrors` say what Slack would refuse, in
// Slack's own words (the tests' fake Slack answers with them), and `fitToLimits` is the bot's last
// line of defence, which cuts whatever still breaks a limit before it is sent (src/slack/text.ts
// applies it to every message, modal and response_url answer). Builders do not rely on that last line: they fit their content on
// purpose, with a pointer to where the whole text is (src/slack/fit.ts), and a generic cut is logged
// as a bug (tests fail on it: test/support/testBot.ts).
//
// Sources (Slack's reference, docs.slack.dev):
//   blocks per message and modal .. https://docs.slack.dev/reference/block-kit/blocks
//   section ....................... https://docs.slack.dev/reference/block-kit/blocks/section-block
//   header ........................ https://docs.slack.dev/reference/block-kit/blocks/header-block
//   context ....................... https://docs.slack.dev/reference/block-kit/blocks/context-block
//   actions ....................... https://docs.slack.dev/reference/block-kit/blocks/actions-block
//   input ......................... https://docs.slack.dev/reference/block-kit/blocks/input-block
//   markdown ...................... https://docs.slack.dev/reference/block-kit/blocks/markdown-block
//   image ......................... https://docs.slack.dev/reference/block-kit/blocks/image-block
//   text object ................... https://docs.slack.dev/reference/block-kit/composition-objects/text-object
//   option, option group .......... https://docs.slack.dev/reference/block-kit/composition-objects/option-object
//   confirmation dialog ........... https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object
//   button ........................ https://docs.slack.dev/reference/block-kit/block-elements/button-element
//   overflow menu ................. https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element
//   select menus .................. https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element
//   checkboxes, radio buttons ..... https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element
//   plain-text input .............. https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element
//   modal view .................... https://docs.slack.dev/reference/views/modal-views
//   chat.postMessage text ......... https://docs.slack.dev/reference/methods/chat.postMessage ("Truncating really long
//                                   messages": more than 40,000 characters; the method's errors include msg_too_long)
// Slack's error lines name the value by JSON pointer ("must be less than 3001 characters
// [json-pointer:/blocks/0/text/text]"); these do the same, so a test failure reads like Slack's.

export const LIMITS = {
  /** Blocks in one message (chat.postMessage, chat.update, chat.postEphemeral, response_url). */
  messageBlocks: 50,
  /** Blocks in a modal (views.open, views.update, views.push). */
  modalBlocks: 100,
  /** A message's top-level `text`. */
  messageText: 40_000,
  /** Any text object (mrkdwn or plain_text), unless its field says less. */
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  /** The markdown block's text (messages only). */
  markdownText: 12_000,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionUrl: 3000,
  overflowOptionsMin: 2,
  overflowOptionsMax: 5,
  selectOptions: 100,
  selectOptionGroups: 100,
  optionGroupLabel: 75,
  checkboxOptions: 10,
  radioOptions: 10,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  /** plain_text_input's max_length and min_length are at most this; so is what one input holds. */
  textInput: 3000,
  imageAltText: 2000,
  imageUrl: 3000,
  imageTitle: 2000,
} as const;

/** Where a payload is shown: the block count and the block types allowed differ. */
export type Surface = "message" | "modal";
