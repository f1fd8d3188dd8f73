// builder-agent's usage lines, apart from the commands' modules so that --help
// and the dispatcher (agent/subcommands.ts) load none of them.
export const SERVE_USAGE = `builder-agent serve --listen vsock:PORT|unix:PATH --output-dir DIR [--work-dir DIR]
                    [--timeout SECONDS] [--verbose]`;

export const CONVERT_USAGE = `builder-agent convert REF --output FILE [--insecure] [--platform OS/ARCH[/VARIANT]]
                        [--compression lz4|lz4hc[,N]|none] [--format erofs|ext4] [--work-dir DIR]
                        [--size-limit BYTES] [--auth-file F] [--ca-file F] [--timeout S] [--verbose] [--json]`;

export const INSPECT_USAGE =
  'builder-agent inspect REF [--platform OS/ARCH[/VARIANT]] [--insecure] [--auth-file F] [--ca-file F] [--timeout S] [--json]';
