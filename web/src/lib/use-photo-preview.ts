// SPDX-License-Identifier: AGPL-3.0-or-later
import { useEffect, useState } from "react";

/** An object URL showing `photo` on the page, released when the photo changes or the
 *  component goes; "" without a photo. */
export function usePhotoPreview(photo: File | null): string {
  const [url, setUrl] = useState("");
  useEffect(() => {
    if (!photo) {
      setUrl("");
      return;
    }
    const u = URL.createObjectURL(photo);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [photo]);
  return url;
}
