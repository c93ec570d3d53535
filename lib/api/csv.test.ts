import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv";

describe("csvCell", () => {
  it("leaves plain text as it is", () => {
    expect(csvCell("Ada Admin")).toBe("Ada Admin");
    expect(csvCell("203.0.113.7")).toBe("203.0.113.7");
    expect(csvCell(null)).toBe("");
  });

  it("quotes cells with commas, quotes or line breaks, doubling the quotes", () => {
    expect(csvCell("a, b")).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("one\ntwo")).toBe('"one\ntwo"');
    expect(csvCell("one\r\ntwo")).toBe('"one\r\ntwo"');
  });

  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])(
    "makes %j text, not a formula, with a leading apostrophe",
    (value) => {
      expect(csvCell(value)).toBe(`"'${value}"`);
    },
  );

  it("guards and quotes a formula with quotes and commas in it", () => {
    expect(csvCell('=HYPERLINK("https://evil.example","a, b")')).toBe(
      '"\'=HYPERLINK(""https://evil.example"",""a, b"")"',
    );
  });
});

describe("csvRow", () => {
  it("joins cells with commas and ends the record with CRLF", () => {
    expect(csvRow(["a", "b,c", undefined])).toBe('a,"b,c",\r\n');
  });
});
