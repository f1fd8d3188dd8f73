/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const erofsbuilder = $root.erofsbuilder = (() => {

    /**
     * Namespace erofsbuilder.
     * @exports erofsbuilder
     * @namespace
     */
    const erofsbuilder = {};

    erofsbuilder.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof erofsbuilder
         * @namespace
         */
        const v1 = {};

        /**
         * ProtocolVersion enum.
         * @name erofsbuilder.v1.ProtocolVersion
         * @enum {number}
         * @property {number} PROTOCOL_VERSION_UNSPECIFIED=0 PROTOCOL_VERSION_UNSPECIFIED value
         * @property {number} PROTOCOL_VERSION_CURRENT=1 PROTOCOL_VERSION_CURRENT value
         */
        v1.ProtocolVersion = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "PROTOCOL_VERSION_UNSPECIFIED"] = 0;
            values[valuesById[1] = "PROTOCOL_VERSION_CURRENT"] = 1;
            return values;
        })();

        /**
         * ErrorCode enum.
         * @name erofsbuilder.v1.ErrorCode
         * @enum {number}
         * @property {number} ERROR_CODE_UNSPECIFIED=0 ERROR_CODE_UNSPECIFIED value
         * @property {number} INTERNAL=1 INTERNAL value
         * @property {number} INVALID_ARGUMENT=2 INVALID_ARGUMENT value
         * @property {number} INVALID_REFERENCE=10 INVALID_REFERENCE value
         * @property {number} NOT_FOUND=11 NOT_FOUND value
         * @property {number} UNAUTHORIZED=12 UNAUTHORIZED value
         * @property {number} REGISTRY_ERROR=13 REGISTRY_ERROR value
         * @property {number} MANIFEST_INVALID=14 MANIFEST_INVALID value
         * @property {number} MANIFEST_TOO_LARGE=15 MANIFEST_TOO_LARGE value
         * @property {number} PLATFORM_NOT_FOUND=16 PLATFORM_NOT_FOUND value
         * @property {number} UNSUPPORTED_MEDIA_TYPE=17 UNSUPPORTED_MEDIA_TYPE value
         * @property {number} DIGEST_MISMATCH=18 DIGEST_MISMATCH value
         * @property {number} UNSAFE_PATH=30 UNSAFE_PATH value
         * @property {number} INVALID_LAYER=31 INVALID_LAYER value
         * @property {number} TRUNCATED=32 TRUNCATED value
         * @property {number} SIZE_LIMIT=33 SIZE_LIMIT value
         * @property {number} NO_SPACE=40 NO_SPACE value
         * @property {number} MKFS_FAILED=41 MKFS_FAILED value
         * @property {number} UNSUPPORTED_FORMAT=42 UNSUPPORTED_FORMAT value
         * @property {number} BUSY=50 BUSY value
         * @property {number} CANCELLED=51 CANCELLED value
         * @property {number} TIMEOUT=52 TIMEOUT value
         * @property {number} PROTOCOL_ERROR=53 PROTOCOL_ERROR value
         * @property {number} FRAME_TOO_LARGE=54 FRAME_TOO_LARGE value
         * @property {number} VERSION_MISMATCH=55 VERSION_MISMATCH value
         * @property {number} AGENT_UNAVAILABLE=56 AGENT_UNAVAILABLE value
         * @property {number} PATH_REJECTED=70 PATH_REJECTED value
         * @property {number} NOT_REGULAR=71 NOT_REGULAR value
         * @property {number} BAD_SUPERBLOCK=72 BAD_SUPERBLOCK value
         * @property {number} SIZE_MISMATCH=73 SIZE_MISMATCH value
         * @property {number} JOURNALED_VOLUME=74 JOURNALED_VOLUME value
         * @property {number} STORE_ERROR=80 STORE_ERROR value
         */
        v1.ErrorCode = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "ERROR_CODE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "INTERNAL"] = 1;
            values[valuesById[2] = "INVALID_ARGUMENT"] = 2;
            values[valuesById[10] = "INVALID_REFERENCE"] = 10;
            values[valuesById[11] = "NOT_FOUND"] = 11;
            values[valuesById[12] = "UNAUTHORIZED"] = 12;
            values[valuesById[13] = "REGISTRY_ERROR"] = 13;
            values[valuesById[14] = "MANIFEST_INVALID"] = 14;
            values[valuesById[15] = "MANIFEST_TOO_LARGE"] = 15;
            values[valuesById[16] = "PLATFORM_NOT_FOUND"] = 16;
            values[valuesById[17] = "UNSUPPORTED_MEDIA_TYPE"] = 17;
            values[valuesById[18] = "DIGEST_MISMATCH"] = 18;
            values[valuesById[30] = "UNSAFE_PATH"] = 30;
            values[valuesById[31] = "INVALID_LAYER"] = 31;
            values[valuesById[32] = "TRUNCATED"] = 32;
            values[valuesById[33] = "SIZE_LIMIT"] = 33;
            values[valuesById[40] = "NO_SPACE"] = 40;
            values[valuesById[41] = "MKFS_FAILED"] = 41;
            values[valuesById[42] = "UNSUPPORTED_FORMAT"] = 42;
            values[valuesById[50] = "BUSY"] = 50;
            values[valuesById[51] = "CANCELLED"] = 51;
            values[valuesById[52] = "TIMEOUT"] = 52;
            values[valuesById[53] = "PROTOCOL_ERROR"] = 53;
            values[valuesById[54] = "FRAME_TOO_LARGE"] = 54;
            values[valuesById[55] = "VERSION_MISMATCH"] = 55;
            values[valuesById[56] = "AGENT_UNAVAILABLE"] = 56;
            values[valuesById[70] = "PATH_REJECTED"] = 70;
            values[valuesById[71] = "NOT_REGULAR"] = 71;
            values[valuesById[72] = "BAD_SUPERBLOCK"] = 72;
            values[valuesById[73] = "SIZE_MISMATCH"] = 73;
            values[valuesById[74] = "JOURNALED_VOLUME"] = 74;
            values[valuesById[80] = "STORE_ERROR"] = 80;
            return values;
        })();

        /**
         * DiskFormat enum.
         * @name erofsbuilder.v1.DiskFormat
         * @enum {number}
         * @property {number} DISK_FORMAT_UNSPECIFIED=0 DISK_FORMAT_UNSPECIFIED value
         * @property {number} EROFS=1 EROFS value
         * @property {number} EXT4=2 EXT4 value
         */
        v1.DiskFormat = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "DISK_FORMAT_UNSPECIFIED"] = 0;
            values[valuesById[1] = "EROFS"] = 1;
            values[valuesById[2] = "EXT4"] = 2;
            return values;
        })();

        /**
         * Phase enum.
         * @name erofsbuilder.v1.Phase
         * @enum {number}
         * @property {number} PHASE_UNSPECIFIED=0 PHASE_UNSPECIFIED value
         * @property {number} RESOLVE=1 RESOLVE value
         * @property {number} PULL=2 PULL value
         * @property {number} APPLY=3 APPLY value
         * @property {number} MKFS=4 MKFS value
         * @property {number} FINALIZE=5 FINALIZE value
         */
        v1.Phase = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "PHASE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "RESOLVE"] = 1;
            values[valuesById[2] = "PULL"] = 2;
            values[valuesById[3] = "APPLY"] = 3;
            values[valuesById[4] = "MKFS"] = 4;
            values[valuesById[5] = "FINALIZE"] = 5;
            return values;
        })();

        v1.Request = (function() {

            /**
             * Properties of a Request.
             * @typedef {Object} erofsbuilder.v1.Request.$Properties
             * @property {erofsbuilder.v1.HelloRequest.$Properties|null} [hello] Request hello
             * @property {erofsbuilder.v1.ConvertRequest.$Properties|null} [convert] Request convert
             * @property {erofsbuilder.v1.CancelRequest.$Properties|null} [cancel] Request cancel
             * @property {erofsbuilder.v1.PingRequest.$Properties|null} [ping] Request ping
             * @property {"hello"|"convert"|"cancel"|"ping"} [kind] Request kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Request.
             * @memberof erofsbuilder.v1
             * @interface IRequest
             * @augments erofsbuilder.v1.Request.$Properties
             * @deprecated Use erofsbuilder.v1.Request.$Properties instead.
             */

            /**
             * Narrowed shape of a Request.
             * @typedef {{
             *   hello?: erofsbuilder.v1.HelloRequest.$Shape|null;
             *   convert?: erofsbuilder.v1.ConvertRequest.$Shape|null;
             *   cancel?: erofsbuilder.v1.CancelRequest.$Shape|null;
             *   ping?: erofsbuilder.v1.PingRequest.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; hello?: null; convert?: null; cancel?: null; ping?: null }|{ kind?: "hello"; hello: erofsbuilder.v1.HelloRequest.$Shape; convert?: null; cancel?: null; ping?: null }|{ kind?: "convert"; hello?: null; convert: erofsbuilder.v1.ConvertRequest.$Shape; cancel?: null; ping?: null }|{ kind?: "cancel"; hello?: null; convert?: null; cancel: erofsbuilder.v1.CancelRequest.$Shape; ping?: null }|{ kind?: "ping"; hello?: null; convert?: null; cancel?: null; ping: erofsbuilder.v1.PingRequest.$Shape })
             * )} erofsbuilder.v1.Request.$Shape
             */

            /**
             * Constructs a new Request.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a Request.
             * @constructor
             * @param {erofsbuilder.v1.Request.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Request = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Request hello.
             * @member {erofsbuilder.v1.HelloRequest.$Properties|null|undefined} hello
             * @memberof erofsbuilder.v1.Request
             * @instance
             */
            Request.prototype.hello = null;

            /**
             * Request convert.
             * @member {erofsbuilder.v1.ConvertRequest.$Properties|null|undefined} convert
             * @memberof erofsbuilder.v1.Request
             * @instance
             */
            Request.prototype.convert = null;

            /**
             * Request cancel.
             * @member {erofsbuilder.v1.CancelRequest.$Properties|null|undefined} cancel
             * @memberof erofsbuilder.v1.Request
             * @instance
             */
            Request.prototype.cancel = null;

            /**
             * Request ping.
             * @member {erofsbuilder.v1.PingRequest.$Properties|null|undefined} ping
             * @memberof erofsbuilder.v1.Request
             * @instance
             */
            Request.prototype.ping = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Request kind.
             * @member {"hello"|"convert"|"cancel"|"ping"|undefined} kind
             * @memberof erofsbuilder.v1.Request
             * @instance
             */
            $Object.defineProperty(Request.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["hello", "convert", "cancel", "ping"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Request instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.Request
             * @static
             * @param {erofsbuilder.v1.Request.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.Request} Request instance
             * @type {{
             *   (properties: erofsbuilder.v1.Request.$Shape): erofsbuilder.v1.Request & erofsbuilder.v1.Request.$Shape;
             *   (properties?: erofsbuilder.v1.Request.$Properties): erofsbuilder.v1.Request;
             * }}
             */
            Request.create = function(properties) {
                return new Request(properties);
            };

            /**
             * Encodes the specified Request message. Does not implicitly {@link erofsbuilder.v1.Request.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.Request
             * @static
             * @param {erofsbuilder.v1.Request.$Properties} message Request message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Request.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                    $root.erofsbuilder.v1.HelloRequest.encode(message.hello, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.convert != null && $Object.hasOwnProperty.call(message, "convert"))
                    $root.erofsbuilder.v1.ConvertRequest.encode(message.convert, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.cancel != null && $Object.hasOwnProperty.call(message, "cancel"))
                    $root.erofsbuilder.v1.CancelRequest.encode(message.cancel, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.ping != null && $Object.hasOwnProperty.call(message, "ping"))
                    $root.erofsbuilder.v1.PingRequest.encode(message.ping, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Request message, length delimited. Does not implicitly {@link erofsbuilder.v1.Request.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.Request
             * @static
             * @param {erofsbuilder.v1.Request.$Properties} message Request message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Request.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Request message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.Request
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.Request & erofsbuilder.v1.Request.$Shape} Request
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Request.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.Request();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.hello = $root.erofsbuilder.v1.HelloRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.hello);
                            message.kind = "hello";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.convert = $root.erofsbuilder.v1.ConvertRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.convert);
                            message.kind = "convert";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.cancel = $root.erofsbuilder.v1.CancelRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.cancel);
                            message.kind = "cancel";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.ping = $root.erofsbuilder.v1.PingRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.ping);
                            message.kind = "ping";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Request message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.Request
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.Request & erofsbuilder.v1.Request.$Shape} Request
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Request.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Request;
        })();

        v1.HelloRequest = (function() {

            /**
             * Properties of a HelloRequest.
             * @typedef {Object} erofsbuilder.v1.HelloRequest.$Properties
             * @property {number|null} [protocol_version] HelloRequest protocol_version
             * @property {string|null} [client] HelloRequest client
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HelloRequest.
             * @memberof erofsbuilder.v1
             * @interface IHelloRequest
             * @augments erofsbuilder.v1.HelloRequest.$Properties
             * @deprecated Use erofsbuilder.v1.HelloRequest.$Properties instead.
             */

            /**
             * Shape of a HelloRequest.
             * @typedef {erofsbuilder.v1.HelloRequest.$Properties} erofsbuilder.v1.HelloRequest.$Shape
             */

            /**
             * Constructs a new HelloRequest.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a HelloRequest.
             * @constructor
             * @param {erofsbuilder.v1.HelloRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HelloRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * HelloRequest protocol_version.
             * @member {number} protocol_version
             * @memberof erofsbuilder.v1.HelloRequest
             * @instance
             */
            HelloRequest.prototype.protocol_version = 0;

            /**
             * HelloRequest client.
             * @member {string} client
             * @memberof erofsbuilder.v1.HelloRequest
             * @instance
             */
            HelloRequest.prototype.client = "";

            /**
             * Creates a new HelloRequest instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.HelloRequest
             * @static
             * @param {erofsbuilder.v1.HelloRequest.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.HelloRequest} HelloRequest instance
             * @type {{
             *   (properties: erofsbuilder.v1.HelloRequest.$Shape): erofsbuilder.v1.HelloRequest & erofsbuilder.v1.HelloRequest.$Shape;
             *   (properties?: erofsbuilder.v1.HelloRequest.$Properties): erofsbuilder.v1.HelloRequest;
             * }}
             */
            HelloRequest.create = function(properties) {
                return new HelloRequest(properties);
            };

            /**
             * Encodes the specified HelloRequest message. Does not implicitly {@link erofsbuilder.v1.HelloRequest.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.HelloRequest
             * @static
             * @param {erofsbuilder.v1.HelloRequest.$Properties} message HelloRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HelloRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocol_version != null && $Object.hasOwnProperty.call(message, "protocol_version") && message.protocol_version !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocol_version);
                if (message.client != null && $Object.hasOwnProperty.call(message, "client") && message.client !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.client);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified HelloRequest message, length delimited. Does not implicitly {@link erofsbuilder.v1.HelloRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.HelloRequest
             * @static
             * @param {erofsbuilder.v1.HelloRequest.$Properties} message HelloRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HelloRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a HelloRequest message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.HelloRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.HelloRequest & erofsbuilder.v1.HelloRequest.$Shape} HelloRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HelloRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.HelloRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocol_version = value;
                            else
                                delete message.protocol_version;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.client = value;
                            else
                                delete message.client;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a HelloRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.HelloRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.HelloRequest & erofsbuilder.v1.HelloRequest.$Shape} HelloRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HelloRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return HelloRequest;
        })();

        v1.RegistryOptions = (function() {

            /**
             * Properties of a RegistryOptions.
             * @typedef {Object} erofsbuilder.v1.RegistryOptions.$Properties
             * @property {boolean|null} [insecure] RegistryOptions insecure
             * @property {string|null} [username] RegistryOptions username
             * @property {string|null} [password] RegistryOptions password
             * @property {string|null} [bearer_token] RegistryOptions bearer_token
             * @property {string|null} [ca_pem] RegistryOptions ca_pem
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RegistryOptions.
             * @memberof erofsbuilder.v1
             * @interface IRegistryOptions
             * @augments erofsbuilder.v1.RegistryOptions.$Properties
             * @deprecated Use erofsbuilder.v1.RegistryOptions.$Properties instead.
             */

            /**
             * Shape of a RegistryOptions.
             * @typedef {erofsbuilder.v1.RegistryOptions.$Properties} erofsbuilder.v1.RegistryOptions.$Shape
             */

            /**
             * Constructs a new RegistryOptions.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a RegistryOptions.
             * @constructor
             * @param {erofsbuilder.v1.RegistryOptions.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RegistryOptions = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RegistryOptions insecure.
             * @member {boolean} insecure
             * @memberof erofsbuilder.v1.RegistryOptions
             * @instance
             */
            RegistryOptions.prototype.insecure = false;

            /**
             * RegistryOptions username.
             * @member {string} username
             * @memberof erofsbuilder.v1.RegistryOptions
             * @instance
             */
            RegistryOptions.prototype.username = "";

            /**
             * RegistryOptions password.
             * @member {string} password
             * @memberof erofsbuilder.v1.RegistryOptions
             * @instance
             */
            RegistryOptions.prototype.password = "";

            /**
             * RegistryOptions bearer_token.
             * @member {string} bearer_token
             * @memberof erofsbuilder.v1.RegistryOptions
             * @instance
             */
            RegistryOptions.prototype.bearer_token = "";

            /**
             * RegistryOptions ca_pem.
             * @member {string} ca_pem
             * @memberof erofsbuilder.v1.RegistryOptions
             * @instance
             */
            RegistryOptions.prototype.ca_pem = "";

            /**
             * Creates a new RegistryOptions instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.RegistryOptions
             * @static
             * @param {erofsbuilder.v1.RegistryOptions.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.RegistryOptions} RegistryOptions instance
             * @type {{
             *   (properties: erofsbuilder.v1.RegistryOptions.$Shape): erofsbuilder.v1.RegistryOptions & erofsbuilder.v1.RegistryOptions.$Shape;
             *   (properties?: erofsbuilder.v1.RegistryOptions.$Properties): erofsbuilder.v1.RegistryOptions;
             * }}
             */
            RegistryOptions.create = function(properties) {
                return new RegistryOptions(properties);
            };

            /**
             * Encodes the specified RegistryOptions message. Does not implicitly {@link erofsbuilder.v1.RegistryOptions.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.RegistryOptions
             * @static
             * @param {erofsbuilder.v1.RegistryOptions.$Properties} message RegistryOptions message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RegistryOptions.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.insecure != null && $Object.hasOwnProperty.call(message, "insecure") && message.insecure !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.insecure);
                if (message.username != null && $Object.hasOwnProperty.call(message, "username") && message.username !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.username);
                if (message.password != null && $Object.hasOwnProperty.call(message, "password") && message.password !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.password);
                if (message.bearer_token != null && $Object.hasOwnProperty.call(message, "bearer_token") && message.bearer_token !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.bearer_token);
                if (message.ca_pem != null && $Object.hasOwnProperty.call(message, "ca_pem") && message.ca_pem !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.ca_pem);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified RegistryOptions message, length delimited. Does not implicitly {@link erofsbuilder.v1.RegistryOptions.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.RegistryOptions
             * @static
             * @param {erofsbuilder.v1.RegistryOptions.$Properties} message RegistryOptions message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RegistryOptions.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a RegistryOptions message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.RegistryOptions
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.RegistryOptions & erofsbuilder.v1.RegistryOptions.$Shape} RegistryOptions
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RegistryOptions.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.RegistryOptions();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.insecure = value;
                            else
                                delete message.insecure;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.username = value;
                            else
                                delete message.username;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.password = value;
                            else
                                delete message.password;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.bearer_token = value;
                            else
                                delete message.bearer_token;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.ca_pem = value;
                            else
                                delete message.ca_pem;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a RegistryOptions message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.RegistryOptions
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.RegistryOptions & erofsbuilder.v1.RegistryOptions.$Shape} RegistryOptions
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RegistryOptions.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return RegistryOptions;
        })();

        v1.ConvertRequest = (function() {

            /**
             * Properties of a ConvertRequest.
             * @typedef {Object} erofsbuilder.v1.ConvertRequest.$Properties
             * @property {string|null} [image_ref] ConvertRequest image_ref
             * @property {erofsbuilder.v1.RegistryOptions.$Properties|null} [registry] ConvertRequest registry
             * @property {string|null} [platform] ConvertRequest platform
             * @property {string|null} [compression] ConvertRequest compression
             * @property {erofsbuilder.v1.DiskFormat|null} [format] ConvertRequest format
             * @property {string|null} [output_name] ConvertRequest output_name
             * @property {number|null} [timeout_seconds] ConvertRequest timeout_seconds
             * @property {number|null} [size_limit_bytes] ConvertRequest size_limit_bytes
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ConvertRequest.
             * @memberof erofsbuilder.v1
             * @interface IConvertRequest
             * @augments erofsbuilder.v1.ConvertRequest.$Properties
             * @deprecated Use erofsbuilder.v1.ConvertRequest.$Properties instead.
             */

            /**
             * Shape of a ConvertRequest.
             * @typedef {erofsbuilder.v1.ConvertRequest.$Properties} erofsbuilder.v1.ConvertRequest.$Shape
             */

            /**
             * Constructs a new ConvertRequest.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a ConvertRequest.
             * @constructor
             * @param {erofsbuilder.v1.ConvertRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ConvertRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ConvertRequest image_ref.
             * @member {string} image_ref
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.image_ref = "";

            /**
             * ConvertRequest registry.
             * @member {erofsbuilder.v1.RegistryOptions.$Properties|null|undefined} registry
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.registry = null;

            /**
             * ConvertRequest platform.
             * @member {string} platform
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.platform = "";

            /**
             * ConvertRequest compression.
             * @member {string} compression
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.compression = "";

            /**
             * ConvertRequest format.
             * @member {erofsbuilder.v1.DiskFormat} format
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.format = 0;

            /**
             * ConvertRequest output_name.
             * @member {string} output_name
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.output_name = "";

            /**
             * ConvertRequest timeout_seconds.
             * @member {number} timeout_seconds
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.timeout_seconds = 0;

            /**
             * ConvertRequest size_limit_bytes.
             * @member {number} size_limit_bytes
             * @memberof erofsbuilder.v1.ConvertRequest
             * @instance
             */
            ConvertRequest.prototype.size_limit_bytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new ConvertRequest instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.ConvertRequest
             * @static
             * @param {erofsbuilder.v1.ConvertRequest.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.ConvertRequest} ConvertRequest instance
             * @type {{
             *   (properties: erofsbuilder.v1.ConvertRequest.$Shape): erofsbuilder.v1.ConvertRequest & erofsbuilder.v1.ConvertRequest.$Shape;
             *   (properties?: erofsbuilder.v1.ConvertRequest.$Properties): erofsbuilder.v1.ConvertRequest;
             * }}
             */
            ConvertRequest.create = function(properties) {
                return new ConvertRequest(properties);
            };

            /**
             * Encodes the specified ConvertRequest message. Does not implicitly {@link erofsbuilder.v1.ConvertRequest.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.ConvertRequest
             * @static
             * @param {erofsbuilder.v1.ConvertRequest.$Properties} message ConvertRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConvertRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.image_ref != null && $Object.hasOwnProperty.call(message, "image_ref") && message.image_ref !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.image_ref);
                if (message.registry != null && $Object.hasOwnProperty.call(message, "registry"))
                    $root.erofsbuilder.v1.RegistryOptions.encode(message.registry, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.platform != null && $Object.hasOwnProperty.call(message, "platform") && message.platform !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.platform);
                if (message.compression != null && $Object.hasOwnProperty.call(message, "compression") && message.compression !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.compression);
                if (message.format != null && $Object.hasOwnProperty.call(message, "format") && message.format !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.format);
                if (message.output_name != null && $Object.hasOwnProperty.call(message, "output_name") && message.output_name !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.output_name);
                if (message.timeout_seconds != null && $Object.hasOwnProperty.call(message, "timeout_seconds") && message.timeout_seconds !== 0)
                    writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.timeout_seconds);
                if (message.size_limit_bytes != null && $Object.hasOwnProperty.call(message, "size_limit_bytes") && (typeof message.size_limit_bytes === "object" ? message.size_limit_bytes.low || message.size_limit_bytes.high : message.size_limit_bytes !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.size_limit_bytes);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ConvertRequest message, length delimited. Does not implicitly {@link erofsbuilder.v1.ConvertRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.ConvertRequest
             * @static
             * @param {erofsbuilder.v1.ConvertRequest.$Properties} message ConvertRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConvertRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a ConvertRequest message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.ConvertRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.ConvertRequest & erofsbuilder.v1.ConvertRequest.$Shape} ConvertRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConvertRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.ConvertRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.image_ref = value;
                            else
                                delete message.image_ref;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.registry = $root.erofsbuilder.v1.RegistryOptions.decode(reader, reader.size(), $undefined, _depth + 1, message.registry);
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.platform = value;
                            else
                                delete message.platform;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.compression = value;
                            else
                                delete message.compression;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.format = value;
                            else
                                delete message.format;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.output_name = value;
                            else
                                delete message.output_name;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.timeout_seconds = value;
                            else
                                delete message.timeout_seconds;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.size_limit_bytes = value;
                            else
                                delete message.size_limit_bytes;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a ConvertRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.ConvertRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.ConvertRequest & erofsbuilder.v1.ConvertRequest.$Shape} ConvertRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConvertRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return ConvertRequest;
        })();

        v1.CancelRequest = (function() {

            /**
             * Properties of a CancelRequest.
             * @typedef {Object} erofsbuilder.v1.CancelRequest.$Properties
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a CancelRequest.
             * @memberof erofsbuilder.v1
             * @interface ICancelRequest
             * @augments erofsbuilder.v1.CancelRequest.$Properties
             * @deprecated Use erofsbuilder.v1.CancelRequest.$Properties instead.
             */

            /**
             * Shape of a CancelRequest.
             * @typedef {erofsbuilder.v1.CancelRequest.$Properties} erofsbuilder.v1.CancelRequest.$Shape
             */

            /**
             * Constructs a new CancelRequest.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a CancelRequest.
             * @constructor
             * @param {erofsbuilder.v1.CancelRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const CancelRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Creates a new CancelRequest instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.CancelRequest
             * @static
             * @param {erofsbuilder.v1.CancelRequest.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.CancelRequest} CancelRequest instance
             * @type {{
             *   (properties: erofsbuilder.v1.CancelRequest.$Shape): erofsbuilder.v1.CancelRequest & erofsbuilder.v1.CancelRequest.$Shape;
             *   (properties?: erofsbuilder.v1.CancelRequest.$Properties): erofsbuilder.v1.CancelRequest;
             * }}
             */
            CancelRequest.create = function(properties) {
                return new CancelRequest(properties);
            };

            /**
             * Encodes the specified CancelRequest message. Does not implicitly {@link erofsbuilder.v1.CancelRequest.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.CancelRequest
             * @static
             * @param {erofsbuilder.v1.CancelRequest.$Properties} message CancelRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CancelRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified CancelRequest message, length delimited. Does not implicitly {@link erofsbuilder.v1.CancelRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.CancelRequest
             * @static
             * @param {erofsbuilder.v1.CancelRequest.$Properties} message CancelRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CancelRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a CancelRequest message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.CancelRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.CancelRequest & erofsbuilder.v1.CancelRequest.$Shape} CancelRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CancelRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.CancelRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    reader.skipType(tag & 7, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a CancelRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.CancelRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.CancelRequest & erofsbuilder.v1.CancelRequest.$Shape} CancelRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CancelRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return CancelRequest;
        })();

        v1.PingRequest = (function() {

            /**
             * Properties of a PingRequest.
             * @typedef {Object} erofsbuilder.v1.PingRequest.$Properties
             * @property {number|null} [nonce] PingRequest nonce
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PingRequest.
             * @memberof erofsbuilder.v1
             * @interface IPingRequest
             * @augments erofsbuilder.v1.PingRequest.$Properties
             * @deprecated Use erofsbuilder.v1.PingRequest.$Properties instead.
             */

            /**
             * Shape of a PingRequest.
             * @typedef {erofsbuilder.v1.PingRequest.$Properties} erofsbuilder.v1.PingRequest.$Shape
             */

            /**
             * Constructs a new PingRequest.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a PingRequest.
             * @constructor
             * @param {erofsbuilder.v1.PingRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PingRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PingRequest nonce.
             * @member {number} nonce
             * @memberof erofsbuilder.v1.PingRequest
             * @instance
             */
            PingRequest.prototype.nonce = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new PingRequest instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.PingRequest
             * @static
             * @param {erofsbuilder.v1.PingRequest.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.PingRequest} PingRequest instance
             * @type {{
             *   (properties: erofsbuilder.v1.PingRequest.$Shape): erofsbuilder.v1.PingRequest & erofsbuilder.v1.PingRequest.$Shape;
             *   (properties?: erofsbuilder.v1.PingRequest.$Properties): erofsbuilder.v1.PingRequest;
             * }}
             */
            PingRequest.create = function(properties) {
                return new PingRequest(properties);
            };

            /**
             * Encodes the specified PingRequest message. Does not implicitly {@link erofsbuilder.v1.PingRequest.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.PingRequest
             * @static
             * @param {erofsbuilder.v1.PingRequest.$Properties} message PingRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PingRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && (typeof message.nonce === "object" ? message.nonce.low || message.nonce.high : message.nonce !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.nonce);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified PingRequest message, length delimited. Does not implicitly {@link erofsbuilder.v1.PingRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.PingRequest
             * @static
             * @param {erofsbuilder.v1.PingRequest.$Properties} message PingRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PingRequest.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a PingRequest message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.PingRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.PingRequest & erofsbuilder.v1.PingRequest.$Shape} PingRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PingRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.PingRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.nonce = value;
                            else
                                delete message.nonce;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a PingRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.PingRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.PingRequest & erofsbuilder.v1.PingRequest.$Shape} PingRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PingRequest.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return PingRequest;
        })();

        v1.Event = (function() {

            /**
             * Properties of an Event.
             * @typedef {Object} erofsbuilder.v1.Event.$Properties
             * @property {erofsbuilder.v1.HelloEvent.$Properties|null} [hello] Event hello
             * @property {erofsbuilder.v1.Progress.$Properties|null} [progress] Event progress
             * @property {erofsbuilder.v1.Log.$Properties|null} [log] Event log
             * @property {erofsbuilder.v1.Result.$Properties|null} [result] Event result
             * @property {erofsbuilder.v1.Error.$Properties|null} [error] Event error
             * @property {erofsbuilder.v1.Pong.$Properties|null} [pong] Event pong
             * @property {"hello"|"progress"|"log"|"result"|"error"|"pong"} [kind] Event kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Event.
             * @memberof erofsbuilder.v1
             * @interface IEvent
             * @augments erofsbuilder.v1.Event.$Properties
             * @deprecated Use erofsbuilder.v1.Event.$Properties instead.
             */

            /**
             * Narrowed shape of an Event.
             * @typedef {{
             *   hello?: erofsbuilder.v1.HelloEvent.$Shape|null;
             *   progress?: erofsbuilder.v1.Progress.$Shape|null;
             *   log?: erofsbuilder.v1.Log.$Shape|null;
             *   result?: erofsbuilder.v1.Result.$Shape|null;
             *   error?: erofsbuilder.v1.Error.$Shape|null;
             *   pong?: erofsbuilder.v1.Pong.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; hello?: null; progress?: null; log?: null; result?: null; error?: null; pong?: null }|{ kind?: "hello"; hello: erofsbuilder.v1.HelloEvent.$Shape; progress?: null; log?: null; result?: null; error?: null; pong?: null }|{ kind?: "progress"; hello?: null; progress: erofsbuilder.v1.Progress.$Shape; log?: null; result?: null; error?: null; pong?: null }|{ kind?: "log"; hello?: null; progress?: null; log: erofsbuilder.v1.Log.$Shape; result?: null; error?: null; pong?: null }|{ kind?: "result"; hello?: null; progress?: null; log?: null; result: erofsbuilder.v1.Result.$Shape; error?: null; pong?: null }|{ kind?: "error"; hello?: null; progress?: null; log?: null; result?: null; error: erofsbuilder.v1.Error.$Shape; pong?: null }|{ kind?: "pong"; hello?: null; progress?: null; log?: null; result?: null; error?: null; pong: erofsbuilder.v1.Pong.$Shape })
             * )} erofsbuilder.v1.Event.$Shape
             */

            /**
             * Constructs a new Event.
             * @memberof erofsbuilder.v1
             * @classdesc Represents an Event.
             * @constructor
             * @param {erofsbuilder.v1.Event.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Event = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Event hello.
             * @member {erofsbuilder.v1.HelloEvent.$Properties|null|undefined} hello
             * @memberof erofsbuilder.v1.Event
             * @instance
             */
            Event.prototype.hello = null;

            /**
             * Event progress.
             * @member {erofsbuilder.v1.Progress.$Properties|null|undefined} progress
             * @memberof erofsbuilder.v1.Event
             * @instance
             */
            Event.prototype.progress = null;

            /**
             * Event log.
             * @member {erofsbuilder.v1.Log.$Properties|null|undefined} log
             * @memberof erofsbuilder.v1.Event
             * @instance
             */
            Event.prototype.log = null;

            /**
             * Event result.
             * @member {erofsbuilder.v1.Result.$Properties|null|undefined} result
             * @memberof erofsbuilder.v1.Event
             * @instance
             */
            Event.prototype.result = null;

            /**
             * Event error.
             * @member {erofsbuilder.v1.Error.$Properties|null|undefined} error
             * @memberof erofsbuilder.v1.Event
             * @instance
             */
            Event.prototype.error = null;

            /**
             * Event pong.
             * @member {erofsbuilder.v1.Pong.$Properties|null|undefined} pong
             * @memberof erofsbuilder.v1.Event
             * @instance
             */
            Event.prototype.pong = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Event kind.
             * @member {"hello"|"progress"|"log"|"result"|"error"|"pong"|undefined} kind
             * @memberof erofsbuilder.v1.Event
             * @instance
             */
            $Object.defineProperty(Event.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["hello", "progress", "log", "result", "error", "pong"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Event instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.Event
             * @static
             * @param {erofsbuilder.v1.Event.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.Event} Event instance
             * @type {{
             *   (properties: erofsbuilder.v1.Event.$Shape): erofsbuilder.v1.Event & erofsbuilder.v1.Event.$Shape;
             *   (properties?: erofsbuilder.v1.Event.$Properties): erofsbuilder.v1.Event;
             * }}
             */
            Event.create = function(properties) {
                return new Event(properties);
            };

            /**
             * Encodes the specified Event message. Does not implicitly {@link erofsbuilder.v1.Event.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.Event
             * @static
             * @param {erofsbuilder.v1.Event.$Properties} message Event message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Event.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                    $root.erofsbuilder.v1.HelloEvent.encode(message.hello, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.progress != null && $Object.hasOwnProperty.call(message, "progress"))
                    $root.erofsbuilder.v1.Progress.encode(message.progress, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.log != null && $Object.hasOwnProperty.call(message, "log"))
                    $root.erofsbuilder.v1.Log.encode(message.log, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.result != null && $Object.hasOwnProperty.call(message, "result"))
                    $root.erofsbuilder.v1.Result.encode(message.result, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.error != null && $Object.hasOwnProperty.call(message, "error"))
                    $root.erofsbuilder.v1.Error.encode(message.error, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.pong != null && $Object.hasOwnProperty.call(message, "pong"))
                    $root.erofsbuilder.v1.Pong.encode(message.pong, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Event message, length delimited. Does not implicitly {@link erofsbuilder.v1.Event.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.Event
             * @static
             * @param {erofsbuilder.v1.Event.$Properties} message Event message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Event.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an Event message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.Event
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.Event & erofsbuilder.v1.Event.$Shape} Event
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Event.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.Event();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.hello = $root.erofsbuilder.v1.HelloEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.hello);
                            message.kind = "hello";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.progress = $root.erofsbuilder.v1.Progress.decode(reader, reader.size(), $undefined, _depth + 1, message.progress);
                            message.kind = "progress";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.log = $root.erofsbuilder.v1.Log.decode(reader, reader.size(), $undefined, _depth + 1, message.log);
                            message.kind = "log";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.result = $root.erofsbuilder.v1.Result.decode(reader, reader.size(), $undefined, _depth + 1, message.result);
                            message.kind = "result";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.error = $root.erofsbuilder.v1.Error.decode(reader, reader.size(), $undefined, _depth + 1, message.error);
                            message.kind = "error";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            message.pong = $root.erofsbuilder.v1.Pong.decode(reader, reader.size(), $undefined, _depth + 1, message.pong);
                            message.kind = "pong";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an Event message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.Event
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.Event & erofsbuilder.v1.Event.$Shape} Event
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Event.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Event;
        })();

        v1.HelloEvent = (function() {

            /**
             * Properties of a HelloEvent.
             * @typedef {Object} erofsbuilder.v1.HelloEvent.$Properties
             * @property {number|null} [protocol_version] HelloEvent protocol_version
             * @property {string|null} [agent_version] HelloEvent agent_version
             * @property {string|null} [erofs_utils_version] HelloEvent erofs_utils_version
             * @property {Array.<string>|null} [compressions] HelloEvent compressions
             * @property {Array.<erofsbuilder.v1.DiskFormat>|null} [formats] HelloEvent formats
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HelloEvent.
             * @memberof erofsbuilder.v1
             * @interface IHelloEvent
             * @augments erofsbuilder.v1.HelloEvent.$Properties
             * @deprecated Use erofsbuilder.v1.HelloEvent.$Properties instead.
             */

            /**
             * Shape of a HelloEvent.
             * @typedef {erofsbuilder.v1.HelloEvent.$Properties} erofsbuilder.v1.HelloEvent.$Shape
             */

            /**
             * Constructs a new HelloEvent.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a HelloEvent.
             * @constructor
             * @param {erofsbuilder.v1.HelloEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HelloEvent = function (properties) {
                this.compressions = [];
                this.formats = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * HelloEvent protocol_version.
             * @member {number} protocol_version
             * @memberof erofsbuilder.v1.HelloEvent
             * @instance
             */
            HelloEvent.prototype.protocol_version = 0;

            /**
             * HelloEvent agent_version.
             * @member {string} agent_version
             * @memberof erofsbuilder.v1.HelloEvent
             * @instance
             */
            HelloEvent.prototype.agent_version = "";

            /**
             * HelloEvent erofs_utils_version.
             * @member {string} erofs_utils_version
             * @memberof erofsbuilder.v1.HelloEvent
             * @instance
             */
            HelloEvent.prototype.erofs_utils_version = "";

            /**
             * HelloEvent compressions.
             * @member {Array.<string>} compressions
             * @memberof erofsbuilder.v1.HelloEvent
             * @instance
             */
            HelloEvent.prototype.compressions = $util.emptyArray;

            /**
             * HelloEvent formats.
             * @member {Array.<erofsbuilder.v1.DiskFormat>} formats
             * @memberof erofsbuilder.v1.HelloEvent
             * @instance
             */
            HelloEvent.prototype.formats = $util.emptyArray;

            /**
             * Creates a new HelloEvent instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.HelloEvent
             * @static
             * @param {erofsbuilder.v1.HelloEvent.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.HelloEvent} HelloEvent instance
             * @type {{
             *   (properties: erofsbuilder.v1.HelloEvent.$Shape): erofsbuilder.v1.HelloEvent & erofsbuilder.v1.HelloEvent.$Shape;
             *   (properties?: erofsbuilder.v1.HelloEvent.$Properties): erofsbuilder.v1.HelloEvent;
             * }}
             */
            HelloEvent.create = function(properties) {
                return new HelloEvent(properties);
            };

            /**
             * Encodes the specified HelloEvent message. Does not implicitly {@link erofsbuilder.v1.HelloEvent.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.HelloEvent
             * @static
             * @param {erofsbuilder.v1.HelloEvent.$Properties} message HelloEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HelloEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocol_version != null && $Object.hasOwnProperty.call(message, "protocol_version") && message.protocol_version !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocol_version);
                if (message.agent_version != null && $Object.hasOwnProperty.call(message, "agent_version") && message.agent_version !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.agent_version);
                if (message.erofs_utils_version != null && $Object.hasOwnProperty.call(message, "erofs_utils_version") && message.erofs_utils_version !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.erofs_utils_version);
                if (message.compressions != null && message.compressions.length)
                    for (let i = 0; i < message.compressions.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.compressions[i]);
                if (message.formats != null && message.formats.length)
                    writer.uint32(/* id 5, wireType 2 =*/42).int32s(message.formats);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified HelloEvent message, length delimited. Does not implicitly {@link erofsbuilder.v1.HelloEvent.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.HelloEvent
             * @static
             * @param {erofsbuilder.v1.HelloEvent.$Properties} message HelloEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HelloEvent.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a HelloEvent message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.HelloEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.HelloEvent & erofsbuilder.v1.HelloEvent.$Shape} HelloEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HelloEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.HelloEvent();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocol_version = value;
                            else
                                delete message.protocol_version;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.agent_version = value;
                            else
                                delete message.agent_version;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.erofs_utils_version = value;
                            else
                                delete message.erofs_utils_version;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.compressions && message.compressions.length))
                                message.compressions = [];
                            message.compressions.push(reader.stringVerify());
                            continue;
                        }
                    case 5: {
                            if (wireType === 2) {
                                if (!(message.formats && message.formats.length))
                                    message.formats = [];
                                reader.int32s(message.formats);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.formats && message.formats.length))
                                message.formats = [];
                            message.formats.push(reader.int32());
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a HelloEvent message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.HelloEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.HelloEvent & erofsbuilder.v1.HelloEvent.$Shape} HelloEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HelloEvent.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return HelloEvent;
        })();

        v1.Progress = (function() {

            /**
             * Properties of a Progress.
             * @typedef {Object} erofsbuilder.v1.Progress.$Properties
             * @property {erofsbuilder.v1.Phase|null} [phase] Progress phase
             * @property {number|null} [layer_index] Progress layer_index
             * @property {number|null} [layer_count] Progress layer_count
             * @property {number|null} [bytes_done] Progress bytes_done
             * @property {number|null} [bytes_total] Progress bytes_total
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Progress.
             * @memberof erofsbuilder.v1
             * @interface IProgress
             * @augments erofsbuilder.v1.Progress.$Properties
             * @deprecated Use erofsbuilder.v1.Progress.$Properties instead.
             */

            /**
             * Shape of a Progress.
             * @typedef {erofsbuilder.v1.Progress.$Properties} erofsbuilder.v1.Progress.$Shape
             */

            /**
             * Constructs a new Progress.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a Progress.
             * @constructor
             * @param {erofsbuilder.v1.Progress.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Progress = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Progress phase.
             * @member {erofsbuilder.v1.Phase} phase
             * @memberof erofsbuilder.v1.Progress
             * @instance
             */
            Progress.prototype.phase = 0;

            /**
             * Progress layer_index.
             * @member {number} layer_index
             * @memberof erofsbuilder.v1.Progress
             * @instance
             */
            Progress.prototype.layer_index = 0;

            /**
             * Progress layer_count.
             * @member {number} layer_count
             * @memberof erofsbuilder.v1.Progress
             * @instance
             */
            Progress.prototype.layer_count = 0;

            /**
             * Progress bytes_done.
             * @member {number} bytes_done
             * @memberof erofsbuilder.v1.Progress
             * @instance
             */
            Progress.prototype.bytes_done = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Progress bytes_total.
             * @member {number} bytes_total
             * @memberof erofsbuilder.v1.Progress
             * @instance
             */
            Progress.prototype.bytes_total = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Progress instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.Progress
             * @static
             * @param {erofsbuilder.v1.Progress.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.Progress} Progress instance
             * @type {{
             *   (properties: erofsbuilder.v1.Progress.$Shape): erofsbuilder.v1.Progress & erofsbuilder.v1.Progress.$Shape;
             *   (properties?: erofsbuilder.v1.Progress.$Properties): erofsbuilder.v1.Progress;
             * }}
             */
            Progress.create = function(properties) {
                return new Progress(properties);
            };

            /**
             * Encodes the specified Progress message. Does not implicitly {@link erofsbuilder.v1.Progress.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.Progress
             * @static
             * @param {erofsbuilder.v1.Progress.$Properties} message Progress message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Progress.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.phase != null && $Object.hasOwnProperty.call(message, "phase") && message.phase !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.phase);
                if (message.layer_index != null && $Object.hasOwnProperty.call(message, "layer_index") && message.layer_index !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.layer_index);
                if (message.layer_count != null && $Object.hasOwnProperty.call(message, "layer_count") && message.layer_count !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.layer_count);
                if (message.bytes_done != null && $Object.hasOwnProperty.call(message, "bytes_done") && (typeof message.bytes_done === "object" ? message.bytes_done.low || message.bytes_done.high : message.bytes_done !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.bytes_done);
                if (message.bytes_total != null && $Object.hasOwnProperty.call(message, "bytes_total") && (typeof message.bytes_total === "object" ? message.bytes_total.low || message.bytes_total.high : message.bytes_total !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.bytes_total);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Progress message, length delimited. Does not implicitly {@link erofsbuilder.v1.Progress.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.Progress
             * @static
             * @param {erofsbuilder.v1.Progress.$Properties} message Progress message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Progress.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Progress message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.Progress
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.Progress & erofsbuilder.v1.Progress.$Shape} Progress
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Progress.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.Progress();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.phase = value;
                            else
                                delete message.phase;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.layer_index = value;
                            else
                                delete message.layer_index;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.layer_count = value;
                            else
                                delete message.layer_count;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.bytes_done = value;
                            else
                                delete message.bytes_done;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.bytes_total = value;
                            else
                                delete message.bytes_total;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Progress message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.Progress
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.Progress & erofsbuilder.v1.Progress.$Shape} Progress
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Progress.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Progress;
        })();

        v1.Log = (function() {

            /**
             * Properties of a Log.
             * @typedef {Object} erofsbuilder.v1.Log.$Properties
             * @property {erofsbuilder.v1.Log.Level|null} [level] Log level
             * @property {string|null} [message] Log message
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Log.
             * @memberof erofsbuilder.v1
             * @interface ILog
             * @augments erofsbuilder.v1.Log.$Properties
             * @deprecated Use erofsbuilder.v1.Log.$Properties instead.
             */

            /**
             * Shape of a Log.
             * @typedef {erofsbuilder.v1.Log.$Properties} erofsbuilder.v1.Log.$Shape
             */

            /**
             * Constructs a new Log.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a Log.
             * @constructor
             * @param {erofsbuilder.v1.Log.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Log = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Log level.
             * @member {erofsbuilder.v1.Log.Level} level
             * @memberof erofsbuilder.v1.Log
             * @instance
             */
            Log.prototype.level = 0;

            /**
             * Log message.
             * @member {string} message
             * @memberof erofsbuilder.v1.Log
             * @instance
             */
            Log.prototype.message = "";

            /**
             * Creates a new Log instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.Log
             * @static
             * @param {erofsbuilder.v1.Log.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.Log} Log instance
             * @type {{
             *   (properties: erofsbuilder.v1.Log.$Shape): erofsbuilder.v1.Log & erofsbuilder.v1.Log.$Shape;
             *   (properties?: erofsbuilder.v1.Log.$Properties): erofsbuilder.v1.Log;
             * }}
             */
            Log.create = function(properties) {
                return new Log(properties);
            };

            /**
             * Encodes the specified Log message. Does not implicitly {@link erofsbuilder.v1.Log.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.Log
             * @static
             * @param {erofsbuilder.v1.Log.$Properties} message Log message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Log.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.level != null && $Object.hasOwnProperty.call(message, "level") && message.level !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.level);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Log message, length delimited. Does not implicitly {@link erofsbuilder.v1.Log.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.Log
             * @static
             * @param {erofsbuilder.v1.Log.$Properties} message Log message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Log.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Log message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.Log
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.Log & erofsbuilder.v1.Log.$Shape} Log
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Log.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.Log();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.level = value;
                            else
                                delete message.level;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Log message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.Log
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.Log & erofsbuilder.v1.Log.$Shape} Log
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Log.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Level enum.
             * @name erofsbuilder.v1.Log.Level
             * @enum {number}
             * @property {number} LEVEL_UNSPECIFIED=0 LEVEL_UNSPECIFIED value
             * @property {number} DEBUG=1 DEBUG value
             * @property {number} INFO=2 INFO value
             * @property {number} WARN=3 WARN value
             * @property {number} ERROR=4 ERROR value
             */
            Log.Level = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "LEVEL_UNSPECIFIED"] = 0;
                values[valuesById[1] = "DEBUG"] = 1;
                values[valuesById[2] = "INFO"] = 2;
                values[valuesById[3] = "WARN"] = 3;
                values[valuesById[4] = "ERROR"] = 4;
                return values;
            })();

            return Log;
        })();

        v1.ImageConfig = (function() {

            /**
             * Properties of an ImageConfig.
             * @typedef {Object} erofsbuilder.v1.ImageConfig.$Properties
             * @property {Array.<string>|null} [entrypoint] ImageConfig entrypoint
             * @property {Array.<string>|null} [cmd] ImageConfig cmd
             * @property {Array.<string>|null} [env] ImageConfig env
             * @property {string|null} [working_dir] ImageConfig working_dir
             * @property {string|null} [user] ImageConfig user
             * @property {Array.<string>|null} [exposed_ports] ImageConfig exposed_ports
             * @property {Object.<string,string>|null} [labels] ImageConfig labels
             * @property {string|null} [os] ImageConfig os
             * @property {string|null} [architecture] ImageConfig architecture
             * @property {string|null} [variant] ImageConfig variant
             * @property {string|null} [created] ImageConfig created
             * @property {Uint8Array|null} [raw_json] ImageConfig raw_json
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an ImageConfig.
             * @memberof erofsbuilder.v1
             * @interface IImageConfig
             * @augments erofsbuilder.v1.ImageConfig.$Properties
             * @deprecated Use erofsbuilder.v1.ImageConfig.$Properties instead.
             */

            /**
             * Shape of an ImageConfig.
             * @typedef {erofsbuilder.v1.ImageConfig.$Properties} erofsbuilder.v1.ImageConfig.$Shape
             */

            /**
             * Constructs a new ImageConfig.
             * @memberof erofsbuilder.v1
             * @classdesc Represents an ImageConfig.
             * @constructor
             * @param {erofsbuilder.v1.ImageConfig.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ImageConfig = function (properties) {
                this.entrypoint = [];
                this.cmd = [];
                this.env = [];
                this.exposed_ports = [];
                this.labels = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ImageConfig entrypoint.
             * @member {Array.<string>} entrypoint
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.entrypoint = $util.emptyArray;

            /**
             * ImageConfig cmd.
             * @member {Array.<string>} cmd
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.cmd = $util.emptyArray;

            /**
             * ImageConfig env.
             * @member {Array.<string>} env
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.env = $util.emptyArray;

            /**
             * ImageConfig working_dir.
             * @member {string} working_dir
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.working_dir = "";

            /**
             * ImageConfig user.
             * @member {string} user
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.user = "";

            /**
             * ImageConfig exposed_ports.
             * @member {Array.<string>} exposed_ports
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.exposed_ports = $util.emptyArray;

            /**
             * ImageConfig labels.
             * @member {Object.<string,string>} labels
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.labels = $util.emptyObject;

            /**
             * ImageConfig os.
             * @member {string} os
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.os = "";

            /**
             * ImageConfig architecture.
             * @member {string} architecture
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.architecture = "";

            /**
             * ImageConfig variant.
             * @member {string} variant
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.variant = "";

            /**
             * ImageConfig created.
             * @member {string} created
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.created = "";

            /**
             * ImageConfig raw_json.
             * @member {Uint8Array} raw_json
             * @memberof erofsbuilder.v1.ImageConfig
             * @instance
             */
            ImageConfig.prototype.raw_json = $util.newBuffer([]);

            /**
             * Creates a new ImageConfig instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.ImageConfig
             * @static
             * @param {erofsbuilder.v1.ImageConfig.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.ImageConfig} ImageConfig instance
             * @type {{
             *   (properties: erofsbuilder.v1.ImageConfig.$Shape): erofsbuilder.v1.ImageConfig & erofsbuilder.v1.ImageConfig.$Shape;
             *   (properties?: erofsbuilder.v1.ImageConfig.$Properties): erofsbuilder.v1.ImageConfig;
             * }}
             */
            ImageConfig.create = function(properties) {
                return new ImageConfig(properties);
            };

            /**
             * Encodes the specified ImageConfig message. Does not implicitly {@link erofsbuilder.v1.ImageConfig.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.ImageConfig
             * @static
             * @param {erofsbuilder.v1.ImageConfig.$Properties} message ImageConfig message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ImageConfig.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.entrypoint != null && message.entrypoint.length)
                    for (let i = 0; i < message.entrypoint.length; ++i)
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.entrypoint[i]);
                if (message.cmd != null && message.cmd.length)
                    for (let i = 0; i < message.cmd.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.cmd[i]);
                if (message.env != null && message.env.length)
                    for (let i = 0; i < message.env.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.env[i]);
                if (message.working_dir != null && $Object.hasOwnProperty.call(message, "working_dir") && message.working_dir !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.working_dir);
                if (message.user != null && $Object.hasOwnProperty.call(message, "user") && message.user !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.user);
                if (message.exposed_ports != null && message.exposed_ports.length)
                    for (let i = 0; i < message.exposed_ports.length; ++i)
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.exposed_ports[i]);
                if (message.labels != null && $Object.hasOwnProperty.call(message, "labels"))
                    for (let keys = $Object.keys(message.labels), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 7, wireType 2 =*/58).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.labels[keys[i]]).ldelim();
                if (message.os != null && $Object.hasOwnProperty.call(message, "os") && message.os !== "")
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.os);
                if (message.architecture != null && $Object.hasOwnProperty.call(message, "architecture") && message.architecture !== "")
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.architecture);
                if (message.variant != null && $Object.hasOwnProperty.call(message, "variant") && message.variant !== "")
                    writer.uint32(/* id 10, wireType 2 =*/82).string(message.variant);
                if (message.created != null && $Object.hasOwnProperty.call(message, "created") && message.created !== "")
                    writer.uint32(/* id 11, wireType 2 =*/90).string(message.created);
                if (message.raw_json != null && $Object.hasOwnProperty.call(message, "raw_json") && message.raw_json.length)
                    writer.uint32(/* id 12, wireType 2 =*/98).bytes(message.raw_json);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified ImageConfig message, length delimited. Does not implicitly {@link erofsbuilder.v1.ImageConfig.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.ImageConfig
             * @static
             * @param {erofsbuilder.v1.ImageConfig.$Properties} message ImageConfig message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ImageConfig.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an ImageConfig message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.ImageConfig
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.ImageConfig & erofsbuilder.v1.ImageConfig.$Shape} ImageConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ImageConfig.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.ImageConfig();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if (!(message.entrypoint && message.entrypoint.length))
                                message.entrypoint = [];
                            message.entrypoint.push(reader.stringVerify());
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.cmd && message.cmd.length))
                                message.cmd = [];
                            message.cmd.push(reader.stringVerify());
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.env && message.env.length))
                                message.env = [];
                            message.env.push(reader.stringVerify());
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.working_dir = value;
                            else
                                delete message.working_dir;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.user = value;
                            else
                                delete message.user;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if (!(message.exposed_ports && message.exposed_ports.length))
                                message.exposed_ports = [];
                            message.exposed_ports.push(reader.stringVerify());
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (message.labels === $util.emptyObject)
                                message.labels = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.labels, key);
                            message.labels[key] = value;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.os = value;
                            else
                                delete message.os;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.architecture = value;
                            else
                                delete message.architecture;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.variant = value;
                            else
                                delete message.variant;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.created = value;
                            else
                                delete message.created;
                            continue;
                        }
                    case 12: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.raw_json = value;
                            else
                                delete message.raw_json;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an ImageConfig message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.ImageConfig
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.ImageConfig & erofsbuilder.v1.ImageConfig.$Shape} ImageConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ImageConfig.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return ImageConfig;
        })();

        v1.PhaseTiming = (function() {

            /**
             * Properties of a PhaseTiming.
             * @typedef {Object} erofsbuilder.v1.PhaseTiming.$Properties
             * @property {erofsbuilder.v1.Phase|null} [phase] PhaseTiming phase
             * @property {number|null} [millis] PhaseTiming millis
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PhaseTiming.
             * @memberof erofsbuilder.v1
             * @interface IPhaseTiming
             * @augments erofsbuilder.v1.PhaseTiming.$Properties
             * @deprecated Use erofsbuilder.v1.PhaseTiming.$Properties instead.
             */

            /**
             * Shape of a PhaseTiming.
             * @typedef {erofsbuilder.v1.PhaseTiming.$Properties} erofsbuilder.v1.PhaseTiming.$Shape
             */

            /**
             * Constructs a new PhaseTiming.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a PhaseTiming.
             * @constructor
             * @param {erofsbuilder.v1.PhaseTiming.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PhaseTiming = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PhaseTiming phase.
             * @member {erofsbuilder.v1.Phase} phase
             * @memberof erofsbuilder.v1.PhaseTiming
             * @instance
             */
            PhaseTiming.prototype.phase = 0;

            /**
             * PhaseTiming millis.
             * @member {number} millis
             * @memberof erofsbuilder.v1.PhaseTiming
             * @instance
             */
            PhaseTiming.prototype.millis = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new PhaseTiming instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.PhaseTiming
             * @static
             * @param {erofsbuilder.v1.PhaseTiming.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.PhaseTiming} PhaseTiming instance
             * @type {{
             *   (properties: erofsbuilder.v1.PhaseTiming.$Shape): erofsbuilder.v1.PhaseTiming & erofsbuilder.v1.PhaseTiming.$Shape;
             *   (properties?: erofsbuilder.v1.PhaseTiming.$Properties): erofsbuilder.v1.PhaseTiming;
             * }}
             */
            PhaseTiming.create = function(properties) {
                return new PhaseTiming(properties);
            };

            /**
             * Encodes the specified PhaseTiming message. Does not implicitly {@link erofsbuilder.v1.PhaseTiming.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.PhaseTiming
             * @static
             * @param {erofsbuilder.v1.PhaseTiming.$Properties} message PhaseTiming message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PhaseTiming.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.phase != null && $Object.hasOwnProperty.call(message, "phase") && message.phase !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.phase);
                if (message.millis != null && $Object.hasOwnProperty.call(message, "millis") && (typeof message.millis === "object" ? message.millis.low || message.millis.high : message.millis !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.millis);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified PhaseTiming message, length delimited. Does not implicitly {@link erofsbuilder.v1.PhaseTiming.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.PhaseTiming
             * @static
             * @param {erofsbuilder.v1.PhaseTiming.$Properties} message PhaseTiming message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PhaseTiming.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a PhaseTiming message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.PhaseTiming
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.PhaseTiming & erofsbuilder.v1.PhaseTiming.$Shape} PhaseTiming
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PhaseTiming.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.PhaseTiming();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.phase = value;
                            else
                                delete message.phase;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.millis = value;
                            else
                                delete message.millis;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a PhaseTiming message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.PhaseTiming
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.PhaseTiming & erofsbuilder.v1.PhaseTiming.$Shape} PhaseTiming
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PhaseTiming.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return PhaseTiming;
        })();

        v1.Result = (function() {

            /**
             * Properties of a Result.
             * @typedef {Object} erofsbuilder.v1.Result.$Properties
             * @property {string|null} [path] Result path
             * @property {number|null} [size_bytes] Result size_bytes
             * @property {string|null} [sha256] Result sha256
             * @property {string|null} [manifest_digest] Result manifest_digest
             * @property {string|null} [config_digest] Result config_digest
             * @property {erofsbuilder.v1.ImageConfig.$Properties|null} [config] Result config
             * @property {Array.<erofsbuilder.v1.PhaseTiming.$Properties>|null} [timings] Result timings
             * @property {string|null} [erofs_utils_version] Result erofs_utils_version
             * @property {erofsbuilder.v1.DiskFormat|null} [format] Result format
             * @property {string|null} [platform] Result platform
             * @property {string|null} [media_type] Result media_type
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Result.
             * @memberof erofsbuilder.v1
             * @interface IResult
             * @augments erofsbuilder.v1.Result.$Properties
             * @deprecated Use erofsbuilder.v1.Result.$Properties instead.
             */

            /**
             * Shape of a Result.
             * @typedef {erofsbuilder.v1.Result.$Properties} erofsbuilder.v1.Result.$Shape
             */

            /**
             * Constructs a new Result.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a Result.
             * @constructor
             * @param {erofsbuilder.v1.Result.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Result = function (properties) {
                this.timings = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Result path.
             * @member {string} path
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.path = "";

            /**
             * Result size_bytes.
             * @member {number} size_bytes
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.size_bytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Result sha256.
             * @member {string} sha256
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.sha256 = "";

            /**
             * Result manifest_digest.
             * @member {string} manifest_digest
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.manifest_digest = "";

            /**
             * Result config_digest.
             * @member {string} config_digest
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.config_digest = "";

            /**
             * Result config.
             * @member {erofsbuilder.v1.ImageConfig.$Properties|null|undefined} config
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.config = null;

            /**
             * Result timings.
             * @member {Array.<erofsbuilder.v1.PhaseTiming.$Properties>} timings
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.timings = $util.emptyArray;

            /**
             * Result erofs_utils_version.
             * @member {string} erofs_utils_version
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.erofs_utils_version = "";

            /**
             * Result format.
             * @member {erofsbuilder.v1.DiskFormat} format
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.format = 0;

            /**
             * Result platform.
             * @member {string} platform
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.platform = "";

            /**
             * Result media_type.
             * @member {string} media_type
             * @memberof erofsbuilder.v1.Result
             * @instance
             */
            Result.prototype.media_type = "";

            /**
             * Creates a new Result instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.Result
             * @static
             * @param {erofsbuilder.v1.Result.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.Result} Result instance
             * @type {{
             *   (properties: erofsbuilder.v1.Result.$Shape): erofsbuilder.v1.Result & erofsbuilder.v1.Result.$Shape;
             *   (properties?: erofsbuilder.v1.Result.$Properties): erofsbuilder.v1.Result;
             * }}
             */
            Result.create = function(properties) {
                return new Result(properties);
            };

            /**
             * Encodes the specified Result message. Does not implicitly {@link erofsbuilder.v1.Result.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.Result
             * @static
             * @param {erofsbuilder.v1.Result.$Properties} message Result message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Result.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.path != null && $Object.hasOwnProperty.call(message, "path") && message.path !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.path);
                if (message.size_bytes != null && $Object.hasOwnProperty.call(message, "size_bytes") && (typeof message.size_bytes === "object" ? message.size_bytes.low || message.size_bytes.high : message.size_bytes !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.size_bytes);
                if (message.sha256 != null && $Object.hasOwnProperty.call(message, "sha256") && message.sha256 !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.sha256);
                if (message.manifest_digest != null && $Object.hasOwnProperty.call(message, "manifest_digest") && message.manifest_digest !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.manifest_digest);
                if (message.config_digest != null && $Object.hasOwnProperty.call(message, "config_digest") && message.config_digest !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.config_digest);
                if (message.config != null && $Object.hasOwnProperty.call(message, "config"))
                    $root.erofsbuilder.v1.ImageConfig.encode(message.config, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.timings != null && message.timings.length)
                    for (let i = 0; i < message.timings.length; ++i)
                        $root.erofsbuilder.v1.PhaseTiming.encode(message.timings[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.erofs_utils_version != null && $Object.hasOwnProperty.call(message, "erofs_utils_version") && message.erofs_utils_version !== "")
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.erofs_utils_version);
                if (message.format != null && $Object.hasOwnProperty.call(message, "format") && message.format !== 0)
                    writer.uint32(/* id 9, wireType 0 =*/72).int32(message.format);
                if (message.platform != null && $Object.hasOwnProperty.call(message, "platform") && message.platform !== "")
                    writer.uint32(/* id 10, wireType 2 =*/82).string(message.platform);
                if (message.media_type != null && $Object.hasOwnProperty.call(message, "media_type") && message.media_type !== "")
                    writer.uint32(/* id 11, wireType 2 =*/90).string(message.media_type);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Result message, length delimited. Does not implicitly {@link erofsbuilder.v1.Result.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.Result
             * @static
             * @param {erofsbuilder.v1.Result.$Properties} message Result message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Result.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Result message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.Result
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.Result & erofsbuilder.v1.Result.$Shape} Result
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Result.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.Result();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.path = value;
                            else
                                delete message.path;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.size_bytes = value;
                            else
                                delete message.size_bytes;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sha256 = value;
                            else
                                delete message.sha256;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.manifest_digest = value;
                            else
                                delete message.manifest_digest;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.config_digest = value;
                            else
                                delete message.config_digest;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            message.config = $root.erofsbuilder.v1.ImageConfig.decode(reader, reader.size(), $undefined, _depth + 1, message.config);
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (!(message.timings && message.timings.length))
                                message.timings = [];
                            message.timings.push($root.erofsbuilder.v1.PhaseTiming.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.erofs_utils_version = value;
                            else
                                delete message.erofs_utils_version;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.format = value;
                            else
                                delete message.format;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.platform = value;
                            else
                                delete message.platform;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.media_type = value;
                            else
                                delete message.media_type;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Result message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.Result
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.Result & erofsbuilder.v1.Result.$Shape} Result
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Result.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Result;
        })();

        v1.Error = (function() {

            /**
             * Properties of an Error.
             * @typedef {Object} erofsbuilder.v1.Error.$Properties
             * @property {erofsbuilder.v1.ErrorCode|null} [code] Error code
             * @property {string|null} [message] Error message
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Error.
             * @memberof erofsbuilder.v1
             * @interface IError
             * @augments erofsbuilder.v1.Error.$Properties
             * @deprecated Use erofsbuilder.v1.Error.$Properties instead.
             */

            /**
             * Shape of an Error.
             * @typedef {erofsbuilder.v1.Error.$Properties} erofsbuilder.v1.Error.$Shape
             */

            /**
             * Constructs a new Error.
             * @memberof erofsbuilder.v1
             * @classdesc Represents an Error.
             * @constructor
             * @param {erofsbuilder.v1.Error.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Error = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Error code.
             * @member {erofsbuilder.v1.ErrorCode} code
             * @memberof erofsbuilder.v1.Error
             * @instance
             */
            Error.prototype.code = 0;

            /**
             * Error message.
             * @member {string} message
             * @memberof erofsbuilder.v1.Error
             * @instance
             */
            Error.prototype.message = "";

            /**
             * Creates a new Error instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.Error
             * @static
             * @param {erofsbuilder.v1.Error.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.Error} Error instance
             * @type {{
             *   (properties: erofsbuilder.v1.Error.$Shape): erofsbuilder.v1.Error & erofsbuilder.v1.Error.$Shape;
             *   (properties?: erofsbuilder.v1.Error.$Properties): erofsbuilder.v1.Error;
             * }}
             */
            Error.create = function(properties) {
                return new Error(properties);
            };

            /**
             * Encodes the specified Error message. Does not implicitly {@link erofsbuilder.v1.Error.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.Error
             * @static
             * @param {erofsbuilder.v1.Error.$Properties} message Error message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Error.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.code);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Error message, length delimited. Does not implicitly {@link erofsbuilder.v1.Error.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.Error
             * @static
             * @param {erofsbuilder.v1.Error.$Properties} message Error message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Error.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.Error
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.Error & erofsbuilder.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Error.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.Error();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.code = value;
                            else
                                delete message.code;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes an Error message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.Error
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.Error & erofsbuilder.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Error.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Error;
        })();

        v1.Pong = (function() {

            /**
             * Properties of a Pong.
             * @typedef {Object} erofsbuilder.v1.Pong.$Properties
             * @property {number|null} [nonce] Pong nonce
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Pong.
             * @memberof erofsbuilder.v1
             * @interface IPong
             * @augments erofsbuilder.v1.Pong.$Properties
             * @deprecated Use erofsbuilder.v1.Pong.$Properties instead.
             */

            /**
             * Shape of a Pong.
             * @typedef {erofsbuilder.v1.Pong.$Properties} erofsbuilder.v1.Pong.$Shape
             */

            /**
             * Constructs a new Pong.
             * @memberof erofsbuilder.v1
             * @classdesc Represents a Pong.
             * @constructor
             * @param {erofsbuilder.v1.Pong.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Pong = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Pong nonce.
             * @member {number} nonce
             * @memberof erofsbuilder.v1.Pong
             * @instance
             */
            Pong.prototype.nonce = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Pong instance using the specified properties.
             * @function create
             * @memberof erofsbuilder.v1.Pong
             * @static
             * @param {erofsbuilder.v1.Pong.$Properties=} [properties] Properties to set
             * @returns {erofsbuilder.v1.Pong} Pong instance
             * @type {{
             *   (properties: erofsbuilder.v1.Pong.$Shape): erofsbuilder.v1.Pong & erofsbuilder.v1.Pong.$Shape;
             *   (properties?: erofsbuilder.v1.Pong.$Properties): erofsbuilder.v1.Pong;
             * }}
             */
            Pong.create = function(properties) {
                return new Pong(properties);
            };

            /**
             * Encodes the specified Pong message. Does not implicitly {@link erofsbuilder.v1.Pong.verify|verify} messages.
             * @function encode
             * @memberof erofsbuilder.v1.Pong
             * @static
             * @param {erofsbuilder.v1.Pong.$Properties} message Pong message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Pong.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && (typeof message.nonce === "object" ? message.nonce.low || message.nonce.high : message.nonce !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.nonce);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified Pong message, length delimited. Does not implicitly {@link erofsbuilder.v1.Pong.verify|verify} messages.
             * @function encodeDelimited
             * @memberof erofsbuilder.v1.Pong
             * @static
             * @param {erofsbuilder.v1.Pong.$Properties} message Pong message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Pong.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a Pong message from the specified reader or buffer.
             * @function decode
             * @memberof erofsbuilder.v1.Pong
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {erofsbuilder.v1.Pong & erofsbuilder.v1.Pong.$Shape} Pong
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Pong.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.erofsbuilder.v1.Pong();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.nonce = value;
                            else
                                delete message.nonce;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a Pong message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof erofsbuilder.v1.Pong
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {erofsbuilder.v1.Pong & erofsbuilder.v1.Pong.$Shape} Pong
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Pong.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            return Pong;
        })();

        return v1;
    })();

    return erofsbuilder;
})();

export {
  $root as default
};
