// Media bubbles: what each outcome of a fetch shows, in the window's
// language, with the caption kept whatever happened to the file.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MediaInfo } from "../bindings/MediaInfo";
import type { MediaStatus } from "../bindings/MediaStatus";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockConvertFileSrc, mockIPC } from "../lib/ipc/testing";
import { formatDuration, MediaContent, suggestedName, typeWord } from "./MediaContent";

const HASH = "ab".repeat(32);

function media(extra: Partial<MediaInfo> = {}): MediaInfo {
  return {
    kind: "image",
    id: "1234",
    mime_type: "image/png",
    sha256: null,
    caption: "The broken hinge",
    filename: null,
    voice: false,
    animated: false,
    local_path: null,
    ...extra,
  };
}

let answers: MediaStatus[] = [];
// What the save dialog answers, in turn: a path, null for Cancel, or a problem.
let saveAsAnswers: (string | null | { code: string; message: string; params: Record<string, string> })[] = [];
let calls: { cmd: string; args: Record<string, unknown> | undefined }[] = [];

beforeEach(() => {
  calls = [];
  // Audio and video are read from the cache's scheme into a blob.
  vi.stubGlobal("fetch", async () => ({ ok: true, status: 200, blob: async () => new Blob(["OggS"]) }));
  URL.createObjectURL = () => "blob:voice";
  URL.revokeObjectURL = () => undefined;
  mockConvertFileSrc("linux");
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> | undefined });
    if (cmd === "fetch_media") return answers.shift();
    if (cmd === "save_media") return "/home/ana/Downloads/invoice.pdf";
    if (cmd === "save_media_as") {
      const answer = saveAsAnswers.shift();
      if (typeof answer === "object" && answer !== null) throw answer;
      return answer;
    }
    if (cmd === "open_media") throw { code: "media_open_failed", message: "No app on this computer opened the file" };
    return undefined;
  });
});

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  clearMocks();
  await setLanguage("en");
});

async function show(info: MediaInfo) {
  render(<MediaContent messageId={7} media={info} />);
  await act(async () => {
    await Promise.resolve();
  });
}

