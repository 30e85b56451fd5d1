import { lazy, Suspense, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter, Link, NavLink, Route, Routes, useNavigate } from "react-router-dom";
import { AuthProvider, useAuth } from "@/lib/auth";
import type { Role } from "@/lib/types";
import { HomePage } from "@/features/home/home-page";
import { LoginPage } from "@/features/auth/login-page";

// Each dashboard is its own chunk: a citizen never downloads the admin's code.
const UserDashboard = lazy(() => import("@/features/reports/user-dashboard"));
const AdminDashboard = lazy(() => import("@/features/admin/admin-dashboard"));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 5_000 } } });

function Header() {
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const link = ({ isActive }: { isActive: boolean }) =>
    `rounded px-2 py-1 ${isActive ? "bg-green-800 text-white" : "text-green-50 hover:bg-green-800"}`;
  return (
    <header className="bg-green-700 text-white">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-3">
        <Link to="/" className="mr-auto text-xl font-bold text-white">
          CleanAI
        </Link>
        {user?.role === "citizen" && (
          <NavLink to="/user-dashboard" className={link}>
            Report waste
          </NavLink>
        )}
        {user?.role === "admin" && (
          <NavLink to="/dashboard" className={link}>
            Dashboard
          </NavLink>
        )}
        {user ? (
          <>
            <span className="text-sm text-green-50">{user.username}</span>
            <button
              className="rounded px-2 py-1 text-green-50 hover:bg-green-800"
              onClick={async () => {
                await logout();
                navigate("/");
              }}
            >
              Sign out
            </button>
          </>
        ) : (
          <NavLink to="/login" className={link}>
            Sign in
          </NavLink>
        )}
      </nav>
    </header>
  );
}

function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { user, loading } = useAuth();
  if (loading) return <p className="p-6">Loading…</p>;
  if (!user) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <h1 className="text-2xl font-bold">Please sign in</h1>
        <p className="mt-2">
          This page needs an account. <Link className="text-green-800 underline" to="/login">Sign in</Link>
        </p>
      </div>
    );
  }
  if (user.role !== role) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <h1 className="text-2xl font-bold">No access</h1>
        <p className="mt-2">Your account ({user.role}) cannot open this page.</p>
      </div>
    );
  }
  return <>{children}</>;
}

function NotFound() {
  return (
    <div className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-2">
        <Link className="text-green-800 underline" to="/">Back to the start page</Link>
      </p>
    </div>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <BrowserRouter>
          <Header />
          <main id="main">
            <Suspense fallback={<p className="p-6">Loading…</p>}>
              <Routes>
                <Route path="/" element={<HomePage />} />
                <Route path="/login" element={<LoginPage />} />
                <Route
                  path="/user-dashboard"
                  element={
                    <RequireRole role="citizen">
                      <UserDashboard />
                    </RequireRole>
                  }
                />
                <Route
                  path="/dashboard"
                  element={
                    <RequireRole role="admin">
                      <AdminDashboard />
                    </RequireRole>
                  }
                />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </main>
          <footer className="mt-12 border-t border-slate-200 py-6 text-center text-sm text-slate-600">
            CleanAI — an open platform for cleaner streets.
          </footer>
        </BrowserRouter>
      </AuthProvider>
    </QueryClientProvider>
  );
}
