import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ready } from "./lib/i18n";
import { prefetchConversations } from "./lib/ipc";
import "./styles.css";

// The inbox's list is read while the window renders: the first rows wait
// for neither.
prefetchConversations();

const root = document.getElementById("root");
// Rendered once the system's language is loaded, so the first paint is in it.
if (root) {
  void ready.then(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
}
