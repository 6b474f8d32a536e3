import { useState } from "react";

// Sending goes through the outbox once a WhatsApp number is connected; until
// then the composer says so instead of pretending to send.
export function Composer() {
  const [text, setText] = useState("");
  const connected = false;
  return (
    <form className="composer" onSubmit={(e) => e.preventDefault()}>
      <textarea
        data-testid="composer-input"
        className="composer-input"
        placeholder={connected ? "Write a message" : "Connect a WhatsApp number to reply"}
        value={text}
        rows={1}
        disabled={!connected}
        onChange={(e) => setText(e.target.value)}
        aria-label="Message"
      />
      <button
        type="submit"
        data-testid="composer-send"
        className="composer-send"
        disabled={!connected || text.trim() === ""}
        title={connected ? "Send (Enter)" : "No WhatsApp number is connected yet"}
      >
        Send
      </button>
    </form>
  );
}
