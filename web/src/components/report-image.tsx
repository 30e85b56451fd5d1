// SPDX-License-Identifier: AGPL-3.0-or-later
// A report's photo. A public one is a plain <img> (cached by the browser); one an admin hid
// from the public is fetched with the reader's token, since the URL alone no longer works.
import { useEffect, useState, type ImgHTMLAttributes } from "react";
import { fetchPrivateImage } from "@/lib/api-client";

export function ReportImage({ src, hidden, ...rest }: { src: string; hidden: boolean } & ImgHTMLAttributes<HTMLImageElement>) {
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!hidden) return;
    let url: string | null = null;
    let cancelled = false;
    fetchPrivateImage(src)
      .then((u) => {
        url = u;
        if (cancelled) URL.revokeObjectURL(u);
        else setObjectUrl(u);
      })
      .catch(() => setObjectUrl(null));
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [src, hidden]);
  if (hidden && !objectUrl) return <div role="img" aria-label={rest.alt} className={`bg-slate-200 ${rest.className ?? ""}`} />;
  return <img {...rest} src={hidden ? objectUrl! : src} />;
}
