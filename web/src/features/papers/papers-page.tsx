// SPDX-License-Identifier: AGPL-3.0-or-later
import { useDeferredValue, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Card, Field, Input, Select } from "@/components/ui";
import { api } from "@/lib/api-client";
import { useI18n, type MessageKey } from "@/lib/i18n";

interface Paper {
  id: string;
  title: string;
  authors: string;
  year: number;
  venue: string;
  url: string;
  doi: string | null;
  topic: string;
}

const topics: [string, MessageKey][] = [
  ["", "topicAll"],
  ["detection", "topicDetection"],
  ["datasets", "topicDatasets"],
  ["management", "topicManagement"],
  ["policy", "topicPolicy"],
];

export default function PapersPage() {
  const { t } = useI18n();
  const [q, setQ] = useState("");
  const [topic, setTopic] = useState("");
  const query = useDeferredValue(q);
  const papers = useQuery({
    queryKey: ["papers", query, topic],
    queryFn: () => {
      const params = new URLSearchParams();
      if (query) params.set("q", query);
      if (topic) params.set("topic", topic);
      return api<{ items: Paper[] }>(`/api/papers?${params}`);
    },
  });
  return (
    <div className="mx-auto max-w-3xl px-4 py-6">
      <h1 className="text-2xl font-bold">{t("papersTitle")}</h1>
      <p className="mt-2 text-slate-700">{t("papersIntro")}</p>
      <div className="mt-4 grid gap-3 sm:grid-cols-[2fr_1fr]">
        <Field id="papers-q" label={t("papersSearch")}>
          <Input id="papers-q" type="search" value={q} maxLength={100} onChange={(e) => setQ(e.target.value)} />
        </Field>
        <Field id="papers-topic" label={t("papersTopic")}>
          <Select id="papers-topic" value={topic} onChange={(e) => setTopic(e.target.value)}>
            {topics.map(([value, key]) => (
              <option key={key} value={value}>
                {t(key)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {papers.isError && <p role="alert">{t("papersFailed")}</p>}
      {papers.data?.items.length === 0 && <p className="mt-4">{t("papersNone")}</p>}
      <ul className="mt-4 flex flex-col gap-3" aria-label={t("papersTitle")}>
        {papers.data?.items.map((p) => (
          <li key={p.id}>
            <Card>
              <a href={p.url} className="text-lg font-semibold text-green-900 underline" rel="noreferrer">
                {p.title}
              </a>
              <p className="text-sm text-slate-700">{p.authors}</p>
              <p className="text-sm text-slate-600">
                {p.venue}, {p.year}
                {p.doi ? ` · doi:${p.doi}` : ""}
              </p>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
