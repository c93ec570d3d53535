import { describe, expect, it } from "vitest";
import { textInput } from "./common";
import { InviteMemberFormSchema, NewOrganizationFormSchema } from "./directory-forms";

const HOSTILE = ["\u0000", "a\u0000b", "\ud800", "x\udfffy", "\udc00\ud800", "😀\ud83d"];
const FINE = ["Ada", "Grâce Hopper", "東京", "😀 team", "a\u200db", "\u00a0x"];

describe("textInput: text the database can store, the one rule for every text a request gives", () => {
  it.each(HOSTILE)("refuses %j with a message that says why", (text) => {
    const result = textInput().safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/NUL characters or broken Unicode/);
  });

  it.each(FINE)("takes %j as it is", (text) => {
    expect(textInput().parse(text)).toBe(text);
  });

  it("the dashboard's forms refuse it on the field, before any call", () => {
    const invite = InviteMemberFormSchema.safeParse({
      name: "Grace\u0000",
      email: "grace\ud800@example.com",
      accountRole: "member",
      inviteWith: "invite_link",
    });
    expect(invite.error?.issues.map((i) => i.path.join("."))).toEqual(["name", "email"]);
    const org = NewOrganizationFormSchema.safeParse({ name: "Research", description: "a\u0000b" });
    expect(org.error?.issues.map((i) => i.path.join("."))).toEqual(["description"]);
  });
});
