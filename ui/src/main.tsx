import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { prepareListTimes } from "./lib/format/time";
import { ready } from "./lib/i18n";
import { prefetchConversations, prefetchSettled } from "./lib/ipc";
import { startupMark } from "./lib/startup";
import "./styles.css";

// Every module of the first script has run by now.
startupMark("script run");

// The inbox's list is read as the page starts, and the window's first
// render waits for it a moment: the first frame then shows the rows, where
// it would otherwise be drawn twice (empty, then with them).
prefetchConversations();
// The rows' time formatters are made while the list is read.
void ready.then(() => prepareListTimes());

/** How long the first render waits for the list at most (a slow disk). */
const FIRST_LIST_WAIT_MS = 200;

const root = document.getElementById("root");
// Rendered once the system's language is loaded, so the first paint is in it.
if (root) {
  void Promise.all([ready, prefetchSettled(FIRST_LIST_WAIT_MS)]).then(() => {
    startupMark("render asked");
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });
}
