import { describe, expect, it, vi } from "vitest";
import { type InboxKeys, runInboxAction } from "./inbox";

function keys(parts: Partial<InboxKeys> = {}): InboxKeys {
  return {
    ids: [1, 2, 3],
    active: null,
    selected: null,
    setActive: vi.fn(),
    open: vi.fn(),
    list: { current: null },
    search: { current: null },
    chat: { current: null },
    inInbox: true,
    showInbox: vi.fn(),
    filter: vi.fn(),
    newConversation: vi.fn(),
    help: vi.fn(),
    ...parts,
  };
}

describe("runInboxAction", () => {
  it("moves the cursor through the list, focusing it first", () => {
    const list = document.createElement("ul");
    list.tabIndex = -1;
    document.body.append(list);
    const k = keys({ active: 1, list: { current: list } });
    expect(runInboxAction("next", k)).toBe(true);
    expect(k.setActive).toHaveBeenCalledWith(2);
    expect(document.activeElement).toBe(list);
    list.remove();
  });

  it("opens the row under the cursor only when the list shows it", () => {
    const k = keys({ active: 2 });
    expect(runInboxAction("open", k)).toBe(true);
    expect(k.open).toHaveBeenCalledWith(2);
    expect(runInboxAction("open", keys({ active: 9 }))).toBe(false);
  });

  it("changes a chat's status only on the inbox, and Escape leaves other screens for it", () => {
    const status = vi.fn(() => true);
    const chat = { current: { status, focusComposer: () => true, openTemplates: () => true, composer: () => null } };
    expect(runInboxAction("resolve", keys({ chat, inInbox: false }))).toBe(false);
    expect(runInboxAction("resolve", keys({ chat }))).toBe(true);
    expect(status).toHaveBeenCalledWith("resolve");
    expect(runInboxAction("close", keys())).toBe(false);
    const away = keys({ inInbox: false });
    expect(runInboxAction("close", away)).toBe(true);
    expect(away.showInbox).toHaveBeenCalled();
  });

  it("switches filters, and starts a conversation only where the session sends", () => {
    const k = keys();
    runInboxAction("filterClosing", k);
    expect(k.filter).toHaveBeenCalledWith("closing");
    expect(runInboxAction("newConversation", keys({ newConversation: null }))).toBe(false);
    expect(runInboxAction("newConversation", k)).toBe(true);
    expect(k.newConversation).toHaveBeenCalled();
  });
});
