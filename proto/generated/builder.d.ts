import * as $protobuf from "protobufjs";

export namespace erofsbuilder {

    namespace v1 {

        enum ProtocolVersion {
            PROTOCOL_VERSION_UNSPECIFIED = 0,
            PROTOCOL_VERSION_CURRENT = 1
        }

        enum ErrorCode {
            ERROR_CODE_UNSPECIFIED = 0,
            INTERNAL = 1,
            INVALID_ARGUMENT = 2,
            INVALID_REFERENCE = 10,
            NOT_FOUND = 11,
            UNAUTHORIZED = 12,
            REGISTRY_ERROR = 13,
            MANIFEST_INVALID = 14,
            MANIFEST_TOO_LARGE = 15,
            PLATFORM_NOT_FOUND = 16,
            UNSUPPORTED_MEDIA_TYPE = 17,
            DIGEST_MISMATCH = 18,
            UNSAFE_PATH = 30,
            INVALID_LAYER = 31,
            TRUNCATED = 32,
            SIZE_LIMIT = 33,
            NO_SPACE = 40,
            MKFS_FAILED = 41,
            UNSUPPORTED_FORMAT = 42,
            BUSY = 50,
            CANCELLED = 51,
            TIMEOUT = 52,
            PROTOCOL_ERROR = 53,
            FRAME_TOO_LARGE = 54,
            VERSION_MISMATCH = 55,
            AGENT_UNAVAILABLE = 56,
            PATH_REJECTED = 70,
            NOT_REGULAR = 71,
            BAD_SUPERBLOCK = 72,
            SIZE_MISMATCH = 73,
            JOURNALED_VOLUME = 74,
            STORE_ERROR = 80
        }

        enum DiskFormat {
            DISK_FORMAT_UNSPECIFIED = 0,
            EROFS = 1,
            EXT4 = 2
        }

        enum Phase {
            PHASE_UNSPECIFIED = 0,
            RESOLVE = 1,
            PULL = 2,
            APPLY = 3,
            MKFS = 4,
            FINALIZE = 5
        }

        interface IRequest extends erofsbuilder.v1.Request.$Properties {
        }

        class Request {
            constructor(properties?: erofsbuilder.v1.Request.$Properties);
            $unknowns?: Uint8Array[];
            hello?: (erofsbuilder.v1.HelloRequest.$Properties|null);
            convert?: (erofsbuilder.v1.ConvertRequest.$Properties|null);
            cancel?: (erofsbuilder.v1.CancelRequest.$Properties|null);
            ping?: (erofsbuilder.v1.PingRequest.$Properties|null);
            kind?: ("hello"|"convert"|"cancel"|"ping");
            static create(properties: erofsbuilder.v1.Request.$Shape): erofsbuilder.v1.Request & erofsbuilder.v1.Request.$Shape;
            static create(properties?: erofsbuilder.v1.Request.$Properties): erofsbuilder.v1.Request;
            static encode(message: erofsbuilder.v1.Request.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.Request.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.Request & erofsbuilder.v1.Request.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.Request & erofsbuilder.v1.Request.$Shape;
        }

        namespace Request {
            interface $Properties {
                hello?: (erofsbuilder.v1.HelloRequest.$Properties|null);
                convert?: (erofsbuilder.v1.ConvertRequest.$Properties|null);
                cancel?: (erofsbuilder.v1.CancelRequest.$Properties|null);
                ping?: (erofsbuilder.v1.PingRequest.$Properties|null);
                kind?: ("hello"|"convert"|"cancel"|"ping");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              hello?: erofsbuilder.v1.HelloRequest.$Shape|null;
              convert?: erofsbuilder.v1.ConvertRequest.$Shape|null;
              cancel?: erofsbuilder.v1.CancelRequest.$Shape|null;
              ping?: erofsbuilder.v1.PingRequest.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; hello?: null; convert?: null; cancel?: null; ping?: null }|{ kind?: "hello"; hello: erofsbuilder.v1.HelloRequest.$Shape; convert?: null; cancel?: null; ping?: null }|{ kind?: "convert"; hello?: null; convert: erofsbuilder.v1.ConvertRequest.$Shape; cancel?: null; ping?: null }|{ kind?: "cancel"; hello?: null; convert?: null; cancel: erofsbuilder.v1.CancelRequest.$Shape; ping?: null }|{ kind?: "ping"; hello?: null; convert?: null; cancel?: null; ping: erofsbuilder.v1.PingRequest.$Shape })
            );
        }

