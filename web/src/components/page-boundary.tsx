// SPDX-License-Identifier: AGPL-3.0-or-later
// Each page inside its own error boundary: a page that throws while rendering (or whose
// code chunk cannot be loaded after a deploy) says so and offers a reload, and the
// header, the other pages and the rest of the app keep working.
import { Component, type ErrorInfo, type ReactNode } from "react";
import { useLocation } from "react-router-dom";
import { useI18n } from "@/lib/i18n";

function PageFailed() {
  const { t } = useI18n();
  return (
    <div role="alert" className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-bold">{t("pageFailed")}</h1>
      <p className="mt-2">{t("pageFailedText")}</p>
      <button className="mt-4 min-h-11 rounded-md bg-green-700 px-4 py-2 text-white" onClick={() => window.location.reload()}>
        {t("reloadPage")}
      </button>
    </div>
  );
}

class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("page failed", error, info.componentStack);
  }

  render() {
    return this.state.failed ? <PageFailed /> : this.props.children;
  }
}

/** One boundary per address: leaving a failed page for another starts afresh (React would
 *  otherwise keep the same boundary, still failed, for the next route's element). */
export function PageBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <Boundary key={pathname}>{children}</Boundary>;
}
