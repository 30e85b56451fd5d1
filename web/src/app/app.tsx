// SPDX-License-Identifier: AGPL-3.0-or-later
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter, Link, NavLink, Route, Routes, useNavigate } from "react-router-dom";
import { PageBoundary } from "@/components/page-boundary";
import { api, mayHaveSession } from "@/lib/api-client";
import { AuthProvider, useAuth } from "@/lib/auth";
import { LanguageProvider, useI18n } from "@/lib/i18n";
import type { Role } from "@/lib/types";
import { HomePage } from "@/pages/home-page";
import { LoginPage } from "@/features/auth/login-page";
import { InboxLink } from "@/features/notifications/inbox-link";

// Each dashboard is its own chunk: a citizen never downloads the admin's code.
const loadCitizen = () => import("@/pages/citizen-dashboard");
const loadAdmin = () => import("@/pages/admin/admin-dashboard");
const loadDriver = () => import("@/features/driver/driver-page");
const CitizenDashboard = lazy(loadCitizen);
const AdminDashboard = lazy(loadAdmin);
const PapersPage = lazy(() => import("@/features/papers/papers-page"));
const DriverPage = lazy(loadDriver);

// A returning user's page starts loading with the app, beside the session check, instead
// of after it: one round trip less before a phone paints its dashboard. The role is only
// a hint remembered on this device (the server decides what they may see).
const ROLE_HINT = "cleanai.role";
const pageLoaders: Record<string, () => Promise<unknown>> = {
  citizen: loadCitizen,
  admin: loadAdmin,
  driver: loadDriver,
};
if (mayHaveSession()) pageLoaders[localStorage.getItem(ROLE_HINT) ?? ""]?.().catch(() => {});
const SettingsPage = lazy(() => import("@/pages/settings-page"));
const PublicMapPage = lazy(() => import("@/features/public/public-map"));
const UnsubscribePage = lazy(() => import("@/features/public/unsubscribe-page"));
const InboxPage = lazy(() => import("@/features/notifications/inbox-page"));
const ReportPage = lazy(() => import("@/pages/report-page"));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 5_000 } } });

// Phones get a bottom tab bar (the layout people know from their other apps) and a one-line
// header; wider screens keep every link in the header. Only one of the two is mounted, so
// the inbox's live count is followed once.
function useIsPhone(): boolean {
  const query = "(max-width: 639px)";
  const [phone, setPhone] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setPhone(m.matches);
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, []);
  return phone;
}

/** The main places for this reader, in tab order. */
function useMainLinks(): { to: string; label: string }[] {
  const { user } = useAuth();
  const { t } = useI18n();
  const links = [{ to: "/map", label: t("navMap") }];
  if (user?.role === "citizen") links.push({ to: "/user-dashboard", label: t("navReport") });
  if (user?.role === "driver") links.push({ to: "/driver", label: t("navDriver") });
  if (user?.role === "admin") links.push({ to: "/dashboard", label: t("navDashboard") });
  if (user?.role === "admin") links.push({ to: "/research-papers", label: t("navPapers") });
  return links;
}

function LanguageButton({ className }: { className: string }) {
  const { user } = useAuth();
  const { t, lang, setLang } = useI18n();
  return (
    <button
      className={className}
      lang={lang === "en" ? "ur" : "en"}
      aria-label={`${t("language")} (${t("languageLabel")})`}
      onClick={() => {
        const next = lang === "en" ? "ur" : "en";
        setLang(next);
        // Signed in, the messages that reach them by email, SMS or push follow too.
        if (user) api("/api/notify/preferences", { method: "PUT", json: { language: next } }).catch(() => {});
      }}
    >
      {t("language")}
    </button>
  );
}

