// The image config (the OCI config blob) as far as this project reads it, and
// its runtime-relevant summary: what the agent sends in its Result, what the
// `convert --json` report shows and what the store keeps for the VM that runs it.

/** The OCI image config, as far as this project reads it. */
export interface ImageConfigJson {
  created?: string;
  architecture?: string;
  os?: string;
  variant?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
  };
  rootfs?: { type: string; diff_ids: string[] };
}

/** The runtime-relevant parts of an image config, named as the host's metadata names them. */
export interface ImageConfigSummary {
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  exposedPorts: string[];
  labels: Record<string, string>;
  os: string;
  architecture: string;
  variant: string;
  created: string;
}

export function summarizeConfig(config: ImageConfigJson): ImageConfigSummary {
  const c = config.config ?? {};
  return {
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
    env: c.Env ?? [],
    workingDir: c.WorkingDir ?? '',
    user: c.User ?? '',
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
    labels: c.Labels ?? {},
    os: config.os ?? '',
    architecture: config.architecture ?? '',
    variant: config.variant ?? '',
    created: config.created ?? '',
  };
}