        interface IHelloRequest extends erofsbuilder.v1.HelloRequest.$Properties {
        }

        class HelloRequest {
            constructor(properties?: erofsbuilder.v1.HelloRequest.$Properties);
            $unknowns?: Uint8Array[];
            protocol_version: number;
            client: string;
            static create(properties: erofsbuilder.v1.HelloRequest.$Shape): erofsbuilder.v1.HelloRequest & erofsbuilder.v1.HelloRequest.$Shape;
            static create(properties?: erofsbuilder.v1.HelloRequest.$Properties): erofsbuilder.v1.HelloRequest;
            static encode(message: erofsbuilder.v1.HelloRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.HelloRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.HelloRequest & erofsbuilder.v1.HelloRequest.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.HelloRequest & erofsbuilder.v1.HelloRequest.$Shape;
        }

        namespace HelloRequest {
            interface $Properties {
                protocol_version?: (number|null);
                client?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.HelloRequest.$Properties;
        }

        interface IRegistryOptions extends erofsbuilder.v1.RegistryOptions.$Properties {
        }

        class RegistryOptions {
            constructor(properties?: erofsbuilder.v1.RegistryOptions.$Properties);
            $unknowns?: Uint8Array[];
            insecure: boolean;
            username: string;
            password: string;
            bearer_token: string;
            ca_pem: string;
            static create(properties: erofsbuilder.v1.RegistryOptions.$Shape): erofsbuilder.v1.RegistryOptions & erofsbuilder.v1.RegistryOptions.$Shape;
            static create(properties?: erofsbuilder.v1.RegistryOptions.$Properties): erofsbuilder.v1.RegistryOptions;
            static encode(message: erofsbuilder.v1.RegistryOptions.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.RegistryOptions.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.RegistryOptions & erofsbuilder.v1.RegistryOptions.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.RegistryOptions & erofsbuilder.v1.RegistryOptions.$Shape;
        }

        namespace RegistryOptions {
            interface $Properties {
                insecure?: (boolean|null);
                username?: (string|null);
                password?: (string|null);
                bearer_token?: (string|null);
                ca_pem?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.RegistryOptions.$Properties;
        }

        interface IConvertRequest extends erofsbuilder.v1.ConvertRequest.$Properties {
        }

        class ConvertRequest {
            constructor(properties?: erofsbuilder.v1.ConvertRequest.$Properties);
            $unknowns?: Uint8Array[];
            image_ref: string;
            registry?: (erofsbuilder.v1.RegistryOptions.$Properties|null);
            platform: string;
            compression: string;
            format: erofsbuilder.v1.DiskFormat;
            output_name: string;
            timeout_seconds: number;
            size_limit_bytes: number;
            static create(properties: erofsbuilder.v1.ConvertRequest.$Shape): erofsbuilder.v1.ConvertRequest & erofsbuilder.v1.ConvertRequest.$Shape;
            static create(properties?: erofsbuilder.v1.ConvertRequest.$Properties): erofsbuilder.v1.ConvertRequest;
            static encode(message: erofsbuilder.v1.ConvertRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.ConvertRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.ConvertRequest & erofsbuilder.v1.ConvertRequest.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.ConvertRequest & erofsbuilder.v1.ConvertRequest.$Shape;
        }

        namespace ConvertRequest {
            interface $Properties {
                image_ref?: (string|null);
                registry?: (erofsbuilder.v1.RegistryOptions.$Properties|null);
                platform?: (string|null);
                compression?: (string|null);
                format?: (erofsbuilder.v1.DiskFormat|null);
                output_name?: (string|null);
                timeout_seconds?: (number|null);
                size_limit_bytes?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.ConvertRequest.$Properties;
        }

        interface ICancelRequest extends erofsbuilder.v1.CancelRequest.$Properties {
        }

        class CancelRequest {
            constructor(properties?: erofsbuilder.v1.CancelRequest.$Properties);
            $unknowns?: Uint8Array[];
            static create(properties: erofsbuilder.v1.CancelRequest.$Shape): erofsbuilder.v1.CancelRequest & erofsbuilder.v1.CancelRequest.$Shape;
            static create(properties?: erofsbuilder.v1.CancelRequest.$Properties): erofsbuilder.v1.CancelRequest;
            static encode(message: erofsbuilder.v1.CancelRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.CancelRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.CancelRequest & erofsbuilder.v1.CancelRequest.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.CancelRequest & erofsbuilder.v1.CancelRequest.$Shape;
        }