function Header({ phone }: { phone: boolean }) {
  const { user, loading, logout } = useAuth();
  useEffect(() => {
    if (user) localStorage.setItem(ROLE_HINT, user.role);
  }, [user]);
  const { t } = useI18n();
  const navigate = useNavigate();
  const links = useMainLinks();
  const link = ({ isActive }: { isActive: boolean }) =>
    `inline-flex min-h-11 items-center rounded px-3 ${isActive ? "bg-green-800 text-white" : "text-green-50 hover:bg-green-800"}`;
  const plain = "inline-flex min-h-11 items-center rounded px-3 text-green-50 hover:bg-green-800";
  return (
    <header className="bg-green-700 text-white">
      {/* On a phone the tab bar is the main navigation; the header keeps the account. */}
      <nav aria-label={phone ? t("accountNav") : "Main"} className="mx-auto flex max-w-6xl items-center gap-2 px-4 py-2 sm:flex-wrap sm:py-3">
        <Link to="/" className="me-auto inline-flex min-h-11 items-center text-xl font-bold text-white">
          {t("appName")}
        </Link>
        {!phone &&
          links.map((l) => (
            <NavLink key={l.to} to={l.to} className={link}>
              {l.label}
            </NavLink>
          ))}
        {user ? (
          <>
            {!phone && <InboxLink className={link} />}
            {!phone && (
              <NavLink to="/settings/notifications" className={link}>
                {t("navSettings")}
              </NavLink>
            )}
            <span className="hidden text-sm text-green-50 md:inline">{user.username}</span>
            <button
              className={plain}
              onClick={async () => {
                await logout();
                navigate("/");
              }}
            >
              {t("signOut")}
            </button>
          </>
        ) : loading ? null : (
          <NavLink to="/login" className={link}>
            {t("signIn")}
          </NavLink>
        )}
        <LanguageButton className="inline-flex min-h-11 items-center rounded border border-green-300 px-3 text-green-50 hover:bg-green-800" />
      </nav>
    </header>
  );
}

/** The phone's tab bar: the main places, the inbox and settings, each a 56-pixel target. */
function TabBar() {
  const { user } = useAuth();
  const { t } = useI18n();
  const links = useMainLinks().filter((l) => l.to !== "/research-papers");
  const tab = ({ isActive }: { isActive: boolean }) =>
    `flex min-h-14 flex-1 flex-col items-center justify-center px-1 text-center text-xs font-medium ${
      isActive ? "bg-green-100 text-green-900" : "text-slate-800"
    }`;
  return (
    <nav aria-label="Main" className="fixed inset-x-0 bottom-0 z-[1000] flex border-t border-slate-300 bg-white shadow-lg">
      <NavLink to="/" end className={tab}>
        {t("navHome")}
      </NavLink>
      {links.map((l) => (
        <NavLink key={l.to} to={l.to} className={tab}>
          {l.label}
        </NavLink>
      ))}
      {user && <InboxLink className={tab} />}
      {user && (
        <NavLink to="/settings/notifications" className={tab}>
          {t("navSettings")}
        </NavLink>
      )}
    </nav>
  );
}

// The page's role, or any signed-in user when `role` is left out (settings).
function RequireRole({ role, children }: { role?: Role; children: ReactNode }) {
  const { user, loading } = useAuth();
  const { t } = useI18n();
  if (loading) {
    // A returning user's own page is drawn while their session is restored (its requests
    // wait for it): the phone paints the form one round trip sooner. Should the session
    // turn out to be gone, the page below gives way to "please sign in".
    if (role && mayHaveSession() && localStorage.getItem(ROLE_HINT) === role) return <>{children}</>;
    return <p className="p-6">{t("loading")}</p>;
  }
  if (!user) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <h1 className="text-2xl font-bold">{t("pleaseSignIn")}</h1>
        <p className="mt-2">
          {t("pleaseSignInText")} <Link className="text-green-800 underline" to="/login">{t("signIn")}</Link>
        </p>
      </div>
    );
  }
  if (role && user.role !== role) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <h1 className="text-2xl font-bold">{t("noAccess")}</h1>
        <p className="mt-2">{t("noAccessText", { role: user.role })}</p>
      </div>
    );
  }
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-bold">{t("notFound")}</h1>
      <p className="mt-2">
        <Link className="text-green-800 underline" to="/">{t("backHome")}</Link>
      </p>
    </div>
  );
}

