import { describe, expect, it } from "vitest";
import { csvField, csvFile, toCsv } from ".";

describe("csvField", () => {
  it("leaves plain text and numbers as they are", () => {
    expect(csvField("ana")).toBe("ana");
    expect(csvField(42)).toBe("42");
    expect(csvField(0.0308)).toBe("0.0308");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
    expect(csvField(true)).toBe("true");
  });

  it("quotes commas, quotes, line breaks and edge spaces, doubling quotes", () => {
    expect(csvField("Smith, Jane")).toBe('"Smith, Jane"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
    expect(csvField(" padded")).toBe('" padded"');
    expect(csvField("padded ")).toBe('"padded "');
  });

  it("keeps text that looks like a formula from running in a spreadsheet", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+34 612")).toBe("'+34 612");
    expect(csvField("-not a number")).toBe("'-not a number");
    expect(csvField("@cmd")).toBe("'@cmd");
  });

  it("keeps any language's text", () => {
    expect(csvField("Лукас, привет")).toBe('"Лукас, привет"');
    expect(csvField("Lucía")).toBe("Lucía");
  });
});

describe("toCsv", () => {
  it("writes a header and rows, each ended by CRLF", () => {
    expect(
      toCsv(
        ["day", "opened"],
        [
          ["2026-03-02", 2],
          ["2026-03-03", 4],
        ],
      ),
    ).toBe("day,opened\r\n2026-03-02,2\r\n2026-03-03,4\r\n");
    expect(toCsv(["a"], [])).toBe("a\r\n");
  });

  it("adds a byte-order mark to the saved file", () => {
    expect(csvFile(["a"], [[1]])).toBe("\uFEFFa\r\n1\r\n");
  });
});