        namespace CancelRequest {
            interface $Properties {
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.CancelRequest.$Properties;
        }

        interface IPingRequest extends erofsbuilder.v1.PingRequest.$Properties {
        }

        class PingRequest {
            constructor(properties?: erofsbuilder.v1.PingRequest.$Properties);
            $unknowns?: Uint8Array[];
            nonce: number;
            static create(properties: erofsbuilder.v1.PingRequest.$Shape): erofsbuilder.v1.PingRequest & erofsbuilder.v1.PingRequest.$Shape;
            static create(properties?: erofsbuilder.v1.PingRequest.$Properties): erofsbuilder.v1.PingRequest;
            static encode(message: erofsbuilder.v1.PingRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.PingRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.PingRequest & erofsbuilder.v1.PingRequest.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.PingRequest & erofsbuilder.v1.PingRequest.$Shape;
        }

        namespace PingRequest {
            interface $Properties {
                nonce?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.PingRequest.$Properties;
        }

        interface IEvent extends erofsbuilder.v1.Event.$Properties {
        }

        class Event {
            constructor(properties?: erofsbuilder.v1.Event.$Properties);
            $unknowns?: Uint8Array[];
            hello?: (erofsbuilder.v1.HelloEvent.$Properties|null);
            progress?: (erofsbuilder.v1.Progress.$Properties|null);
            log?: (erofsbuilder.v1.Log.$Properties|null);
            result?: (erofsbuilder.v1.Result.$Properties|null);
            error?: (erofsbuilder.v1.Error.$Properties|null);
            pong?: (erofsbuilder.v1.Pong.$Properties|null);
            kind?: ("hello"|"progress"|"log"|"result"|"error"|"pong");
            static create(properties: erofsbuilder.v1.Event.$Shape): erofsbuilder.v1.Event & erofsbuilder.v1.Event.$Shape;
            static create(properties?: erofsbuilder.v1.Event.$Properties): erofsbuilder.v1.Event;
            static encode(message: erofsbuilder.v1.Event.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.Event.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.Event & erofsbuilder.v1.Event.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.Event & erofsbuilder.v1.Event.$Shape;
        }

        namespace Event {
            interface $Properties {
                hello?: (erofsbuilder.v1.HelloEvent.$Properties|null);
                progress?: (erofsbuilder.v1.Progress.$Properties|null);
                log?: (erofsbuilder.v1.Log.$Properties|null);
                result?: (erofsbuilder.v1.Result.$Properties|null);
                error?: (erofsbuilder.v1.Error.$Properties|null);
                pong?: (erofsbuilder.v1.Pong.$Properties|null);
                kind?: ("hello"|"progress"|"log"|"result"|"error"|"pong");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              hello?: erofsbuilder.v1.HelloEvent.$Shape|null;
              progress?: erofsbuilder.v1.Progress.$Shape|null;
              log?: erofsbuilder.v1.Log.$Shape|null;
              result?: erofsbuilder.v1.Result.$Shape|null;
              error?: erofsbuilder.v1.Error.$Shape|null;
              pong?: erofsbuilder.v1.Pong.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; hello?: null; progress?: null; log?: null; result?: null; error?: null; pong?: null }|{ kind?: "hello"; hello: erofsbuilder.v1.HelloEvent.$Shape; progress?: null; log?: null; result?: null; error?: null; pong?: null }|{ kind?: "progress"; hello?: null; progress: erofsbuilder.v1.Progress.$Shape; log?: null; result?: null; error?: null; pong?: null }|{ kind?: "log"; hello?: null; progress?: null; log: erofsbuilder.v1.Log.$Shape; result?: null; error?: null; pong?: null }|{ kind?: "result"; hello?: null; progress?: null; log?: null; result: erofsbuilder.v1.Result.$Shape; error?: null; pong?: null }|{ kind?: "error"; hello?: null; progress?: null; log?: null; result?: null; error: erofsbuilder.v1.Error.$Shape; pong?: null }|{ kind?: "pong"; hello?: null; progress?: null; log?: null; result?: null; error?: null; pong: erofsbuilder.v1.Pong.$Shape })
            );
        }

        interface IHelloEvent extends erofsbuilder.v1.HelloEvent.$Properties {
        }

