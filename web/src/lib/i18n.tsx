// SPDX-License-Identifier: AGPL-3.0-or-later
// English and Urdu. Every user-facing string is a key here; Urdu switches the layout to
// right-to-left. The choice is remembered on the device.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { en, type Messages } from "./messages-en";

export type Lang = "en" | "ur";
export type MessageKey = keyof Messages;

// Urdu is its own chunk: English readers do not download or parse it. main.tsx waits for
// it before the first render when the device chose Urdu, so no English flashes.
let ur: Messages | null = null;
export async function loadUrdu(): Promise<void> {
  ur ??= (await import("./messages-ur")).ur;
}
export function storedLang(): Lang {
  return localStorage.getItem("lang") === "ur" ? "ur" : "en";
}

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  formatDate(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

/** Fills {name} placeholders, and {name|one|other} with the word for that count in
 *  `lang` ("1 report", "2 reports"). Exported for tests. */
export function fill(text: string, params: Record<string, string | number> = {}, lang: Lang = "en"): string {
  const plural = new Intl.PluralRules(lang === "ur" ? "ur-PK" : "en-GB");
  return text
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (_, k: string, one: string, other: string) =>
      k in params && plural.select(Number(params[k])) === "one" ? one : other,
    )
    .replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (storedLang() === "ur" && ur ? "ur" : "en"));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ur" ? "rtl" : "ltr";
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem("lang", l);
    // Switched to Urdu: the page changes once its words are here.
    (l === "ur" ? loadUrdu() : Promise.resolve()).then(
      () => setLangState(l),
      () => setLangState(l === "ur" && ur ? "ur" : "en"),
    );
  }, []);
  const t = useCallback(
    (key: MessageKey, params?: Record<string, string | number>) =>
      fill((lang === "ur" && ur ? ur : en)[key] ?? en[key], params, lang),
    [lang],
  );
  const formatDate = useCallback(
    (iso: string) =>
      new Intl.DateTimeFormat(lang === "ur" ? "ur-PK" : "en-GB", { dateStyle: "medium", timeStyle: "short" }).format(
        new Date(iso),
      ),
    [lang],
  );
  return <I18nContext.Provider value={{ lang, setLang, t, formatDate }}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside LanguageProvider");
  return ctx;
}
