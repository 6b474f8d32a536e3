import { describe, expect, it } from "vitest";
import type { Contact } from "../../bindings/Contact";
import { customerHandle, handleBeside } from "./handle";

const contact = (c: Partial<Contact>): Contact => ({ id: 1, phone: null, user_id: null, name: null, ...c });

describe("customerHandle", () => {
  it("is the number when there is one", () => {
    expect(customerHandle(contact({ phone: "+34612345678", username: "lucia", user_id: "ES.1" }))).toBe("+34612345678");
  });

  it("is @username for a customer who hides their number", () => {
    expect(customerHandle(contact({ user_id: "US.1", username: "jamie.rivers" }))).toBe("@jamie.rivers");
    expect(customerHandle(contact({ user_id: "US.1", username: "@jamie" }))).toBe("@jamie");
  });

  it("is nothing for a bare user id", () => {
    expect(customerHandle(contact({ user_id: "US.1" }))).toBeNull();
    expect(customerHandle(contact({ user_id: "US.1", username: "  " }))).toBeNull();
  });
});

describe("handleBeside", () => {
  it("adds the username beside a profile name, not a second copy of it", () => {
    const c = contact({ user_id: "US.1", username: "maria.g", name: "María" });
    expect(handleBeside(c, "María")).toBe("@maria.g");
    expect(handleBeside(contact({ user_id: "US.1", username: "maria.g" }), "@maria.g")).toBeNull();
  });
});