        class HelloEvent {
            constructor(properties?: erofsbuilder.v1.HelloEvent.$Properties);
            $unknowns?: Uint8Array[];
            protocol_version: number;
            agent_version: string;
            erofs_utils_version: string;
            compressions: string[];
            formats: erofsbuilder.v1.DiskFormat[];
            static create(properties: erofsbuilder.v1.HelloEvent.$Shape): erofsbuilder.v1.HelloEvent & erofsbuilder.v1.HelloEvent.$Shape;
            static create(properties?: erofsbuilder.v1.HelloEvent.$Properties): erofsbuilder.v1.HelloEvent;
            static encode(message: erofsbuilder.v1.HelloEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.HelloEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.HelloEvent & erofsbuilder.v1.HelloEvent.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.HelloEvent & erofsbuilder.v1.HelloEvent.$Shape;
        }

        namespace HelloEvent {
            interface $Properties {
                protocol_version?: (number|null);
                agent_version?: (string|null);
                erofs_utils_version?: (string|null);
                compressions?: (string[]|null);
                formats?: (erofsbuilder.v1.DiskFormat[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.HelloEvent.$Properties;
        }

        interface IProgress extends erofsbuilder.v1.Progress.$Properties {
        }

        class Progress {
            constructor(properties?: erofsbuilder.v1.Progress.$Properties);
            $unknowns?: Uint8Array[];
            phase: erofsbuilder.v1.Phase;
            layer_index: number;
            layer_count: number;
            bytes_done: number;
            bytes_total: number;
            static create(properties: erofsbuilder.v1.Progress.$Shape): erofsbuilder.v1.Progress & erofsbuilder.v1.Progress.$Shape;
            static create(properties?: erofsbuilder.v1.Progress.$Properties): erofsbuilder.v1.Progress;
            static encode(message: erofsbuilder.v1.Progress.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.Progress.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.Progress & erofsbuilder.v1.Progress.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.Progress & erofsbuilder.v1.Progress.$Shape;
        }

        namespace Progress {
            interface $Properties {
                phase?: (erofsbuilder.v1.Phase|null);
                layer_index?: (number|null);
                layer_count?: (number|null);
                bytes_done?: (number|null);
                bytes_total?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.Progress.$Properties;
        }

        interface ILog extends erofsbuilder.v1.Log.$Properties {
        }

        class Log {
            constructor(properties?: erofsbuilder.v1.Log.$Properties);
            $unknowns?: Uint8Array[];
            level: erofsbuilder.v1.Log.Level;
            message: string;
            static create(properties: erofsbuilder.v1.Log.$Shape): erofsbuilder.v1.Log & erofsbuilder.v1.Log.$Shape;
            static create(properties?: erofsbuilder.v1.Log.$Properties): erofsbuilder.v1.Log;
            static encode(message: erofsbuilder.v1.Log.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.Log.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.Log & erofsbuilder.v1.Log.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.Log & erofsbuilder.v1.Log.$Shape;
        }

        namespace Log {
            interface $Properties {
                level?: (erofsbuilder.v1.Log.Level|null);
                message?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.Log.$Properties;

            enum Level {
                LEVEL_UNSPECIFIED = 0,
                DEBUG = 1,
                INFO = 2,
                WARN = 3,
                ERROR = 4
            }
        }

        interface IImageConfig extends erofsbuilder.v1.ImageConfig.$Properties {
        }

        class ImageConfig {
            constructor(properties?: erofsbuilder.v1.ImageConfig.$Properties);
            $unknowns?: Uint8Array[];
            entrypoint: string[];
            cmd: string[];
            env: string[];
            working_dir: string;
            user: string;
            exposed_ports: string[];
            labels: { [k: string]: string };
            os: string;
            architecture: string;
            variant: string;
            created: string;
            raw_json: Uint8Array;
            static create(properties: erofsbuilder.v1.ImageConfig.$Shape): erofsbuilder.v1.ImageConfig & erofsbuilder.v1.ImageConfig.$Shape;
            static create(properties?: erofsbuilder.v1.ImageConfig.$Properties): erofsbuilder.v1.ImageConfig;
            static encode(message: erofsbuilder.v1.ImageConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.ImageConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.ImageConfig & erofsbuilder.v1.ImageConfig.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.ImageConfig & erofsbuilder.v1.ImageConfig.$Shape;
        }

        namespace ImageConfig {
            interface $Properties {
                entrypoint?: (string[]|null);
                cmd?: (string[]|null);
                env?: (string[]|null);
                working_dir?: (string|null);
                user?: (string|null);
                exposed_ports?: (string[]|null);
                labels?: ({ [k: string]: string }|null);
                os?: (string|null);
                architecture?: (string|null);
                variant?: (string|null);
                created?: (string|null);
                raw_json?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.ImageConfig.$Properties;
        }

        interface IPhaseTiming extends erofsbuilder.v1.PhaseTiming.$Properties {
        }

        class PhaseTiming {
            constructor(properties?: erofsbuilder.v1.PhaseTiming.$Properties);
            $unknowns?: Uint8Array[];
            phase: erofsbuilder.v1.Phase;
            millis: number;
            static create(properties: erofsbuilder.v1.PhaseTiming.$Shape): erofsbuilder.v1.PhaseTiming & erofsbuilder.v1.PhaseTiming.$Shape;
            static create(properties?: erofsbuilder.v1.PhaseTiming.$Properties): erofsbuilder.v1.PhaseTiming;
            static encode(message: erofsbuilder.v1.PhaseTiming.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.PhaseTiming.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.PhaseTiming & erofsbuilder.v1.PhaseTiming.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.PhaseTiming & erofsbuilder.v1.PhaseTiming.$Shape;
        }

        namespace PhaseTiming {
            interface $Properties {
                phase?: (erofsbuilder.v1.Phase|null);
                millis?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.PhaseTiming.$Properties;
        }

        interface IResult extends erofsbuilder.v1.Result.$Properties {
        }

        class Result {
            constructor(properties?: erofsbuilder.v1.Result.$Properties);
            $unknowns?: Uint8Array[];
            path: string;
            size_bytes: number;
            sha256: string;
            manifest_digest: string;
            config_digest: string;
            config?: (erofsbuilder.v1.ImageConfig.$Properties|null);
            timings: erofsbuilder.v1.PhaseTiming.$Properties[];
            erofs_utils_version: string;
            format: erofsbuilder.v1.DiskFormat;
            platform: string;
            media_type: string;
            static create(properties: erofsbuilder.v1.Result.$Shape): erofsbuilder.v1.Result & erofsbuilder.v1.Result.$Shape;
            static create(properties?: erofsbuilder.v1.Result.$Properties): erofsbuilder.v1.Result;
            static encode(message: erofsbuilder.v1.Result.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.Result.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.Result & erofsbuilder.v1.Result.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.Result & erofsbuilder.v1.Result.$Shape;
        }

        namespace Result {
            interface $Properties {
                path?: (string|null);
                size_bytes?: (number|null);
                sha256?: (string|null);
                manifest_digest?: (string|null);
                config_digest?: (string|null);
                config?: (erofsbuilder.v1.ImageConfig.$Properties|null);
                timings?: (erofsbuilder.v1.PhaseTiming.$Properties[]|null);
                erofs_utils_version?: (string|null);
                format?: (erofsbuilder.v1.DiskFormat|null);
                platform?: (string|null);
                media_type?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.Result.$Properties;
        }

        interface IError extends erofsbuilder.v1.Error.$Properties {
        }

        class Error {
            constructor(properties?: erofsbuilder.v1.Error.$Properties);
            $unknowns?: Uint8Array[];
            code: erofsbuilder.v1.ErrorCode;
            message: string;
            static create(properties: erofsbuilder.v1.Error.$Shape): erofsbuilder.v1.Error & erofsbuilder.v1.Error.$Shape;
            static create(properties?: erofsbuilder.v1.Error.$Properties): erofsbuilder.v1.Error;
            static encode(message: erofsbuilder.v1.Error.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.Error.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.Error & erofsbuilder.v1.Error.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.Error & erofsbuilder.v1.Error.$Shape;
        }

        namespace Error {
            interface $Properties {
                code?: (erofsbuilder.v1.ErrorCode|null);
                message?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.Error.$Properties;
        }

        interface IPong extends erofsbuilder.v1.Pong.$Properties {
        }

        class Pong {
            constructor(properties?: erofsbuilder.v1.Pong.$Properties);
            $unknowns?: Uint8Array[];
            nonce: number;
            static create(properties: erofsbuilder.v1.Pong.$Shape): erofsbuilder.v1.Pong & erofsbuilder.v1.Pong.$Shape;
            static create(properties?: erofsbuilder.v1.Pong.$Properties): erofsbuilder.v1.Pong;
            static encode(message: erofsbuilder.v1.Pong.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static encodeDelimited(message: erofsbuilder.v1.Pong.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): erofsbuilder.v1.Pong & erofsbuilder.v1.Pong.$Shape;
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): erofsbuilder.v1.Pong & erofsbuilder.v1.Pong.$Shape;
        }

        namespace Pong {
            interface $Properties {
                nonce?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = erofsbuilder.v1.Pong.$Properties;
        }
    }
}
