// Attaching a file: the bytes go to the Rust side, which answers staged or
// refused; a refusal is worded in the window's language and offers no Send;
// a large file is refused without being read.
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttachmentCheck } from "../bindings/AttachmentCheck";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockIPC } from "../lib/ipc/testing";
import type { HeaderUpload } from "../bindings/HeaderUpload";
import { AttachButton, AttachmentPreview, HeaderFile, useAttachment } from "./Attachment";

let answer: AttachmentCheck;
let staged: number[][] = [];
let header: HeaderUpload;
let headerCalls: number[][] = [];
let discarded: string[] = [];

beforeEach(() => {
  staged = [];
  discarded = [];
  headerCalls = [];
  URL.createObjectURL = () => "blob:thumb";
  URL.revokeObjectURL = () => undefined;
  // The mock drops invoke's headers: the header's kind is checked by the
  // core's tests against the simulator.
  mockIPC((cmd, args) => {
    if (cmd === "upload_header_media") {
      headerCalls.push([...(args as unknown as Uint8Array)]);
      return header;
    }
    if (cmd === "discard_attachment") {
      discarded.push((args as { token: string }).token);
      return null;
    }
    if (cmd === "stage_attachment") {
      staged.push([...(args as unknown as Uint8Array)]);
      return answer;
    }
    return undefined;
  });
});

afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

function Harness({ onSend }: { onSend: (token: string, caption: string) => void }) {
  const { attaching, attach, clear } = useAttachment();
  const [caption, setCaption] = useState("");
  return (
    <div>
      <AttachButton disabled={false} onFile={(f) => void attach(f)} />
      {attaching && (
        <AttachmentPreview
          attaching={attaching}
          caption={caption}
          onCaption={setCaption}
          sending={false}
          onSend={() => attaching.phase === "ready" && onSend(attaching.staged.token, caption)}
          onCancel={clear}
        />
      )}
    </div>
  );
}

function pick(file: File) {
  const input = screen.getByTestId("composer-attach") as HTMLInputElement;
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("attaching a file", () => {
  it("previews a staged photo and sends it with its caption", async () => {
    answer = {
      outcome: "staged",
      attachment: { token: "ab".repeat(32), kind: "image", mime_type: "image/png", size: 8, animated: false },
    };
    const sent: [string, string][] = [];
    render(<Harness onSend={(token, caption) => sent.push([token, caption])} />);
    pick(new File([PNG], "lid.png", { type: "image/png" }));
    const caption = await screen.findByTestId("attachment-caption");
    expect(staged).toEqual([[...PNG]]);
    expect(screen.getByTestId("attachment-name").textContent).toBe("lid.png");
    expect(screen.getByTestId("attachment-preview").textContent).toContain("photo");
    fireEvent.change(caption, { target: { value: "<b>The lid</b>" } });
    fireEvent.click(screen.getByTestId("attachment-send"));
    expect(sent).toEqual([["ab".repeat(32), "<b>The lid</b>"]]);
    expect(screen.queryByTestId("attachment-error")).toBeNull();
  });

  it("drops the staged copy of a file the agent cancels", async () => {
    answer = {
      outcome: "staged",
      attachment: { token: "cd".repeat(32), kind: "document", mime_type: "application/pdf", size: 8, animated: false },
    };
    render(<Harness onSend={() => undefined} />);
    pick(new File([PNG], "manual.pdf"));
    await screen.findByTestId("attachment-caption");
    expect(discarded).toEqual([]);
    fireEvent.click(screen.getByTestId("attachment-cancel"));
    await waitFor(() => expect(discarded).toContain("cd".repeat(32)));
    expect(screen.queryByTestId("attachment-preview")).toBeNull();
  });

  it("words a refusal in the window's language and offers no Send", async () => {
    await setLanguage("es");
    answer = { outcome: "refused", refusal: { reason: "too_large", kind: "image", limit: 5 * 1024 * 1024, size: 6 * 1024 * 1024 } };
    render(<Harness onSend={() => undefined} />);
    pick(new File([PNG], "big.png"));
    const error = await screen.findByTestId("attachment-error");
    expect(error.textContent).toMatch(/foto.*6 MB.*5 MB/);
    expect(screen.queryByTestId("attachment-caption")).toBeNull();
    expect((screen.getByTestId("attachment-send") as HTMLButtonElement).disabled).toBe(true);
    await setLanguage("ru");
    answer = { outcome: "refused", refusal: { reason: "format", kind: "sticker", mime_type: "image/gif" } };
    pick(new File([PNG], "x.webp"));
    await waitFor(() => expect(screen.getByTestId("attachment-error").textContent).toContain("image/gif"));
  });

  it("refuses a file over 100 MB without reading it", async () => {
    render(<Harness onSend={() => undefined} />);
    const file = new File([PNG], "movie.bin");
    Object.defineProperty(file, "size", { value: 101 * 1024 * 1024 });
    await act(async () => pick(file));
    expect(screen.getByTestId("attachment-error").textContent).toContain("100 MB");
    expect(staged).toEqual([]);
  });
});

describe("a template's media header from a file", () => {
  it("uploads the file for its header and hands over the media id", async () => {
    header = { outcome: "uploaded", media_id: "778899" };
    const ids: string[] = [];
    render(<HeaderFile kind="image" onUploaded={(id) => ids.push(id)} />);
    const input = screen.getByTestId("template-header-file") as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [new File([PNG], "banner.png")], configurable: true });
    fireEvent.change(input);
    await screen.findByTestId("template-header-uploaded");
    expect(ids).toEqual(["778899"]);
    expect(headerCalls).toEqual([[...PNG]]);
  });

  it("shows why a file does not fit the header", async () => {
    header = { outcome: "refused", refusal: { reason: "format", kind: "image", mime_type: "application/pdf" } };
    const ids: string[] = [];
    render(<HeaderFile kind="image" onUploaded={(id) => ids.push(id)} />);
    const input = screen.getByTestId("template-header-file") as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [new File(["%PDF"], "menu.pdf")], configurable: true });
    fireEvent.change(input);
    const error = await screen.findByTestId("attachment-error");
    expect(error.textContent).toContain("application/pdf");
    expect(ids).toEqual([]);
  });
});
