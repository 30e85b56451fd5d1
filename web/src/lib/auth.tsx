// SPDX-License-Identifier: AGPL-3.0-or-later
// The signed-in user: restored on load through the refresh cookie (silent sign-in),
// kept in memory, cleared on logout or when the session is revoked.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api, onSessionChange, restoreSession, setAccessToken, getAccessToken } from "./api-client";
import type { User } from "./types";

interface AuthState {
  user: User | null;
  loading: boolean;
  login(username: string, password: string): Promise<User>;
  register(username: string, email: string, password: string): Promise<User>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

interface SessionResponse {
  accessToken: string;
  user: User;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const me = await restoreSession();
      if (!cancelled) {
        setUser(me);
        setLoading(false);
      }
    })();
    const off = onSessionChange(() => {
      if (!getAccessToken()) setUser(null);
    });
    return () => {
      cancelled = true;
      off();
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const s = await api<SessionResponse>("/api/auth/login", {
      method: "POST",
      json: { username, password },
    });
    setAccessToken(s.accessToken);
    setUser(s.user);
    return s.user;
  }, []);

  const register = useCallback(async (username: string, email: string, password: string) => {
    const s = await api<SessionResponse>("/api/auth/register", {
      method: "POST",
      json: { username, email, password },
    });
    setAccessToken(s.accessToken);
    setUser(s.user);
    return s.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api("/api/auth/logout", { method: "POST" });
    } finally {
      setAccessToken(null);
      setUser(null);
    }
  }, []);

  return (
    <AuthContext.Provider value={{ user, loading, login, register, logout }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}
