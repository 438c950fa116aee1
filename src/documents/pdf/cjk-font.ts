import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ensureDebianPackages } from '../../infra/local-services/debian-packages';
import type { LogFn } from '../../infra/local-services/log';

/**
 * The CJK font every document embeds (subset): WenQuanYi Micro Hei from Debian's
 * fonts-wqy-microhei (Apache-2.0 / GPLv3 with font exception, 5 MB), which covers Latin and the
 * CJK Unified Ideographs, so Chinese names never fall back to boxes.
 */
export const CJK_FONT = {
  debianPackage: 'fonts-wqy-microhei',
  path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  /** The face inside the TrueType collection. */
  postscriptName: 'WenQuanYiMicroHei',
} as const;

export class CjkFontMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CjkFontMissingError';
  }
}

let loading: Promise<Buffer> | undefined;

/**
 * The font's bytes, installing fonts-wqy-microhei with apt-get at first use when it is missing
 * and that is allowed (LOCAL_SERVICES_INSTALL, root). A failure is not remembered: the next
 * render tries again (an operator may have installed the package meanwhile).
 */
export function loadCjkFont(options: { install: boolean; log: LogFn }): Promise<Buffer> {
  loading ??= (async () => {
    try {
      await ensureDebianPackages([CJK_FONT.debianPackage], {
        install: options.install,
        log: options.log,
        binaryCheck: () => existsSync(CJK_FONT.path),
        alternative: 'so that documents can embed a CJK font',
      });
    } catch (error) {
      throw new CjkFontMissingError(
        `The CJK font for documents (${CJK_FONT.path}) is missing: ${(error as Error).message}`,
      );
    }
    return readFile(CJK_FONT.path);
  })();
  const current = loading;
  current.catch(() => {
    if (loading === current) loading = undefined;
  });
  return current;
}
