// SPDX-License-Identifier: AGPL-3.0-or-later
// A 12 MP phone photo is 4-8 MB; the server keeps at most 2048 px anyway. Shrinking it on
// the phone first sends a tenth of the bytes over a mobile network. The photo's own GPS
// position must be read from the original before this (the copy carries no EXIF).

export const MAX_SIDE = 2048;

/** The photo at most MAX_SIDE px on its longer side, as JPEG; the original when it is
 *  already small, or when this browser cannot decode it (HEIC on most browsers). */
export async function downscalePhoto(file: File, maxSide = MAX_SIDE): Promise<File> {
  if (typeof createImageBitmap !== "function" || typeof OffscreenCanvas !== "function") return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file;
  }
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size <= 1_500_000) return file;
    const width = Math.round(bitmap.width * scale);
    const height = Math.round(bitmap.height * scale);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext("2d");
    if (!ctx) return file;
    ctx.drawImage(bitmap, 0, 0, width, height);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.85 });
    if (blob.size >= file.size) return file;
    const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
  } finally {
    bitmap.close();
  }
}
