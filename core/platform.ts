// Platforms as containerd's `platforms` package treats them: names are
// normalised (x86_64 -> amd64, aarch64 -> arm64, armhf -> arm/v7), arm64's
// variant v8 is the default and equals "no variant", and an arm/vN host also
// runs lower arm variants (v7 runs v6 and v5), preferring the closest one.
import { endianness } from 'node:os';
import { BuilderError } from '../proto/errors.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase();
  let architecture = platform.architecture.toLowerCase();
  let variant = platform.variant?.toLowerCase() ?? '';
  switch (architecture) {
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'i386':
    case 'i686':
      architecture = '386';
      variant = '';
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = '';
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (/^[5-8]$/.test(variant)) variant = `v${variant}`;
      break;
  }
  return variant === '' ? { os, architecture } : { os, architecture, variant };
}

export function formatPlatform(platform: Platform): string {
  return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}

/** Parses `os/arch[/variant]` (INVALID_ARGUMENT otherwise); the result is normalised. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[A-Za-z0-9_.-]+$/.test(part))) {
    throw new BuilderError('INVALID_ARGUMENT', `invalid platform ${JSON.stringify(text)}: expected os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`);
  }
  const [os = '', architecture = '', variant] = parts;
  return normalizePlatform({ os, architecture, ...(variant !== undefined && { variant }) });
}

const NODE_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: endianness() === 'LE' ? 'ppc64le' : 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** The platform this process runs on, in OCI names. */
export function hostPlatform(): Platform {
  const architecture = NODE_ARCH[process.arch] ?? process.arch;
  const armVersion = (process.config.variables as { arm_version?: string }).arm_version;
  const variant = architecture === 'arm' && armVersion !== undefined ? `v${armVersion}` : undefined;
  return normalizePlatform({ os: process.platform, architecture, ...(variant !== undefined && { variant }) });
}

/**
 * How well `candidate` serves `wanted`: 0 is an exact match, higher numbers
 * are acceptable but worse (a lower arm variant), undefined is no match.
 */
export function platformRank(wanted: Platform, candidate: Platform): number | undefined {
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return undefined;
  if ((w.variant ?? '') === (c.variant ?? '')) return 0;
  if (w.architecture === 'arm') {
    const wantedLevel = armLevel(w.variant);
    const candidateLevel = armLevel(c.variant);
    if (wantedLevel !== undefined && candidateLevel !== undefined && candidateLevel < wantedLevel) {
      return wantedLevel - candidateLevel;
    }
  }
  return undefined;
}

function armLevel(variant: string | undefined): number | undefined {
  const match = /^v([5-8])$/.exec(variant ?? '');
  return match ? Number(match[1]) : undefined;
}