// Shown with the page, not before it: while the session or the page's code is still
// coming, the footer would be the largest thing painted (a cheap phone's LCP would be it).
function Footer() {
  const { t } = useI18n();
  const { loading } = useAuth();
  if (loading) return null;
  return (
    <footer className="mt-12 border-t border-slate-200 py-6 text-center text-sm text-slate-600">
      <p>{t("footer")}</p>
      <p className="mt-1">
        <Link className="inline-block py-3 text-green-800 underline" to="/research-papers">
          {t("footerResearch")}
        </Link>
      </p>
      <p className="mt-1 text-xs">{t("attribution")}</p>
    </footer>
  );
}

function Fallback() {
  const { t } = useI18n();
  return <p className="p-6">{t("loading")}</p>;
}

// The shell inside the router: header, page, footer, and on phones the tab bar (with room
// left under the page so the bar never covers its last line).
function Shell({ children }: { children: ReactNode }) {
  const phone = useIsPhone();
  // What the browser scrolls to (a focused field, a link's target) stays above the bar.
  useEffect(() => {
    document.documentElement.style.scrollPaddingBottom = phone ? "4rem" : "";
  }, [phone]);
  return (
    <div className={phone ? "pb-16" : ""}>
      <Header phone={phone} />
      {children}
      {phone && <TabBar />}
    </div>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LanguageProvider>
      <AuthProvider>
        <BrowserRouter>
          <Shell>
          {/* The footer waits with the page: while a page's code loads, only the notice shows. */}
          <Suspense
            fallback={
              <main id="main">
                <Fallback />
              </main>
            }
          >
            <main id="main">
              <Routes>
                <Route path="/" element={<PageBoundary><HomePage /></PageBoundary>} />
                <Route path="/login" element={<PageBoundary><LoginPage /></PageBoundary>} />
                <Route
                  path="/user-dashboard"
                  element={
                    <PageBoundary>
                    <RequireRole role="citizen">
                      <CitizenDashboard />
                    </RequireRole>
                  </PageBoundary>
                  }
                />
                <Route
                  path="/dashboard"
                  element={
                    <PageBoundary>
                    <RequireRole role="admin">
                      <AdminDashboard />
                    </RequireRole>
                  </PageBoundary>
                  }
                />
                <Route
                  path="/driver"
                  element={
                    <PageBoundary>
                    <RequireRole role="driver">
                      <DriverPage />
                    </RequireRole>
                  </PageBoundary>
                  }
                />
                <Route
                  path="/settings/notifications"
                  element={
                    <PageBoundary>
                    <RequireRole>
                      <SettingsPage />
                    </RequireRole>
                  </PageBoundary>
                  }
                />
                <Route
                  path="/notifications"
                  element={
                    <PageBoundary>
                    <RequireRole>
                      <InboxPage />
                    </RequireRole>
                  </PageBoundary>
                  }
                />
                <Route path="/reports/:id" element={<PageBoundary><ReportPage /></PageBoundary>} />
                <Route path="/map" element={<PageBoundary><PublicMapPage /></PageBoundary>} />
                <Route path="/unsubscribe/area" element={<PageBoundary><UnsubscribePage /></PageBoundary>} />
                <Route path="/research-papers" element={<PageBoundary><PapersPage /></PageBoundary>} />
                <Route path="*" element={<PageBoundary><NotFound /></PageBoundary>} />
              </Routes>
            </main>
            <Footer />
          </Suspense>
          </Shell>
        </BrowserRouter>
      </AuthProvider>
      </LanguageProvider>
    </QueryClientProvider>
  );
}
