// Messages picked with a shortcut, held while their modal is open.
import type { PickedMessage } from "../model.js";

/** Messages picked with a shortcut, held while the person fills in its modal (see PickedMessage). */
export interface PickedMessageStore {
  pickMessage(message: Omit<PickedMessage, "id">): Promise<PickedMessage>;
  findPickedMessage(id: string): Promise<PickedMessage | null>;
  /** Forgets messages picked before `before` (their modals are long closed). */
  forgetPickedMessages(before: Date): Promise<number>;
}