describe("a media bubble", () => {
  it("shows a fetched photo from the cache's scheme, by hash", async () => {
    answers = [{ state: "available", hash: HASH, mime_type: "image/png", size: 120 }];
    await show(media());
    const img = screen.getByTestId("message-image") as HTMLImageElement;
    expect(img.tagName).toBe("IMG");
    expect(img.getAttribute("src")).toBe(`hgmedia://localhost/${HASH}`);
    expect(screen.getByText("The broken hinge")).toBeTruthy();
    expect(calls[0]).toEqual({ cmd: "fetch_media", args: { messageId: 7 } });
    fireEvent.click(img);
    expect(screen.getByTestId("media-viewer")).toBeTruthy();
    fireEvent.click(screen.getByTestId("media-zoom-in"));
    expect(screen.getByTestId("media-zoom").textContent).toBe("150%");
  });

  it("saves the photo in the viewer where the save dialog says", async () => {
    answers = [{ state: "available", hash: HASH, mime_type: "image/png", size: 120 }];
    saveAsAnswers = ["/home/ana/Pictures/hinge.png"];
    await show(media());
    fireEvent.click(screen.getByTestId("message-image"));
    const viewer = screen.getByTestId("media-viewer");
    const saveAs = within(viewer).getByTestId("media-save-as");
    expect(saveAs.textContent).toBe("Save as…");
    await act(async () => {
      fireEvent.click(saveAs);
      await Promise.resolve();
    });
    expect(calls.at(-1)).toEqual({ cmd: "save_media_as", args: { hash: HASH, filename: suggestedName(media(), "image/png") } });
    await waitFor(() => expect(within(viewer).getByTestId("media-saved").textContent).toBe("Saved to /home/ana/Pictures/hinge.png"));
  });

  it("saves a document as the dialog says, says nothing on Cancel, and words a problem, in every language", async () => {
    answers = [{ state: "available", hash: HASH, mime_type: "application/pdf", size: 2048 }];
    saveAsAnswers = [
      null,
      "/home/ana/Documents/invoice.pdf",
      { code: "save_failed", message: "Could not write", params: { detail: "Permission denied" } },
    ];
    await setLanguage("es");
    await show(media({ kind: "document", filename: "invoice.pdf", caption: null, mime_type: "application/pdf" }));
    const saveAs = screen.getByTestId("media-save-as");
    expect(saveAs.textContent).toBe("Guardar como…");
    const click = async () => {
      await act(async () => {
        fireEvent.click(saveAs);
        await Promise.resolve();
      });
    };
    // Cancel: the command was asked, with the hash and the file's name only, and nothing is said.
    await click();
    expect(calls.at(-1)).toEqual({ cmd: "save_media_as", args: { hash: HASH, filename: "invoice.pdf" } });
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.queryByTestId("media-saved")).toBeNull();
    await click();
    await waitFor(() => expect(screen.getByTestId("media-saved").textContent).toBe("Guardado en /home/ana/Documents/invoice.pdf"));
    expect(screen.getByTestId("media-saved").className).toBe("muted");
    await click();
    await waitFor(() => expect(screen.getByTestId("media-saved").textContent).toBe("No se pudo guardar el archivo (Permission denied)."));
    expect(screen.getByTestId("media-saved").className).toBe("message-failure");
    await act(async () => {
      await setLanguage("ru");
    });
    expect(saveAs.textContent).toBe("Сохранить как…");
  });

  it("says an expired file is gone and keeps the caption, in every language", async () => {
    answers = [{ state: "unavailable" }];
    await show(media());
    expect(screen.getByTestId("media-unavailable").textContent).toBe("This photo is no longer available on WhatsApp.");
    expect(screen.getByText("The broken hinge")).toBeTruthy();
    await act(() => setLanguage("ru"));
    expect(screen.getByTestId("media-unavailable").textContent).toContain("больше недоступен");
    await act(() => setLanguage("es"));
    expect(screen.getByTestId("media-unavailable").textContent).toContain("ya no está disponible");
  });

  it("offers Retry after a failed download, which fetches again", async () => {
    answers = [
      { state: "failed", code: "graph_http", params: { host: "lookaside.example", status: "500" }, message: "HTTP 500", retryable: true },
      { state: "available", hash: HASH, mime_type: "image/png", size: 120 },
    ];
    await show(media());
    expect(screen.queryByTestId("message-image")).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId("media-retry"));
      await Promise.resolve();
    });
    expect(screen.getByTestId("message-image")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "fetch_media")).toHaveLength(2);
  });

  it("does not offer Retry when trying again cannot help", async () => {
    answers = [
      {
        state: "failed",
        code: "graph_media_too_large",
        params: { media_id: "m1", limit_mb: "5.0" },
        message: "too large",
        retryable: false,
      },
    ];
    await show(media());
    expect(screen.queryByTestId("media-retry")).toBeNull();
    // Worded by the window from the code, with the limit filled in.
    expect(screen.getByText(/larger than WhatsApp allows for its kind \(5\.0 MB\)/)).toBeTruthy();
    await act(() => setLanguage("ru"));
    expect(screen.getByText(/\(5\.0 МБ\)/)).toBeTruthy();
  });

  it("plays a voice note with a speed control", async () => {
    answers = [{ state: "available", hash: HASH, mime_type: "audio/ogg; codecs=opus", size: 400 }];
    await show(media({ kind: "audio", voice: true, caption: null, mime_type: "audio/ogg; codecs=opus" }));
    const audio = screen.getByTestId("message-audio");
    await waitFor(() => expect(audio.querySelector("audio")?.getAttribute("src")).toBe("blob:voice"));
    const speed = screen.getByTestId("media-speed");
    expect(speed.textContent).toBe("1×");
    fireEvent.click(speed);
    expect(speed.textContent).toBe("1.5×");
  });

  it("shows a document's name, type and size, and saves a copy", async () => {
    answers = [{ state: "available", hash: HASH, mime_type: "application/pdf", size: 2048 }];
    await show(media({ kind: "document", filename: "invoice.pdf", caption: null, mime_type: "application/pdf" }));
    const doc = screen.getByTestId("message-document");
    expect(doc.textContent).toContain("invoice.pdf");
    expect(doc.textContent).toContain("PDF");
    expect(doc.textContent).toContain("2 kB");
    await act(async () => {
      fireEvent.click(screen.getByTestId("media-save"));
      await Promise.resolve();
    });
    expect(calls.at(-1)).toEqual({ cmd: "save_media", args: { hash: HASH, filename: "invoice.pdf" } });
    expect(screen.getByTestId("media-saved").textContent).toBe("Saved to /home/ana/Downloads/invoice.pdf");
    // Open asks for the file by its hash and name, never a path, and says so when no app took it.
    await act(async () => {
      fireEvent.click(screen.getByTestId("media-open"));
      await Promise.resolve();
    });
    expect(calls.at(-1)).toEqual({ cmd: "open_media", args: { hash: HASH, filename: "invoice.pdf" } });
    await waitFor(() => expect(screen.getByTestId("media-open-failed").textContent).toContain("No app"));
  });
});

describe("media helpers", () => {
  it("name files, word types and durations", () => {
    expect(suggestedName(media({ filename: " manual.pdf " }), "application/pdf")).toBe("manual.pdf");
    expect(suggestedName(media({ kind: "video" }), "video/mp4")).toBe("video.mp4");
    expect(typeWord("audio/ogg; codecs=opus")).toBe("OGG");
    expect(typeWord("application/vnd.ms-excel")).toBe("VND.MS-EXCEL");
    expect(formatDuration(7.4)).toBe("0:07");
    expect(formatDuration(3723)).toBe("1:02:03");
  });
});
