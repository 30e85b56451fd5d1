// SPDX-License-Identifier: AGPL-3.0-or-later
import { lazy, Suspense, useEffect, type ReactNode } from "react";
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
const NotificationSettings = lazy(() => import("@/features/settings/notification-settings"));
const InboxPage = lazy(() => import("@/features/notifications/inbox-page"));
const ReportPage = lazy(() => import("@/pages/report-page"));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 5_000 } } });

function Header() {
  const { user, loading, logout } = useAuth();
  useEffect(() => {
    if (user) localStorage.setItem(ROLE_HINT, user.role);
  }, [user]);
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const link = ({ isActive }: { isActive: boolean }) =>
    `inline-flex min-h-11 items-center rounded px-3 ${isActive ? "bg-green-800 text-white" : "text-green-50 hover:bg-green-800"}`;
  return (
    <header className="bg-green-700 text-white">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-3">
        <Link to="/" className="me-auto inline-flex min-h-11 items-center text-xl font-bold text-white">
          {t("appName")}
        </Link>
        {user?.role === "citizen" && (
          <NavLink to="/user-dashboard" className={link}>
            {t("navReport")}
          </NavLink>
        )}
        {user?.role === "driver" && (
          <NavLink to="/driver" className={link}>
            {t("navDriver")}
          </NavLink>
        )}
        {user?.role === "admin" && (
          <NavLink to="/dashboard" className={link}>
            {t("navDashboard")}
          </NavLink>
        )}
        {user?.role === "admin" && (
          <NavLink to="/research-papers" className={link}>
            {t("navPapers")}
          </NavLink>
        )}
        {user ? (
          <>
            <InboxLink className={link} />
            <NavLink to="/settings/notifications" className={link}>
              {t("navSettings")}
            </NavLink>
            <span className="hidden text-sm text-green-50 sm:inline">{user.username}</span>
            <button
              className="inline-flex min-h-11 items-center rounded px-3 text-green-50 hover:bg-green-800"
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
        <button
          className="inline-flex min-h-11 items-center rounded border border-green-300 px-3 text-green-50 hover:bg-green-800"
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
      </nav>
    </header>
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

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LanguageProvider>
      <AuthProvider>
        <BrowserRouter>
          <Header />
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
                      <NotificationSettings />
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
                <Route
                  path="/reports/:id"
                  element={
                    <PageBoundary>
                      <RequireRole>
                        <ReportPage />
                      </RequireRole>
                    </PageBoundary>
                  }
                />
                <Route path="/research-papers" element={<PageBoundary><PapersPage /></PageBoundary>} />
                <Route path="*" element={<PageBoundary><NotFound /></PageBoundary>} />
              </Routes>
            </main>
            <Footer />
          </Suspense>
        </BrowserRouter>
      </AuthProvider>
      </LanguageProvider>
    </QueryClientProvider>
  );
}
