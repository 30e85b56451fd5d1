// SPDX-License-Identifier: AGPL-3.0-or-later
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "@/app/app";
import { loadUrdu, storedLang } from "@/lib/i18n";
import "./index.css";

const render = () =>
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
// An Urdu reader's words come first (their own chunk); should that fail, English.
if (storedLang() === "ur") loadUrdu().finally(render);
else render();

// Installable and usable offline: the service worker keeps the app shell.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  });
}
