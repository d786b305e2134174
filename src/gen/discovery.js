/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Array = $util.global.Array, $Number = $util.global.Number, $isFinite = $util.global.isFinite;

// Exported root namespace
const $root = $protobuf.roots["discovery"] || ($protobuf.roots["discovery"] = {});

export const canopy = $root.canopy = (() => {

    /**
     * Namespace canopy.
     * @exports canopy
     * @namespace
     */
    const canopy = {};

    canopy.discovery = (function() {

        /**
         * Namespace discovery.
         * @memberof canopy
         * @namespace
         */
        const discovery = {};

        discovery.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof canopy.discovery
             * @namespace
             */
            const v1 = {};

            v1.Envelope = (function() {

                /**
                 * Properties of an Envelope.
                 * @typedef {Object} canopy.discovery.v1.Envelope.$Properties
                 * @property {Uint8Array|null} [body] Envelope body
                 * @property {Uint8Array|null} [mac] Envelope mac
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Envelope.
                 * @memberof canopy.discovery.v1
                 * @interface IEnvelope
                 * @augments canopy.discovery.v1.Envelope.$Properties
                 * @deprecated Use canopy.discovery.v1.Envelope.$Properties instead.
                 */

                /**
                 * Shape of an Envelope.
                 * @typedef {canopy.discovery.v1.Envelope.$Properties} canopy.discovery.v1.Envelope.$Shape
                 */

                /**
                 * Constructs a new Envelope.
                 * @memberof canopy.discovery.v1
                 * @classdesc Represents an Envelope.
                 * @constructor
                 * @param {canopy.discovery.v1.Envelope.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Envelope = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Envelope body.
                 * @member {Uint8Array} body
                 * @memberof canopy.discovery.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.body = $util.newBuffer([]);

                /**
                 * Envelope mac.
                 * @member {Uint8Array} mac
                 * @memberof canopy.discovery.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.mac = $util.newBuffer([]);

                /**
                 * Creates a new Envelope instance using the specified properties.
                 * @function create
                 * @memberof canopy.discovery.v1.Envelope
                 * @static
                 * @param {canopy.discovery.v1.Envelope.$Properties=} [properties] Properties to set
                 * @returns {canopy.discovery.v1.Envelope} Envelope instance
                 * @type {{
                 *   (properties: canopy.discovery.v1.Envelope.$Shape): canopy.discovery.v1.Envelope & canopy.discovery.v1.Envelope.$Shape;
                 *   (properties?: canopy.discovery.v1.Envelope.$Properties): canopy.discovery.v1.Envelope;
                 * }}
                 */
                Envelope.create = function(properties) {
                    return new Envelope(properties);
                };

                /**
                 * Encodes the specified Envelope message. Does not implicitly {@link canopy.discovery.v1.Envelope.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.discovery.v1.Envelope
                 * @static
                 * @param {canopy.discovery.v1.Envelope.$Properties} message Envelope message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Envelope.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.body != null && $Object.hasOwnProperty.call(message, "body") && message.body.length)
                        writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.body);
                    if (message.mac != null && $Object.hasOwnProperty.call(message, "mac") && message.mac.length)
                        writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.mac);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Envelope message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.discovery.v1.Envelope
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Envelope & canopy.discovery.v1.Envelope.$Shape} Envelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Envelope.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.discovery.v1.Envelope();
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
                                if ((value = reader.bytes()).length)
                                    message.body = value;
                                else
                                    delete message.body;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.mac = value;
                                else
                                    delete message.mac;
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
                 * Creates an Envelope message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.discovery.v1.Envelope
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.discovery.v1.Envelope} Envelope
                 */
                Envelope.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.discovery.v1.Envelope)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.discovery.v1.Envelope: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.discovery.v1.Envelope();
                    if (object.body != null)
                        if (object.body.length)
                            if (typeof object.body === "string")
                                $util.base64.decode(object.body, message.body = $util.newBuffer($util.base64.length(object.body)), 0);
                            else if (object.body.length >= 0)
                                message.body = object.body;
                    if (object.mac != null)
                        if (object.mac.length)
                            if (typeof object.mac === "string")
                                $util.base64.decode(object.mac, message.mac = $util.newBuffer($util.base64.length(object.mac)), 0);
                            else if (object.mac.length >= 0)
                                message.mac = object.mac;
                    return message;
                };

                /**
                 * Creates a plain object from an Envelope message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.discovery.v1.Envelope
                 * @static
                 * @param {canopy.discovery.v1.Envelope} message Envelope
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Envelope.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        if (options.bytes === $String)
                            object.body = "";
                        else {
                            object.body = [];
                            if (options.bytes !== $Array)
                                object.body = $util.newBuffer(object.body);
                        }
                        if (options.bytes === $String)
                            object.mac = "";
                        else {
                            object.mac = [];
                            if (options.bytes !== $Array)
                                object.mac = $util.newBuffer(object.mac);
                        }
                    }
                    if (message.body != null && $Object.hasOwnProperty.call(message, "body"))
                        object.body = options.bytes === $String ? $util.base64.encode(message.body, 0, message.body.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.body) : message.body;
                    if (message.mac != null && $Object.hasOwnProperty.call(message, "mac"))
                        object.mac = options.bytes === $String ? $util.base64.encode(message.mac, 0, message.mac.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.mac) : message.mac;
                    return object;
                };

                /**
                 * Converts this Envelope to JSON.
                 * @function toJSON
                 * @memberof canopy.discovery.v1.Envelope
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Envelope.prototype.toJSON = function() {
                    return Envelope.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Envelope
                 * @function getTypeUrl
                 * @memberof canopy.discovery.v1.Envelope
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Envelope.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.discovery.v1.Envelope";
                };

                return Envelope;
            })();

            v1.Datagram = (function() {

                /**
                 * Properties of a Datagram.
                 * @typedef {Object} canopy.discovery.v1.Datagram.$Properties
                 * @property {number|null} [version] Datagram version
                 * @property {string|null} [nodeId] Datagram nodeId
                 * @property {string|null} [parentId] Datagram parentId
                 * @property {string|null} [parentInstance] Datagram parentInstance
                 * @property {number|null} [sentMs] Datagram sentMs
                 * @property {string|null} [linkUrl] Datagram linkUrl
                 * @property {Uint8Array|null} [nonce] Datagram nonce
                 * @property {canopy.discovery.v1.Query.$Properties|null} [query] Datagram query
                 * @property {canopy.discovery.v1.Answer.$Properties|null} [answer] Datagram answer
                 * @property {"query"|"answer"} [msg] Datagram msg
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Datagram.
                 * @memberof canopy.discovery.v1
                 * @interface IDatagram
                 * @augments canopy.discovery.v1.Datagram.$Properties
                 * @deprecated Use canopy.discovery.v1.Datagram.$Properties instead.
                 */

                /**
                 * Narrowed shape of a Datagram.
                 * @typedef {{
                 *   version?: number|null;
                 *   nodeId?: string|null;
                 *   parentId?: string|null;
                 *   parentInstance?: string|null;
                 *   sentMs?: number|null;
                 *   linkUrl?: string|null;
                 *   nonce?: Uint8Array|null;
                 *   query?: canopy.discovery.v1.Query.$Shape|null;
                 *   answer?: canopy.discovery.v1.Answer.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ msg?: undefined; query?: null; answer?: null }|{ msg?: "query"; query: canopy.discovery.v1.Query.$Shape; answer?: null }|{ msg?: "answer"; query?: null; answer: canopy.discovery.v1.Answer.$Shape })
                 * )} canopy.discovery.v1.Datagram.$Shape
                 */

                /**
                 * Constructs a new Datagram.
                 * @memberof canopy.discovery.v1
                 * @classdesc Represents a Datagram.
                 * @constructor
                 * @param {canopy.discovery.v1.Datagram.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Datagram = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Datagram version.
                 * @member {number} version
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.version = 0;

                /**
                 * Datagram nodeId.
                 * @member {string} nodeId
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.nodeId = "";

                /**
                 * Datagram parentId.
                 * @member {string} parentId
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.parentId = "";

                /**
                 * Datagram parentInstance.
                 * @member {string} parentInstance
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.parentInstance = "";

                /**
                 * Datagram sentMs.
                 * @member {number} sentMs
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.sentMs = 0;

                /**
                 * Datagram linkUrl.
                 * @member {string} linkUrl
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.linkUrl = "";

                /**
                 * Datagram nonce.
                 * @member {Uint8Array} nonce
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.nonce = $util.newBuffer([]);

                /**
                 * Datagram query.
                 * @member {canopy.discovery.v1.Query.$Properties|null|undefined} query
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.query = null;

                /**
                 * Datagram answer.
                 * @member {canopy.discovery.v1.Answer.$Properties|null|undefined} answer
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                Datagram.prototype.answer = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * Datagram msg.
                 * @member {"query"|"answer"|undefined} msg
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 */
                $Object.defineProperty(Datagram.prototype, "msg", {
                    get: $util.oneOfGetter($oneOfFields = ["query", "answer"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Datagram instance using the specified properties.
                 * @function create
                 * @memberof canopy.discovery.v1.Datagram
                 * @static
                 * @param {canopy.discovery.v1.Datagram.$Properties=} [properties] Properties to set
                 * @returns {canopy.discovery.v1.Datagram} Datagram instance
                 * @type {{
                 *   (properties: canopy.discovery.v1.Datagram.$Shape): canopy.discovery.v1.Datagram & canopy.discovery.v1.Datagram.$Shape;
                 *   (properties?: canopy.discovery.v1.Datagram.$Properties): canopy.discovery.v1.Datagram;
                 * }}
                 */
                Datagram.create = function(properties) {
                    return new Datagram(properties);
                };

                /**
                 * Encodes the specified Datagram message. Does not implicitly {@link canopy.discovery.v1.Datagram.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.discovery.v1.Datagram
                 * @static
                 * @param {canopy.discovery.v1.Datagram.$Properties} message Datagram message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Datagram.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.version);
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId") && message.nodeId !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.nodeId);
                    if (message.parentId != null && $Object.hasOwnProperty.call(message, "parentId") && message.parentId !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.parentId);
                    if (message.parentInstance != null && $Object.hasOwnProperty.call(message, "parentInstance") && message.parentInstance !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.parentInstance);
                    if (message.sentMs != null && $Object.hasOwnProperty.call(message, "sentMs") && !$Object.is(message.sentMs, 0))
                        writer.uint32(/* id 5, wireType 1 =*/41).double(message.sentMs);
                    if (message.linkUrl != null && $Object.hasOwnProperty.call(message, "linkUrl") && message.linkUrl !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.linkUrl);
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && message.nonce.length)
                        writer.uint32(/* id 7, wireType 2 =*/58).bytes(message.nonce);
                    if (message.query != null && $Object.hasOwnProperty.call(message, "query"))
                        $root.canopy.discovery.v1.Query.encode(message.query, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                    if (message.answer != null && $Object.hasOwnProperty.call(message, "answer"))
                        $root.canopy.discovery.v1.Answer.encode(message.answer, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Datagram message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.discovery.v1.Datagram
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Datagram & canopy.discovery.v1.Datagram.$Shape} Datagram
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Datagram.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.discovery.v1.Datagram();
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
                                    message.version = value;
                                else
                                    delete message.version;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.nodeId = value;
                                else
                                    delete message.nodeId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.parentId = value;
                                else
                                    delete message.parentId;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.parentInstance = value;
                                else
                                    delete message.parentInstance;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.sentMs = value;
                                else
                                    delete message.sentMs;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.linkUrl = value;
                                else
                                    delete message.linkUrl;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.nonce = value;
                                else
                                    delete message.nonce;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                message.query = $root.canopy.discovery.v1.Query.decode(reader, reader.size(), $undefined, _depth + 1, message.query);
                                message.msg = "query";
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                message.answer = $root.canopy.discovery.v1.Answer.decode(reader, reader.size(), $undefined, _depth + 1, message.answer);
                                message.msg = "answer";
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
                 * Creates a Datagram message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.discovery.v1.Datagram
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.discovery.v1.Datagram} Datagram
                 */
                Datagram.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.discovery.v1.Datagram)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.discovery.v1.Datagram: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.discovery.v1.Datagram();
                    if (object.version != null)
                        if ($Number(object.version) !== 0)
                            message.version = object.version >>> 0;
                    if (object.nodeId != null)
                        if (typeof object.nodeId !== "string" || object.nodeId.length)
                            message.nodeId = $String(object.nodeId);
                    if (object.parentId != null)
                        if (typeof object.parentId !== "string" || object.parentId.length)
                            message.parentId = $String(object.parentId);
                    if (object.parentInstance != null)
                        if (typeof object.parentInstance !== "string" || object.parentInstance.length)
                            message.parentInstance = $String(object.parentInstance);
                    if (object.sentMs != null)
                        if (!$Object.is($Number(object.sentMs), 0))
                            message.sentMs = $Number(object.sentMs);
                    if (object.linkUrl != null)
                        if (typeof object.linkUrl !== "string" || object.linkUrl.length)
                            message.linkUrl = $String(object.linkUrl);
                    if (object.nonce != null)
                        if (object.nonce.length)
                            if (typeof object.nonce === "string")
                                $util.base64.decode(object.nonce, message.nonce = $util.newBuffer($util.base64.length(object.nonce)), 0);
                            else if (object.nonce.length >= 0)
                                message.nonce = object.nonce;
                    if (object.query != null) {
                        if (!$util.isObject(object.query))
                            throw $TypeError(".canopy.discovery.v1.Datagram.query: object expected");
                        message.query = $root.canopy.discovery.v1.Query.fromObject(object.query, _depth + 1);
                    }
                    if (object.answer != null) {
                        if (!$util.isObject(object.answer))
                            throw $TypeError(".canopy.discovery.v1.Datagram.answer: object expected");
                        message.answer = $root.canopy.discovery.v1.Answer.fromObject(object.answer, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a Datagram message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.discovery.v1.Datagram
                 * @static
                 * @param {canopy.discovery.v1.Datagram} message Datagram
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Datagram.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.version = 0;
                        object.nodeId = "";
                        object.parentId = "";
                        object.parentInstance = "";
                        object.sentMs = 0;
                        object.linkUrl = "";
                        if (options.bytes === $String)
                            object.nonce = "";
                        else {
                            object.nonce = [];
                            if (options.bytes !== $Array)
                                object.nonce = $util.newBuffer(object.nonce);
                        }
                    }
                    if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                        object.version = message.version;
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId"))
                        object.nodeId = message.nodeId;
                    if (message.parentId != null && $Object.hasOwnProperty.call(message, "parentId"))
                        object.parentId = message.parentId;
                    if (message.parentInstance != null && $Object.hasOwnProperty.call(message, "parentInstance"))
                        object.parentInstance = message.parentInstance;
                    if (message.sentMs != null && $Object.hasOwnProperty.call(message, "sentMs"))
                        object.sentMs = options.json && !$isFinite(message.sentMs) ? $String(message.sentMs) : message.sentMs;
                    if (message.linkUrl != null && $Object.hasOwnProperty.call(message, "linkUrl"))
                        object.linkUrl = message.linkUrl;
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce"))
                        object.nonce = options.bytes === $String ? $util.base64.encode(message.nonce, 0, message.nonce.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.nonce) : message.nonce;
                    if (message.query != null && $Object.hasOwnProperty.call(message, "query")) {
                        object.query = $root.canopy.discovery.v1.Query.toObject(message.query, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "query";
                    }
                    if (message.answer != null && $Object.hasOwnProperty.call(message, "answer")) {
                        object.answer = $root.canopy.discovery.v1.Answer.toObject(message.answer, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "answer";
                    }
                    return object;
                };

                /**
                 * Converts this Datagram to JSON.
                 * @function toJSON
                 * @memberof canopy.discovery.v1.Datagram
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Datagram.prototype.toJSON = function() {
                    return Datagram.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Datagram
                 * @function getTypeUrl
                 * @memberof canopy.discovery.v1.Datagram
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Datagram.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.discovery.v1.Datagram";
                };

                return Datagram;
            })();

            v1.Query = (function() {

                /**
                 * Properties of a Query.
                 * @typedef {Object} canopy.discovery.v1.Query.$Properties
                 * @property {number|null} [queryId] Query queryId
                 * @property {string|null} [stream] Query stream
                 * @property {number|null} [startMs] Query startMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Query.
                 * @memberof canopy.discovery.v1
                 * @interface IQuery
                 * @augments canopy.discovery.v1.Query.$Properties
                 * @deprecated Use canopy.discovery.v1.Query.$Properties instead.
                 */

                /**
                 * Shape of a Query.
                 * @typedef {canopy.discovery.v1.Query.$Properties} canopy.discovery.v1.Query.$Shape
                 */

                /**
                 * Constructs a new Query.
                 * @memberof canopy.discovery.v1
                 * @classdesc Represents a Query.
                 * @constructor
                 * @param {canopy.discovery.v1.Query.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Query = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Query queryId.
                 * @member {number} queryId
                 * @memberof canopy.discovery.v1.Query
                 * @instance
                 */
                Query.prototype.queryId = 0;

                /**
                 * Query stream.
                 * @member {string} stream
                 * @memberof canopy.discovery.v1.Query
                 * @instance
                 */
                Query.prototype.stream = "";

                /**
                 * Query startMs.
                 * @member {number|null|undefined} startMs
                 * @memberof canopy.discovery.v1.Query
                 * @instance
                 */
                Query.prototype.startMs = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Query.prototype, "_startMs", {
                    get: $util.oneOfGetter($oneOfFields = ["startMs"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Query instance using the specified properties.
                 * @function create
                 * @memberof canopy.discovery.v1.Query
                 * @static
                 * @param {canopy.discovery.v1.Query.$Properties=} [properties] Properties to set
                 * @returns {canopy.discovery.v1.Query} Query instance
                 * @type {{
                 *   (properties: canopy.discovery.v1.Query.$Shape): canopy.discovery.v1.Query & canopy.discovery.v1.Query.$Shape;
                 *   (properties?: canopy.discovery.v1.Query.$Properties): canopy.discovery.v1.Query;
                 * }}
                 */
                Query.create = function(properties) {
                    return new Query(properties);
                };

                /**
                 * Encodes the specified Query message. Does not implicitly {@link canopy.discovery.v1.Query.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.discovery.v1.Query
                 * @static
                 * @param {canopy.discovery.v1.Query.$Properties} message Query message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Query.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.queryId != null && $Object.hasOwnProperty.call(message, "queryId") && message.queryId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.queryId);
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.stream);
                    if (message.startMs != null && $Object.hasOwnProperty.call(message, "startMs"))
                        writer.uint32(/* id 3, wireType 1 =*/25).double(message.startMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Query message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.discovery.v1.Query
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Query & canopy.discovery.v1.Query.$Shape} Query
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Query.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.discovery.v1.Query();
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
                                    message.queryId = value;
                                else
                                    delete message.queryId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.stream = value;
                                else
                                    delete message.stream;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 1)
                                    break;
                                message.startMs = reader.double();
                                message._startMs = "startMs";
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
                 * Creates a Query message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.discovery.v1.Query
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.discovery.v1.Query} Query
                 */
                Query.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.discovery.v1.Query)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.discovery.v1.Query: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.discovery.v1.Query();
                    if (object.queryId != null)
                        if ($Number(object.queryId) !== 0)
                            message.queryId = object.queryId >>> 0;
                    if (object.stream != null)
                        if (typeof object.stream !== "string" || object.stream.length)
                            message.stream = $String(object.stream);
                    if (object.startMs != null)
                        message.startMs = $Number(object.startMs);
                    return message;
                };

                /**
                 * Creates a plain object from a Query message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.discovery.v1.Query
                 * @static
                 * @param {canopy.discovery.v1.Query} message Query
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Query.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.queryId = 0;
                        object.stream = "";
                    }
                    if (message.queryId != null && $Object.hasOwnProperty.call(message, "queryId"))
                        object.queryId = message.queryId;
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        object.stream = message.stream;
                    if (message.startMs != null && $Object.hasOwnProperty.call(message, "startMs"))
                        object.startMs = options.json && !$isFinite(message.startMs) ? $String(message.startMs) : message.startMs;
                    return object;
                };

                /**
                 * Converts this Query to JSON.
                 * @function toJSON
                 * @memberof canopy.discovery.v1.Query
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Query.prototype.toJSON = function() {
                    return Query.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Query
                 * @function getTypeUrl
                 * @memberof canopy.discovery.v1.Query
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Query.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.discovery.v1.Query";
                };

                return Query;
            })();

            v1.Answer = (function() {

                /**
                 * Properties of an Answer.
                 * @typedef {Object} canopy.discovery.v1.Answer.$Properties
                 * @property {number|null} [queryId] Answer queryId
                 * @property {string|null} [stream] Answer stream
                 * @property {canopy.discovery.v1.Answer.State|null} [state] Answer state
                 * @property {Array.<string>|null} [via] Answer via
                 * @property {string|null} [to] Answer to
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Answer.
                 * @memberof canopy.discovery.v1
                 * @interface IAnswer
                 * @augments canopy.discovery.v1.Answer.$Properties
                 * @deprecated Use canopy.discovery.v1.Answer.$Properties instead.
                 */

                /**
                 * Shape of an Answer.
                 * @typedef {canopy.discovery.v1.Answer.$Properties} canopy.discovery.v1.Answer.$Shape
                 */

                /**
                 * Constructs a new Answer.
                 * @memberof canopy.discovery.v1
                 * @classdesc Represents an Answer.
                 * @constructor
                 * @param {canopy.discovery.v1.Answer.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Answer = function (properties) {
                    this.via = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Answer queryId.
                 * @member {number} queryId
                 * @memberof canopy.discovery.v1.Answer
                 * @instance
                 */
                Answer.prototype.queryId = 0;

                /**
                 * Answer stream.
                 * @member {string} stream
                 * @memberof canopy.discovery.v1.Answer
                 * @instance
                 */
                Answer.prototype.stream = "";

                /**
                 * Answer state.
                 * @member {canopy.discovery.v1.Answer.State} state
                 * @memberof canopy.discovery.v1.Answer
                 * @instance
                 */
                Answer.prototype.state = 0;

                /**
                 * Answer via.
                 * @member {Array.<string>} via
                 * @memberof canopy.discovery.v1.Answer
                 * @instance
                 */
                Answer.prototype.via = $util.emptyArray;

                /**
                 * Answer to.
                 * @member {string} to
                 * @memberof canopy.discovery.v1.Answer
                 * @instance
                 */
                Answer.prototype.to = "";

                /**
                 * Creates a new Answer instance using the specified properties.
                 * @function create
                 * @memberof canopy.discovery.v1.Answer
                 * @static
                 * @param {canopy.discovery.v1.Answer.$Properties=} [properties] Properties to set
                 * @returns {canopy.discovery.v1.Answer} Answer instance
                 * @type {{
                 *   (properties: canopy.discovery.v1.Answer.$Shape): canopy.discovery.v1.Answer & canopy.discovery.v1.Answer.$Shape;
                 *   (properties?: canopy.discovery.v1.Answer.$Properties): canopy.discovery.v1.Answer;
                 * }}
                 */
                Answer.create = function(properties) {
                    return new Answer(properties);
                };

                /**
                 * Encodes the specified Answer message. Does not implicitly {@link canopy.discovery.v1.Answer.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.discovery.v1.Answer
                 * @static
                 * @param {canopy.discovery.v1.Answer.$Properties} message Answer message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Answer.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.queryId != null && $Object.hasOwnProperty.call(message, "queryId") && message.queryId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.queryId);
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.stream);
                    if (message.state != null && $Object.hasOwnProperty.call(message, "state") && message.state !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).int32(message.state);
                    if (message.via != null && message.via.length)
                        for (let i = 0; i < message.via.length; ++i)
                            writer.uint32(/* id 4, wireType 2 =*/34).string(message.via[i]);
                    if (message.to != null && $Object.hasOwnProperty.call(message, "to") && message.to !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.to);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Answer message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.discovery.v1.Answer
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Answer & canopy.discovery.v1.Answer.$Shape} Answer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Answer.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.discovery.v1.Answer();
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
                                    message.queryId = value;
                                else
                                    delete message.queryId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.stream = value;
                                else
                                    delete message.stream;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.state = value;
                                else
                                    delete message.state;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.via && message.via.length))
                                    message.via = [];
                                message.via.push(reader.stringVerify());
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.to = value;
                                else
                                    delete message.to;
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
                 * Creates an Answer message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.discovery.v1.Answer
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.discovery.v1.Answer} Answer
                 */
                Answer.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.discovery.v1.Answer)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.discovery.v1.Answer: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.discovery.v1.Answer();
                    if (object.queryId != null)
                        if ($Number(object.queryId) !== 0)
                            message.queryId = object.queryId >>> 0;
                    if (object.stream != null)
                        if (typeof object.stream !== "string" || object.stream.length)
                            message.stream = $String(object.stream);
                    if (object.state !== 0 && (typeof object.state !== "string" || $root.canopy.discovery.v1.Answer.State[object.state] !== 0))
                        switch (object.state) {
                        case "STATE_UNSPECIFIED":
                        case 0:
                            message.state = 0;
                            break;
                        case "STATE_CARRYING":
                        case 1:
                            message.state = 1;
                            break;
                        case "STATE_FETCHING":
                        case 2:
                            message.state = 2;
                            break;
                        default:
                            if (typeof object.state === "number" && (object.state | 0) === object.state)
                                message.state = object.state;
                        }
                    if (object.via) {
                        if (!$Array.isArray(object.via))
                            throw $TypeError(".canopy.discovery.v1.Answer.via: array expected");
                        message.via = $Array(object.via.length);
                        for (let i = 0; i < object.via.length; ++i)
                            message.via[i] = $String(object.via[i]);
                    }
                    if (object.to != null)
                        if (typeof object.to !== "string" || object.to.length)
                            message.to = $String(object.to);
                    return message;
                };

                /**
                 * Creates a plain object from an Answer message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.discovery.v1.Answer
                 * @static
                 * @param {canopy.discovery.v1.Answer} message Answer
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Answer.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.via = [];
                    if (options.defaults) {
                        object.queryId = 0;
                        object.stream = "";
                        object.state = options.enums === $String ? "STATE_UNSPECIFIED" : 0;
                        object.to = "";
                    }
                    if (message.queryId != null && $Object.hasOwnProperty.call(message, "queryId"))
                        object.queryId = message.queryId;
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        object.stream = message.stream;
                    if (message.state != null && $Object.hasOwnProperty.call(message, "state"))
                        object.state = options.enums === $String ? $root.canopy.discovery.v1.Answer.State[message.state] === $undefined ? message.state : $root.canopy.discovery.v1.Answer.State[message.state] : message.state;
                    if (message.via && message.via.length) {
                        object.via = $Array(message.via.length);
                        for (let j = 0; j < message.via.length; ++j)
                            object.via[j] = message.via[j];
                    }
                    if (message.to != null && $Object.hasOwnProperty.call(message, "to"))
                        object.to = message.to;
                    return object;
                };

                /**
                 * Converts this Answer to JSON.
                 * @function toJSON
                 * @memberof canopy.discovery.v1.Answer
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Answer.prototype.toJSON = function() {
                    return Answer.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Answer
                 * @function getTypeUrl
                 * @memberof canopy.discovery.v1.Answer
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Answer.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.discovery.v1.Answer";
                };

                /**
                 * State enum.
                 * @name canopy.discovery.v1.Answer.State
                 * @enum {number}
                 * @property {number} STATE_UNSPECIFIED=0 STATE_UNSPECIFIED value
                 * @property {number} STATE_CARRYING=1 STATE_CARRYING value
                 * @property {number} STATE_FETCHING=2 STATE_FETCHING value
                 */
                Answer.State = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "STATE_UNSPECIFIED"] = 0;
                    values[valuesById[1] = "STATE_CARRYING"] = 1;
                    values[valuesById[2] = "STATE_FETCHING"] = 2;
                    return values;
                })();

                return Answer;
            })();

            return v1;
        })();

        return discovery;
    })();

    return canopy;
})();

export {
  $root as default
};
