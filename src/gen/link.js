/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Number = $util.global.Number, $isFinite = $util.global.isFinite, $Boolean = $util.global.Boolean, $Array = $util.global.Array;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const canopy = $root.canopy = (() => {

    /**
     * Namespace canopy.
     * @exports canopy
     * @namespace
     */
    const canopy = {};

    canopy.link = (function() {

        /**
         * Namespace link.
         * @memberof canopy
         * @namespace
         */
        const link = {};

        link.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof canopy.link
             * @namespace
             */
            const v1 = {};

            v1.Frame = (function() {

                /**
                 * Properties of a Frame.
                 * @typedef {Object} canopy.link.v1.Frame.$Properties
                 * @property {canopy.link.v1.Hello.$Properties|null} [hello] Frame hello
                 * @property {canopy.link.v1.Welcome.$Properties|null} [welcome] Frame welcome
                 * @property {canopy.link.v1.Subscribe.$Properties|null} [subscribe] Frame subscribe
                 * @property {canopy.link.v1.SubscribeOk.$Properties|null} [subscribeOk] Frame subscribeOk
                 * @property {canopy.link.v1.SubscribeError.$Properties|null} [subscribeError] Frame subscribeError
                 * @property {canopy.link.v1.Unsubscribe.$Properties|null} [unsubscribe] Frame unsubscribe
                 * @property {canopy.link.v1.Media.$Properties|null} [media] Frame media
                 * @property {canopy.link.v1.KeyframeRequest.$Properties|null} [keyframeRequest] Frame keyframeRequest
                 * @property {canopy.link.v1.StreamEnded.$Properties|null} [streamEnded] Frame streamEnded
                 * @property {canopy.link.v1.Ping.$Properties|null} [ping] Frame ping
                 * @property {canopy.link.v1.Pong.$Properties|null} [pong] Frame pong
                 * @property {"hello"|"welcome"|"subscribe"|"subscribeOk"|"subscribeError"|"unsubscribe"|"media"|"keyframeRequest"|"streamEnded"|"ping"|"pong"} [msg] Frame msg
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Frame.
                 * @memberof canopy.link.v1
                 * @interface IFrame
                 * @augments canopy.link.v1.Frame.$Properties
                 * @deprecated Use canopy.link.v1.Frame.$Properties instead.
                 */

                /**
                 * Narrowed shape of a Frame.
                 * @typedef {{
                 *   hello?: canopy.link.v1.Hello.$Shape|null;
                 *   welcome?: canopy.link.v1.Welcome.$Shape|null;
                 *   subscribe?: canopy.link.v1.Subscribe.$Shape|null;
                 *   subscribeOk?: canopy.link.v1.SubscribeOk.$Shape|null;
                 *   subscribeError?: canopy.link.v1.SubscribeError.$Shape|null;
                 *   unsubscribe?: canopy.link.v1.Unsubscribe.$Shape|null;
                 *   media?: canopy.link.v1.Media.$Shape|null;
                 *   keyframeRequest?: canopy.link.v1.KeyframeRequest.$Shape|null;
                 *   streamEnded?: canopy.link.v1.StreamEnded.$Shape|null;
                 *   ping?: canopy.link.v1.Ping.$Shape|null;
                 *   pong?: canopy.link.v1.Pong.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ msg?: undefined; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "hello"; hello: canopy.link.v1.Hello.$Shape; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "welcome"; hello?: null; welcome: canopy.link.v1.Welcome.$Shape; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "subscribe"; hello?: null; welcome?: null; subscribe: canopy.link.v1.Subscribe.$Shape; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "subscribeOk"; hello?: null; welcome?: null; subscribe?: null; subscribeOk: canopy.link.v1.SubscribeOk.$Shape; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "subscribeError"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError: canopy.link.v1.SubscribeError.$Shape; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "unsubscribe"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe: canopy.link.v1.Unsubscribe.$Shape; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "media"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media: canopy.link.v1.Media.$Shape; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "keyframeRequest"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest: canopy.link.v1.KeyframeRequest.$Shape; streamEnded?: null; ping?: null; pong?: null }|{ msg?: "streamEnded"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded: canopy.link.v1.StreamEnded.$Shape; ping?: null; pong?: null }|{ msg?: "ping"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping: canopy.link.v1.Ping.$Shape; pong?: null }|{ msg?: "pong"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong: canopy.link.v1.Pong.$Shape })
                 * )} canopy.link.v1.Frame.$Shape
                 */

                /**
                 * Constructs a new Frame.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Frame.
                 * @constructor
                 * @param {canopy.link.v1.Frame.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Frame = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Frame hello.
                 * @member {canopy.link.v1.Hello.$Properties|null|undefined} hello
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.hello = null;

                /**
                 * Frame welcome.
                 * @member {canopy.link.v1.Welcome.$Properties|null|undefined} welcome
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.welcome = null;

                /**
                 * Frame subscribe.
                 * @member {canopy.link.v1.Subscribe.$Properties|null|undefined} subscribe
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.subscribe = null;

                /**
                 * Frame subscribeOk.
                 * @member {canopy.link.v1.SubscribeOk.$Properties|null|undefined} subscribeOk
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.subscribeOk = null;

                /**
                 * Frame subscribeError.
                 * @member {canopy.link.v1.SubscribeError.$Properties|null|undefined} subscribeError
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.subscribeError = null;

                /**
                 * Frame unsubscribe.
                 * @member {canopy.link.v1.Unsubscribe.$Properties|null|undefined} unsubscribe
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.unsubscribe = null;

                /**
                 * Frame media.
                 * @member {canopy.link.v1.Media.$Properties|null|undefined} media
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.media = null;

                /**
                 * Frame keyframeRequest.
                 * @member {canopy.link.v1.KeyframeRequest.$Properties|null|undefined} keyframeRequest
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.keyframeRequest = null;

                /**
                 * Frame streamEnded.
                 * @member {canopy.link.v1.StreamEnded.$Properties|null|undefined} streamEnded
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.streamEnded = null;

                /**
                 * Frame ping.
                 * @member {canopy.link.v1.Ping.$Properties|null|undefined} ping
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.ping = null;

                /**
                 * Frame pong.
                 * @member {canopy.link.v1.Pong.$Properties|null|undefined} pong
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.pong = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * Frame msg.
                 * @member {"hello"|"welcome"|"subscribe"|"subscribeOk"|"subscribeError"|"unsubscribe"|"media"|"keyframeRequest"|"streamEnded"|"ping"|"pong"|undefined} msg
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                $Object.defineProperty(Frame.prototype, "msg", {
                    get: $util.oneOfGetter($oneOfFields = ["hello", "welcome", "subscribe", "subscribeOk", "subscribeError", "unsubscribe", "media", "keyframeRequest", "streamEnded", "ping", "pong"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Frame instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {canopy.link.v1.Frame.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Frame} Frame instance
                 * @type {{
                 *   (properties: canopy.link.v1.Frame.$Shape): canopy.link.v1.Frame & canopy.link.v1.Frame.$Shape;
                 *   (properties?: canopy.link.v1.Frame.$Properties): canopy.link.v1.Frame;
                 * }}
                 */
                Frame.create = function(properties) {
                    return new Frame(properties);
                };

                /**
                 * Encodes the specified Frame message. Does not implicitly {@link canopy.link.v1.Frame.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {canopy.link.v1.Frame.$Properties} m Frame message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Frame.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.hello != null && $Object.hasOwnProperty.call(m, "hello"))
                        $root.canopy.link.v1.Hello.encode(m.hello, w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                    if (m.welcome != null && $Object.hasOwnProperty.call(m, "welcome"))
                        $root.canopy.link.v1.Welcome.encode(m.welcome, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                    if (m.subscribe != null && $Object.hasOwnProperty.call(m, "subscribe"))
                        $root.canopy.link.v1.Subscribe.encode(m.subscribe, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                    if (m.subscribeOk != null && $Object.hasOwnProperty.call(m, "subscribeOk"))
                        $root.canopy.link.v1.SubscribeOk.encode(m.subscribeOk, w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                    if (m.subscribeError != null && $Object.hasOwnProperty.call(m, "subscribeError"))
                        $root.canopy.link.v1.SubscribeError.encode(m.subscribeError, w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                    if (m.unsubscribe != null && $Object.hasOwnProperty.call(m, "unsubscribe"))
                        $root.canopy.link.v1.Unsubscribe.encode(m.unsubscribe, w.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
                    if (m.media != null && $Object.hasOwnProperty.call(m, "media"))
                        $root.canopy.link.v1.Media.encode(m.media, w.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                    if (m.keyframeRequest != null && $Object.hasOwnProperty.call(m, "keyframeRequest"))
                        $root.canopy.link.v1.KeyframeRequest.encode(m.keyframeRequest, w.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                    if (m.streamEnded != null && $Object.hasOwnProperty.call(m, "streamEnded"))
                        $root.canopy.link.v1.StreamEnded.encode(m.streamEnded, w.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
                    if (m.ping != null && $Object.hasOwnProperty.call(m, "ping"))
                        $root.canopy.link.v1.Ping.encode(m.ping, w.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                    if (m.pong != null && $Object.hasOwnProperty.call(m, "pong"))
                        $root.canopy.link.v1.Pong.encode(m.pong, w.uint32(/* id 11, wireType 2 =*/90).fork(), q + 1).ldelim();
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Frame message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Frame & canopy.link.v1.Frame.$Shape} Frame
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Frame.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Frame();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                m.hello = $root.canopy.link.v1.Hello.decode(r, r.size(), $undefined, q + 1, m.hello);
                                m.msg = "hello";
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                m.welcome = $root.canopy.link.v1.Welcome.decode(r, r.size(), $undefined, q + 1, m.welcome);
                                m.msg = "welcome";
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                m.subscribe = $root.canopy.link.v1.Subscribe.decode(r, r.size(), $undefined, q + 1, m.subscribe);
                                m.msg = "subscribe";
                                continue;
                            }
                        case 4: {
                                if (u !== 2)
                                    break;
                                m.subscribeOk = $root.canopy.link.v1.SubscribeOk.decode(r, r.size(), $undefined, q + 1, m.subscribeOk);
                                m.msg = "subscribeOk";
                                continue;
                            }
                        case 5: {
                                if (u !== 2)
                                    break;
                                m.subscribeError = $root.canopy.link.v1.SubscribeError.decode(r, r.size(), $undefined, q + 1, m.subscribeError);
                                m.msg = "subscribeError";
                                continue;
                            }
                        case 6: {
                                if (u !== 2)
                                    break;
                                m.unsubscribe = $root.canopy.link.v1.Unsubscribe.decode(r, r.size(), $undefined, q + 1, m.unsubscribe);
                                m.msg = "unsubscribe";
                                continue;
                            }
                        case 7: {
                                if (u !== 2)
                                    break;
                                m.media = $root.canopy.link.v1.Media.decode(r, r.size(), $undefined, q + 1, m.media);
                                m.msg = "media";
                                continue;
                            }
                        case 8: {
                                if (u !== 2)
                                    break;
                                m.keyframeRequest = $root.canopy.link.v1.KeyframeRequest.decode(r, r.size(), $undefined, q + 1, m.keyframeRequest);
                                m.msg = "keyframeRequest";
                                continue;
                            }
                        case 9: {
                                if (u !== 2)
                                    break;
                                m.streamEnded = $root.canopy.link.v1.StreamEnded.decode(r, r.size(), $undefined, q + 1, m.streamEnded);
                                m.msg = "streamEnded";
                                continue;
                            }
                        case 10: {
                                if (u !== 2)
                                    break;
                                m.ping = $root.canopy.link.v1.Ping.decode(r, r.size(), $undefined, q + 1, m.ping);
                                m.msg = "ping";
                                continue;
                            }
                        case 11: {
                                if (u !== 2)
                                    break;
                                m.pong = $root.canopy.link.v1.Pong.decode(r, r.size(), $undefined, q + 1, m.pong);
                                m.msg = "pong";
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a Frame message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Frame} Frame
                 */
                Frame.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Frame)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Frame: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Frame();
                    if (d.hello != null) {
                        if (!$util.isObject(d.hello))
                            throw $TypeError(".canopy.link.v1.Frame.hello: object expected");
                        m.hello = $root.canopy.link.v1.Hello.fromObject(d.hello, q + 1);
                    }
                    if (d.welcome != null) {
                        if (!$util.isObject(d.welcome))
                            throw $TypeError(".canopy.link.v1.Frame.welcome: object expected");
                        m.welcome = $root.canopy.link.v1.Welcome.fromObject(d.welcome, q + 1);
                    }
                    if (d.subscribe != null) {
                        if (!$util.isObject(d.subscribe))
                            throw $TypeError(".canopy.link.v1.Frame.subscribe: object expected");
                        m.subscribe = $root.canopy.link.v1.Subscribe.fromObject(d.subscribe, q + 1);
                    }
                    if (d.subscribeOk != null) {
                        if (!$util.isObject(d.subscribeOk))
                            throw $TypeError(".canopy.link.v1.Frame.subscribeOk: object expected");
                        m.subscribeOk = $root.canopy.link.v1.SubscribeOk.fromObject(d.subscribeOk, q + 1);
                    }
                    if (d.subscribeError != null) {
                        if (!$util.isObject(d.subscribeError))
                            throw $TypeError(".canopy.link.v1.Frame.subscribeError: object expected");
                        m.subscribeError = $root.canopy.link.v1.SubscribeError.fromObject(d.subscribeError, q + 1);
                    }
                    if (d.unsubscribe != null) {
                        if (!$util.isObject(d.unsubscribe))
                            throw $TypeError(".canopy.link.v1.Frame.unsubscribe: object expected");
                        m.unsubscribe = $root.canopy.link.v1.Unsubscribe.fromObject(d.unsubscribe, q + 1);
                    }
                    if (d.media != null) {
                        if (!$util.isObject(d.media))
                            throw $TypeError(".canopy.link.v1.Frame.media: object expected");
                        m.media = $root.canopy.link.v1.Media.fromObject(d.media, q + 1);
                    }
                    if (d.keyframeRequest != null) {
                        if (!$util.isObject(d.keyframeRequest))
                            throw $TypeError(".canopy.link.v1.Frame.keyframeRequest: object expected");
                        m.keyframeRequest = $root.canopy.link.v1.KeyframeRequest.fromObject(d.keyframeRequest, q + 1);
                    }
                    if (d.streamEnded != null) {
                        if (!$util.isObject(d.streamEnded))
                            throw $TypeError(".canopy.link.v1.Frame.streamEnded: object expected");
                        m.streamEnded = $root.canopy.link.v1.StreamEnded.fromObject(d.streamEnded, q + 1);
                    }
                    if (d.ping != null) {
                        if (!$util.isObject(d.ping))
                            throw $TypeError(".canopy.link.v1.Frame.ping: object expected");
                        m.ping = $root.canopy.link.v1.Ping.fromObject(d.ping, q + 1);
                    }
                    if (d.pong != null) {
                        if (!$util.isObject(d.pong))
                            throw $TypeError(".canopy.link.v1.Frame.pong: object expected");
                        m.pong = $root.canopy.link.v1.Pong.fromObject(d.pong, q + 1);
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a Frame message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {canopy.link.v1.Frame} m Frame
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Frame.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (m.hello != null && $Object.hasOwnProperty.call(m, "hello")) {
                        d.hello = $root.canopy.link.v1.Hello.toObject(m.hello, o, q + 1);
                        if (o.oneofs)
                            d.msg = "hello";
                    }
                    if (m.welcome != null && $Object.hasOwnProperty.call(m, "welcome")) {
                        d.welcome = $root.canopy.link.v1.Welcome.toObject(m.welcome, o, q + 1);
                        if (o.oneofs)
                            d.msg = "welcome";
                    }
                    if (m.subscribe != null && $Object.hasOwnProperty.call(m, "subscribe")) {
                        d.subscribe = $root.canopy.link.v1.Subscribe.toObject(m.subscribe, o, q + 1);
                        if (o.oneofs)
                            d.msg = "subscribe";
                    }
                    if (m.subscribeOk != null && $Object.hasOwnProperty.call(m, "subscribeOk")) {
                        d.subscribeOk = $root.canopy.link.v1.SubscribeOk.toObject(m.subscribeOk, o, q + 1);
                        if (o.oneofs)
                            d.msg = "subscribeOk";
                    }
                    if (m.subscribeError != null && $Object.hasOwnProperty.call(m, "subscribeError")) {
                        d.subscribeError = $root.canopy.link.v1.SubscribeError.toObject(m.subscribeError, o, q + 1);
                        if (o.oneofs)
                            d.msg = "subscribeError";
                    }
                    if (m.unsubscribe != null && $Object.hasOwnProperty.call(m, "unsubscribe")) {
                        d.unsubscribe = $root.canopy.link.v1.Unsubscribe.toObject(m.unsubscribe, o, q + 1);
                        if (o.oneofs)
                            d.msg = "unsubscribe";
                    }
                    if (m.media != null && $Object.hasOwnProperty.call(m, "media")) {
                        d.media = $root.canopy.link.v1.Media.toObject(m.media, o, q + 1);
                        if (o.oneofs)
                            d.msg = "media";
                    }
                    if (m.keyframeRequest != null && $Object.hasOwnProperty.call(m, "keyframeRequest")) {
                        d.keyframeRequest = $root.canopy.link.v1.KeyframeRequest.toObject(m.keyframeRequest, o, q + 1);
                        if (o.oneofs)
                            d.msg = "keyframeRequest";
                    }
                    if (m.streamEnded != null && $Object.hasOwnProperty.call(m, "streamEnded")) {
                        d.streamEnded = $root.canopy.link.v1.StreamEnded.toObject(m.streamEnded, o, q + 1);
                        if (o.oneofs)
                            d.msg = "streamEnded";
                    }
                    if (m.ping != null && $Object.hasOwnProperty.call(m, "ping")) {
                        d.ping = $root.canopy.link.v1.Ping.toObject(m.ping, o, q + 1);
                        if (o.oneofs)
                            d.msg = "ping";
                    }
                    if (m.pong != null && $Object.hasOwnProperty.call(m, "pong")) {
                        d.pong = $root.canopy.link.v1.Pong.toObject(m.pong, o, q + 1);
                        if (o.oneofs)
                            d.msg = "pong";
                    }
                    return d;
                };

                /**
                 * Converts this Frame to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Frame.prototype.toJSON = function() {
                    return Frame.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Frame
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Frame.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Frame";
                };

                return Frame;
            })();

            v1.Hello = (function() {

                /**
                 * Properties of a Hello.
                 * @typedef {Object} canopy.link.v1.Hello.$Properties
                 * @property {string|null} [nodeId] Hello nodeId
                 * @property {number|null} [protocolVersion] Hello protocolVersion
                 * @property {string|null} [token] Hello token
                 * @property {number|null} [timestampMs] Hello timestampMs
                 * @property {canopy.link.v1.Hello.Role|null} [role] Hello role
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Hello.
                 * @memberof canopy.link.v1
                 * @interface IHello
                 * @augments canopy.link.v1.Hello.$Properties
                 * @deprecated Use canopy.link.v1.Hello.$Properties instead.
                 */

                /**
                 * Shape of a Hello.
                 * @typedef {canopy.link.v1.Hello.$Properties} canopy.link.v1.Hello.$Shape
                 */

                /**
                 * Constructs a new Hello.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Hello.
                 * @constructor
                 * @param {canopy.link.v1.Hello.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Hello = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Hello nodeId.
                 * @member {string} nodeId
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.nodeId = "";

                /**
                 * Hello protocolVersion.
                 * @member {number} protocolVersion
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.protocolVersion = 0;

                /**
                 * Hello token.
                 * @member {string} token
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.token = "";

                /**
                 * Hello timestampMs.
                 * @member {number} timestampMs
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.timestampMs = 0;

                /**
                 * Hello role.
                 * @member {canopy.link.v1.Hello.Role} role
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.role = 0;

                /**
                 * Creates a new Hello instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {canopy.link.v1.Hello.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Hello} Hello instance
                 * @type {{
                 *   (properties: canopy.link.v1.Hello.$Shape): canopy.link.v1.Hello & canopy.link.v1.Hello.$Shape;
                 *   (properties?: canopy.link.v1.Hello.$Properties): canopy.link.v1.Hello;
                 * }}
                 */
                Hello.create = function(properties) {
                    return new Hello(properties);
                };

                /**
                 * Encodes the specified Hello message. Does not implicitly {@link canopy.link.v1.Hello.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {canopy.link.v1.Hello.$Properties} m Hello message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Hello.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.nodeId != null && $Object.hasOwnProperty.call(m, "nodeId") && m.nodeId !== "")
                        w.uint32(/* id 1, wireType 2 =*/10).string(m.nodeId);
                    if (m.protocolVersion != null && $Object.hasOwnProperty.call(m, "protocolVersion") && m.protocolVersion !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.protocolVersion);
                    if (m.token != null && $Object.hasOwnProperty.call(m, "token") && m.token !== "")
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.token);
                    if (m.timestampMs != null && $Object.hasOwnProperty.call(m, "timestampMs") && !$Object.is(m.timestampMs, 0))
                        w.uint32(/* id 4, wireType 1 =*/33).double(m.timestampMs);
                    if (m.role != null && $Object.hasOwnProperty.call(m, "role") && m.role !== 0)
                        w.uint32(/* id 5, wireType 0 =*/40).int32(m.role);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Hello message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Hello & canopy.link.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Hello.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Hello();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.nodeId = v;
                                else
                                    delete m.nodeId;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.protocolVersion = v;
                                else
                                    delete m.protocolVersion;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.token = v;
                                else
                                    delete m.token;
                                continue;
                            }
                        case 4: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.timestampMs = v;
                                else
                                    delete m.timestampMs;
                                continue;
                            }
                        case 5: {
                                if (u !== 0)
                                    break;
                                if (v = r.int32())
                                    m.role = v;
                                else
                                    delete m.role;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a Hello message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Hello} Hello
                 */
                Hello.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Hello)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Hello: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Hello();
                    if (d.nodeId != null) {
                        if (typeof d.nodeId !== "string" || d.nodeId.length) {
                            m.nodeId = $String(d.nodeId);
                        }
                    }
                    if (d.protocolVersion != null) {
                        if ($Number(d.protocolVersion) !== 0) {
                            m.protocolVersion = d.protocolVersion >>> 0;
                        }
                    }
                    if (d.token != null) {
                        if (typeof d.token !== "string" || d.token.length) {
                            m.token = $String(d.token);
                        }
                    }
                    if (d.timestampMs != null) {
                        if (!$Object.is($Number(d.timestampMs), 0)) {
                            m.timestampMs = $Number(d.timestampMs);
                        }
                    }
                    if (d.role !== 0 && (typeof d.role !== "string" || $root.canopy.link.v1.Hello.Role[d.role] !== 0)) {
                        switch (d.role) {
                        case "ROLE_UNSPECIFIED":
                        case 0:
                            m.role = 0;
                            break;
                        case "ROLE_CHILD":
                        case 1:
                            m.role = 1;
                            break;
                        case "ROLE_SIBLING":
                        case 2:
                            m.role = 2;
                            break;
                        default:
                            if (typeof d.role === "number" && (d.role | 0) === d.role)
                                m.role = d.role;
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a Hello message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {canopy.link.v1.Hello} m Hello
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Hello.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.nodeId = "";
                        d.protocolVersion = 0;
                        d.token = "";
                        d.timestampMs = 0;
                        d.role = o.enums === $String ? "ROLE_UNSPECIFIED" : 0;
                    }
                    if (m.nodeId != null && $Object.hasOwnProperty.call(m, "nodeId")) {
                        d.nodeId = m.nodeId;
                    }
                    if (m.protocolVersion != null && $Object.hasOwnProperty.call(m, "protocolVersion")) {
                        d.protocolVersion = m.protocolVersion;
                    }
                    if (m.token != null && $Object.hasOwnProperty.call(m, "token")) {
                        d.token = m.token;
                    }
                    if (m.timestampMs != null && $Object.hasOwnProperty.call(m, "timestampMs")) {
                        d.timestampMs = o.json && !$isFinite(m.timestampMs) ? $String(m.timestampMs) : m.timestampMs;
                    }
                    if (m.role != null && $Object.hasOwnProperty.call(m, "role")) {
                        d.role = o.enums === $String ? $root.canopy.link.v1.Hello.Role[m.role] === $undefined ? m.role : $root.canopy.link.v1.Hello.Role[m.role] : m.role;
                    }
                    return d;
                };

                /**
                 * Converts this Hello to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Hello.prototype.toJSON = function() {
                    return Hello.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Hello
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Hello.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Hello";
                };

                /**
                 * Role enum.
                 * @name canopy.link.v1.Hello.Role
                 * @enum {number}
                 * @property {number} ROLE_UNSPECIFIED=0 ROLE_UNSPECIFIED value
                 * @property {number} ROLE_CHILD=1 ROLE_CHILD value
                 * @property {number} ROLE_SIBLING=2 ROLE_SIBLING value
                 */
                Hello.Role = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "ROLE_UNSPECIFIED"] = 0;
                    values[valuesById[1] = "ROLE_CHILD"] = 1;
                    values[valuesById[2] = "ROLE_SIBLING"] = 2;
                    return values;
                })();

                return Hello;
            })();

            v1.Welcome = (function() {

                /**
                 * Properties of a Welcome.
                 * @typedef {Object} canopy.link.v1.Welcome.$Properties
                 * @property {string|null} [nodeId] Welcome nodeId
                 * @property {number|null} [protocolVersion] Welcome protocolVersion
                 * @property {number|null} [level] Welcome level
                 * @property {number|null} [heartbeatMs] Welcome heartbeatMs
                 * @property {number|null} [maxFrameBytes] Welcome maxFrameBytes
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Welcome.
                 * @memberof canopy.link.v1
                 * @interface IWelcome
                 * @augments canopy.link.v1.Welcome.$Properties
                 * @deprecated Use canopy.link.v1.Welcome.$Properties instead.
                 */

                /**
                 * Shape of a Welcome.
                 * @typedef {canopy.link.v1.Welcome.$Properties} canopy.link.v1.Welcome.$Shape
                 */

                /**
                 * Constructs a new Welcome.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Welcome.
                 * @constructor
                 * @param {canopy.link.v1.Welcome.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Welcome = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Welcome nodeId.
                 * @member {string} nodeId
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.nodeId = "";

                /**
                 * Welcome protocolVersion.
                 * @member {number} protocolVersion
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.protocolVersion = 0;

                /**
                 * Welcome level.
                 * @member {number} level
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.level = 0;

                /**
                 * Welcome heartbeatMs.
                 * @member {number} heartbeatMs
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.heartbeatMs = 0;

                /**
                 * Welcome maxFrameBytes.
                 * @member {number} maxFrameBytes
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.maxFrameBytes = 0;

                /**
                 * Creates a new Welcome instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {canopy.link.v1.Welcome.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Welcome} Welcome instance
                 * @type {{
                 *   (properties: canopy.link.v1.Welcome.$Shape): canopy.link.v1.Welcome & canopy.link.v1.Welcome.$Shape;
                 *   (properties?: canopy.link.v1.Welcome.$Properties): canopy.link.v1.Welcome;
                 * }}
                 */
                Welcome.create = function(properties) {
                    return new Welcome(properties);
                };

                /**
                 * Encodes the specified Welcome message. Does not implicitly {@link canopy.link.v1.Welcome.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {canopy.link.v1.Welcome.$Properties} m Welcome message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Welcome.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.nodeId != null && $Object.hasOwnProperty.call(m, "nodeId") && m.nodeId !== "")
                        w.uint32(/* id 1, wireType 2 =*/10).string(m.nodeId);
                    if (m.protocolVersion != null && $Object.hasOwnProperty.call(m, "protocolVersion") && m.protocolVersion !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.protocolVersion);
                    if (m.level != null && $Object.hasOwnProperty.call(m, "level") && m.level !== 0)
                        w.uint32(/* id 3, wireType 0 =*/24).uint32(m.level);
                    if (m.heartbeatMs != null && $Object.hasOwnProperty.call(m, "heartbeatMs") && m.heartbeatMs !== 0)
                        w.uint32(/* id 4, wireType 0 =*/32).uint32(m.heartbeatMs);
                    if (m.maxFrameBytes != null && $Object.hasOwnProperty.call(m, "maxFrameBytes") && m.maxFrameBytes !== 0)
                        w.uint32(/* id 5, wireType 0 =*/40).uint32(m.maxFrameBytes);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Welcome message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Welcome & canopy.link.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Welcome.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Welcome();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.nodeId = v;
                                else
                                    delete m.nodeId;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.protocolVersion = v;
                                else
                                    delete m.protocolVersion;
                                continue;
                            }
                        case 3: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.level = v;
                                else
                                    delete m.level;
                                continue;
                            }
                        case 4: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.heartbeatMs = v;
                                else
                                    delete m.heartbeatMs;
                                continue;
                            }
                        case 5: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.maxFrameBytes = v;
                                else
                                    delete m.maxFrameBytes;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Welcome} Welcome
                 */
                Welcome.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Welcome)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Welcome: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Welcome();
                    if (d.nodeId != null) {
                        if (typeof d.nodeId !== "string" || d.nodeId.length) {
                            m.nodeId = $String(d.nodeId);
                        }
                    }
                    if (d.protocolVersion != null) {
                        if ($Number(d.protocolVersion) !== 0) {
                            m.protocolVersion = d.protocolVersion >>> 0;
                        }
                    }
                    if (d.level != null) {
                        if ($Number(d.level) !== 0) {
                            m.level = d.level >>> 0;
                        }
                    }
                    if (d.heartbeatMs != null) {
                        if ($Number(d.heartbeatMs) !== 0) {
                            m.heartbeatMs = d.heartbeatMs >>> 0;
                        }
                    }
                    if (d.maxFrameBytes != null) {
                        if ($Number(d.maxFrameBytes) !== 0) {
                            m.maxFrameBytes = d.maxFrameBytes >>> 0;
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a Welcome message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {canopy.link.v1.Welcome} m Welcome
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Welcome.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.nodeId = "";
                        d.protocolVersion = 0;
                        d.level = 0;
                        d.heartbeatMs = 0;
                        d.maxFrameBytes = 0;
                    }
                    if (m.nodeId != null && $Object.hasOwnProperty.call(m, "nodeId")) {
                        d.nodeId = m.nodeId;
                    }
                    if (m.protocolVersion != null && $Object.hasOwnProperty.call(m, "protocolVersion")) {
                        d.protocolVersion = m.protocolVersion;
                    }
                    if (m.level != null && $Object.hasOwnProperty.call(m, "level")) {
                        d.level = m.level;
                    }
                    if (m.heartbeatMs != null && $Object.hasOwnProperty.call(m, "heartbeatMs")) {
                        d.heartbeatMs = m.heartbeatMs;
                    }
                    if (m.maxFrameBytes != null && $Object.hasOwnProperty.call(m, "maxFrameBytes")) {
                        d.maxFrameBytes = m.maxFrameBytes;
                    }
                    return d;
                };

                /**
                 * Converts this Welcome to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Welcome.prototype.toJSON = function() {
                    return Welcome.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Welcome
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Welcome.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Welcome";
                };

                return Welcome;
            })();

            v1.Subscribe = (function() {

                /**
                 * Properties of a Subscribe.
                 * @typedef {Object} canopy.link.v1.Subscribe.$Properties
                 * @property {number|null} [subId] Subscribe subId
                 * @property {string|null} [stream] Subscribe stream
                 * @property {number|null} [startMs] Subscribe startMs
                 * @property {boolean|null} [bypass] Subscribe bypass
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Subscribe.
                 * @memberof canopy.link.v1
                 * @interface ISubscribe
                 * @augments canopy.link.v1.Subscribe.$Properties
                 * @deprecated Use canopy.link.v1.Subscribe.$Properties instead.
                 */

                /**
                 * Shape of a Subscribe.
                 * @typedef {canopy.link.v1.Subscribe.$Properties} canopy.link.v1.Subscribe.$Shape
                 */

                /**
                 * Constructs a new Subscribe.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Subscribe.
                 * @constructor
                 * @param {canopy.link.v1.Subscribe.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Subscribe = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Subscribe subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.Subscribe
                 * @instance
                 */
                Subscribe.prototype.subId = 0;

                /**
                 * Subscribe stream.
                 * @member {string} stream
                 * @memberof canopy.link.v1.Subscribe
                 * @instance
                 */
                Subscribe.prototype.stream = "";

                /**
                 * Subscribe startMs.
                 * @member {number|null|undefined} startMs
                 * @memberof canopy.link.v1.Subscribe
                 * @instance
                 */
                Subscribe.prototype.startMs = null;

                /**
                 * Subscribe bypass.
                 * @member {boolean} bypass
                 * @memberof canopy.link.v1.Subscribe
                 * @instance
                 */
                Subscribe.prototype.bypass = false;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Subscribe.prototype, "_startMs", {
                    get: $util.oneOfGetter($oneOfFields = ["startMs"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Subscribe instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {canopy.link.v1.Subscribe.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Subscribe} Subscribe instance
                 * @type {{
                 *   (properties: canopy.link.v1.Subscribe.$Shape): canopy.link.v1.Subscribe & canopy.link.v1.Subscribe.$Shape;
                 *   (properties?: canopy.link.v1.Subscribe.$Properties): canopy.link.v1.Subscribe;
                 * }}
                 */
                Subscribe.create = function(properties) {
                    return new Subscribe(properties);
                };

                /**
                 * Encodes the specified Subscribe message. Does not implicitly {@link canopy.link.v1.Subscribe.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {canopy.link.v1.Subscribe.$Properties} m Subscribe message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Subscribe.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId") && m.subId !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.subId);
                    if (m.stream != null && $Object.hasOwnProperty.call(m, "stream") && m.stream !== "")
                        w.uint32(/* id 2, wireType 2 =*/18).string(m.stream);
                    if (m.startMs != null && $Object.hasOwnProperty.call(m, "startMs"))
                        w.uint32(/* id 3, wireType 1 =*/25).double(m.startMs);
                    if (m.bypass != null && $Object.hasOwnProperty.call(m, "bypass") && m.bypass !== false)
                        w.uint32(/* id 4, wireType 0 =*/32).bool(m.bypass);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Subscribe message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Subscribe & canopy.link.v1.Subscribe.$Shape} Subscribe
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Subscribe.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Subscribe();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.subId = v;
                                else
                                    delete m.subId;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.stream = v;
                                else
                                    delete m.stream;
                                continue;
                            }
                        case 3: {
                                if (u !== 1)
                                    break;
                                m.startMs = r.double();
                                m._startMs = "startMs";
                                continue;
                            }
                        case 4: {
                                if (u !== 0)
                                    break;
                                if (v = r.bool())
                                    m.bypass = v;
                                else
                                    delete m.bypass;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a Subscribe message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Subscribe} Subscribe
                 */
                Subscribe.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Subscribe)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Subscribe: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Subscribe();
                    if (d.subId != null) {
                        if ($Number(d.subId) !== 0) {
                            m.subId = d.subId >>> 0;
                        }
                    }
                    if (d.stream != null) {
                        if (typeof d.stream !== "string" || d.stream.length) {
                            m.stream = $String(d.stream);
                        }
                    }
                    if (d.startMs != null) {
                        m.startMs = $Number(d.startMs);
                    }
                    if (d.bypass != null) {
                        if (d.bypass) {
                            m.bypass = $Boolean(d.bypass);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a Subscribe message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {canopy.link.v1.Subscribe} m Subscribe
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Subscribe.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.subId = 0;
                        d.stream = "";
                        d.bypass = false;
                    }
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId")) {
                        d.subId = m.subId;
                    }
                    if (m.stream != null && $Object.hasOwnProperty.call(m, "stream")) {
                        d.stream = m.stream;
                    }
                    if (m.startMs != null && $Object.hasOwnProperty.call(m, "startMs")) {
                        d.startMs = o.json && !$isFinite(m.startMs) ? $String(m.startMs) : m.startMs;
                    }
                    if (m.bypass != null && $Object.hasOwnProperty.call(m, "bypass")) {
                        d.bypass = m.bypass;
                    }
                    return d;
                };

                /**
                 * Converts this Subscribe to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Subscribe
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Subscribe.prototype.toJSON = function() {
                    return Subscribe.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Subscribe
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Subscribe.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Subscribe";
                };

                return Subscribe;
            })();

            v1.TrackInfo = (function() {

                /**
                 * Properties of a TrackInfo.
                 * @typedef {Object} canopy.link.v1.TrackInfo.$Properties
                 * @property {number|null} [id] TrackInfo id
                 * @property {canopy.link.v1.TrackInfo.Kind|null} [kind] TrackInfo kind
                 * @property {string|null} [codec] TrackInfo codec
                 * @property {number|null} [payloadType] TrackInfo payloadType
                 * @property {number|null} [clockRate] TrackInfo clockRate
                 * @property {number|null} [channels] TrackInfo channels
                 * @property {string|null} [fmtp] TrackInfo fmtp
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a TrackInfo.
                 * @memberof canopy.link.v1
                 * @interface ITrackInfo
                 * @augments canopy.link.v1.TrackInfo.$Properties
                 * @deprecated Use canopy.link.v1.TrackInfo.$Properties instead.
                 */

                /**
                 * Shape of a TrackInfo.
                 * @typedef {canopy.link.v1.TrackInfo.$Properties} canopy.link.v1.TrackInfo.$Shape
                 */

                /**
                 * Constructs a new TrackInfo.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a TrackInfo.
                 * @constructor
                 * @param {canopy.link.v1.TrackInfo.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const TrackInfo = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * TrackInfo id.
                 * @member {number} id
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.id = 0;

                /**
                 * TrackInfo kind.
                 * @member {canopy.link.v1.TrackInfo.Kind} kind
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.kind = 0;

                /**
                 * TrackInfo codec.
                 * @member {string} codec
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.codec = "";

                /**
                 * TrackInfo payloadType.
                 * @member {number} payloadType
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.payloadType = 0;

                /**
                 * TrackInfo clockRate.
                 * @member {number} clockRate
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.clockRate = 0;

                /**
                 * TrackInfo channels.
                 * @member {number} channels
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.channels = 0;

                /**
                 * TrackInfo fmtp.
                 * @member {string} fmtp
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.fmtp = "";

                /**
                 * Creates a new TrackInfo instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {canopy.link.v1.TrackInfo.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.TrackInfo} TrackInfo instance
                 * @type {{
                 *   (properties: canopy.link.v1.TrackInfo.$Shape): canopy.link.v1.TrackInfo & canopy.link.v1.TrackInfo.$Shape;
                 *   (properties?: canopy.link.v1.TrackInfo.$Properties): canopy.link.v1.TrackInfo;
                 * }}
                 */
                TrackInfo.create = function(properties) {
                    return new TrackInfo(properties);
                };

                /**
                 * Encodes the specified TrackInfo message. Does not implicitly {@link canopy.link.v1.TrackInfo.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {canopy.link.v1.TrackInfo.$Properties} m TrackInfo message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TrackInfo.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.id);
                    if (m.kind != null && $Object.hasOwnProperty.call(m, "kind") && m.kind !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).int32(m.kind);
                    if (m.codec != null && $Object.hasOwnProperty.call(m, "codec") && m.codec !== "")
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.codec);
                    if (m.payloadType != null && $Object.hasOwnProperty.call(m, "payloadType") && m.payloadType !== 0)
                        w.uint32(/* id 4, wireType 0 =*/32).uint32(m.payloadType);
                    if (m.clockRate != null && $Object.hasOwnProperty.call(m, "clockRate") && m.clockRate !== 0)
                        w.uint32(/* id 5, wireType 0 =*/40).uint32(m.clockRate);
                    if (m.channels != null && $Object.hasOwnProperty.call(m, "channels") && m.channels !== 0)
                        w.uint32(/* id 6, wireType 0 =*/48).uint32(m.channels);
                    if (m.fmtp != null && $Object.hasOwnProperty.call(m, "fmtp") && m.fmtp !== "")
                        w.uint32(/* id 7, wireType 2 =*/58).string(m.fmtp);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a TrackInfo message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.TrackInfo & canopy.link.v1.TrackInfo.$Shape} TrackInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TrackInfo.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.TrackInfo();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.id = v;
                                else
                                    delete m.id;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.int32())
                                    m.kind = v;
                                else
                                    delete m.kind;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.codec = v;
                                else
                                    delete m.codec;
                                continue;
                            }
                        case 4: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.payloadType = v;
                                else
                                    delete m.payloadType;
                                continue;
                            }
                        case 5: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.clockRate = v;
                                else
                                    delete m.clockRate;
                                continue;
                            }
                        case 6: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.channels = v;
                                else
                                    delete m.channels;
                                continue;
                            }
                        case 7: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.fmtp = v;
                                else
                                    delete m.fmtp;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a TrackInfo message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.TrackInfo} TrackInfo
                 */
                TrackInfo.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.TrackInfo)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.TrackInfo: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.TrackInfo();
                    if (d.id != null) {
                        if ($Number(d.id) !== 0) {
                            m.id = d.id >>> 0;
                        }
                    }
                    if (d.kind !== 0 && (typeof d.kind !== "string" || $root.canopy.link.v1.TrackInfo.Kind[d.kind] !== 0)) {
                        switch (d.kind) {
                        case "KIND_UNSPECIFIED":
                        case 0:
                            m.kind = 0;
                            break;
                        case "KIND_AUDIO":
                        case 1:
                            m.kind = 1;
                            break;
                        case "KIND_VIDEO":
                        case 2:
                            m.kind = 2;
                            break;
                        default:
                            if (typeof d.kind === "number" && (d.kind | 0) === d.kind)
                                m.kind = d.kind;
                        }
                    }
                    if (d.codec != null) {
                        if (typeof d.codec !== "string" || d.codec.length) {
                            m.codec = $String(d.codec);
                        }
                    }
                    if (d.payloadType != null) {
                        if ($Number(d.payloadType) !== 0) {
                            m.payloadType = d.payloadType >>> 0;
                        }
                    }
                    if (d.clockRate != null) {
                        if ($Number(d.clockRate) !== 0) {
                            m.clockRate = d.clockRate >>> 0;
                        }
                    }
                    if (d.channels != null) {
                        if ($Number(d.channels) !== 0) {
                            m.channels = d.channels >>> 0;
                        }
                    }
                    if (d.fmtp != null) {
                        if (typeof d.fmtp !== "string" || d.fmtp.length) {
                            m.fmtp = $String(d.fmtp);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a TrackInfo message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {canopy.link.v1.TrackInfo} m TrackInfo
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                TrackInfo.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.id = 0;
                        d.kind = o.enums === $String ? "KIND_UNSPECIFIED" : 0;
                        d.codec = "";
                        d.payloadType = 0;
                        d.clockRate = 0;
                        d.channels = 0;
                        d.fmtp = "";
                    }
                    if (m.id != null && $Object.hasOwnProperty.call(m, "id")) {
                        d.id = m.id;
                    }
                    if (m.kind != null && $Object.hasOwnProperty.call(m, "kind")) {
                        d.kind = o.enums === $String ? $root.canopy.link.v1.TrackInfo.Kind[m.kind] === $undefined ? m.kind : $root.canopy.link.v1.TrackInfo.Kind[m.kind] : m.kind;
                    }
                    if (m.codec != null && $Object.hasOwnProperty.call(m, "codec")) {
                        d.codec = m.codec;
                    }
                    if (m.payloadType != null && $Object.hasOwnProperty.call(m, "payloadType")) {
                        d.payloadType = m.payloadType;
                    }
                    if (m.clockRate != null && $Object.hasOwnProperty.call(m, "clockRate")) {
                        d.clockRate = m.clockRate;
                    }
                    if (m.channels != null && $Object.hasOwnProperty.call(m, "channels")) {
                        d.channels = m.channels;
                    }
                    if (m.fmtp != null && $Object.hasOwnProperty.call(m, "fmtp")) {
                        d.fmtp = m.fmtp;
                    }
                    return d;
                };

                /**
                 * Converts this TrackInfo to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                TrackInfo.prototype.toJSON = function() {
                    return TrackInfo.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for TrackInfo
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                TrackInfo.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.TrackInfo";
                };

                /**
                 * Kind enum.
                 * @name canopy.link.v1.TrackInfo.Kind
                 * @enum {number}
                 * @property {number} KIND_UNSPECIFIED=0 KIND_UNSPECIFIED value
                 * @property {number} KIND_AUDIO=1 KIND_AUDIO value
                 * @property {number} KIND_VIDEO=2 KIND_VIDEO value
                 */
                TrackInfo.Kind = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "KIND_UNSPECIFIED"] = 0;
                    values[valuesById[1] = "KIND_AUDIO"] = 1;
                    values[valuesById[2] = "KIND_VIDEO"] = 2;
                    return values;
                })();

                return TrackInfo;
            })();

            v1.StreamInfo = (function() {

                /**
                 * Properties of a StreamInfo.
                 * @typedef {Object} canopy.link.v1.StreamInfo.$Properties
                 * @property {string|null} [name] StreamInfo name
                 * @property {number|null} [createdMs] StreamInfo createdMs
                 * @property {Array.<canopy.link.v1.TrackInfo.$Properties>|null} [tracks] StreamInfo tracks
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a StreamInfo.
                 * @memberof canopy.link.v1
                 * @interface IStreamInfo
                 * @augments canopy.link.v1.StreamInfo.$Properties
                 * @deprecated Use canopy.link.v1.StreamInfo.$Properties instead.
                 */

                /**
                 * Shape of a StreamInfo.
                 * @typedef {canopy.link.v1.StreamInfo.$Properties} canopy.link.v1.StreamInfo.$Shape
                 */

                /**
                 * Constructs a new StreamInfo.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a StreamInfo.
                 * @constructor
                 * @param {canopy.link.v1.StreamInfo.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const StreamInfo = function (p) {
                    this.tracks = [];
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * StreamInfo name.
                 * @member {string} name
                 * @memberof canopy.link.v1.StreamInfo
                 * @instance
                 */
                StreamInfo.prototype.name = "";

                /**
                 * StreamInfo createdMs.
                 * @member {number} createdMs
                 * @memberof canopy.link.v1.StreamInfo
                 * @instance
                 */
                StreamInfo.prototype.createdMs = 0;

                /**
                 * StreamInfo tracks.
                 * @member {Array.<canopy.link.v1.TrackInfo.$Properties>} tracks
                 * @memberof canopy.link.v1.StreamInfo
                 * @instance
                 */
                StreamInfo.prototype.tracks = $util.emptyArray;

                /**
                 * Creates a new StreamInfo instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {canopy.link.v1.StreamInfo.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.StreamInfo} StreamInfo instance
                 * @type {{
                 *   (properties: canopy.link.v1.StreamInfo.$Shape): canopy.link.v1.StreamInfo & canopy.link.v1.StreamInfo.$Shape;
                 *   (properties?: canopy.link.v1.StreamInfo.$Properties): canopy.link.v1.StreamInfo;
                 * }}
                 */
                StreamInfo.create = function(properties) {
                    return new StreamInfo(properties);
                };

                /**
                 * Encodes the specified StreamInfo message. Does not implicitly {@link canopy.link.v1.StreamInfo.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {canopy.link.v1.StreamInfo.$Properties} m StreamInfo message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                StreamInfo.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.name != null && $Object.hasOwnProperty.call(m, "name") && m.name !== "")
                        w.uint32(/* id 1, wireType 2 =*/10).string(m.name);
                    if (m.createdMs != null && $Object.hasOwnProperty.call(m, "createdMs") && !$Object.is(m.createdMs, 0))
                        w.uint32(/* id 2, wireType 1 =*/17).double(m.createdMs);
                    if (m.tracks != null && m.tracks.length) {
                        for (var i = 0; i < m.tracks.length; ++i)
                            $root.canopy.link.v1.TrackInfo.encode(m.tracks[i], w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                    }
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a StreamInfo message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.StreamInfo & canopy.link.v1.StreamInfo.$Shape} StreamInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                StreamInfo.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.StreamInfo();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.name = v;
                                else
                                    delete m.name;
                                continue;
                            }
                        case 2: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.createdMs = v;
                                else
                                    delete m.createdMs;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if (!(m.tracks && m.tracks.length))
                                    m.tracks = [];
                                m.tracks.push($root.canopy.link.v1.TrackInfo.decode(r, r.size(), $undefined, q + 1));
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a StreamInfo message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.StreamInfo} StreamInfo
                 */
                StreamInfo.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.StreamInfo)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.StreamInfo: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.StreamInfo();
                    if (d.name != null) {
                        if (typeof d.name !== "string" || d.name.length) {
                            m.name = $String(d.name);
                        }
                    }
                    if (d.createdMs != null) {
                        if (!$Object.is($Number(d.createdMs), 0)) {
                            m.createdMs = $Number(d.createdMs);
                        }
                    }
                    if (d.tracks) {
                        if (!$Array.isArray(d.tracks))
                            throw $TypeError(".canopy.link.v1.StreamInfo.tracks: array expected");
                        m.tracks = $Array(d.tracks.length);
                        for (var i = 0; i < d.tracks.length; ++i) {
                            if (!$util.isObject(d.tracks[i]))
                                throw $TypeError(".canopy.link.v1.StreamInfo.tracks: object expected");
                            m.tracks[i] = $root.canopy.link.v1.TrackInfo.fromObject(d.tracks[i], q + 1);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a StreamInfo message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {canopy.link.v1.StreamInfo} m StreamInfo
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                StreamInfo.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.arrays || o.defaults) {
                        d.tracks = [];
                    }
                    if (o.defaults) {
                        d.name = "";
                        d.createdMs = 0;
                    }
                    if (m.name != null && $Object.hasOwnProperty.call(m, "name")) {
                        d.name = m.name;
                    }
                    if (m.createdMs != null && $Object.hasOwnProperty.call(m, "createdMs")) {
                        d.createdMs = o.json && !$isFinite(m.createdMs) ? $String(m.createdMs) : m.createdMs;
                    }
                    if (m.tracks && m.tracks.length) {
                        d.tracks = $Array(m.tracks.length);
                        for (var j = 0; j < m.tracks.length; ++j) {
                            d.tracks[j] = $root.canopy.link.v1.TrackInfo.toObject(m.tracks[j], o, q + 1);
                        }
                    }
                    return d;
                };

                /**
                 * Converts this StreamInfo to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.StreamInfo
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                StreamInfo.prototype.toJSON = function() {
                    return StreamInfo.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for StreamInfo
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                StreamInfo.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.StreamInfo";
                };

                return StreamInfo;
            })();

            v1.SubscribeOk = (function() {

                /**
                 * Properties of a SubscribeOk.
                 * @typedef {Object} canopy.link.v1.SubscribeOk.$Properties
                 * @property {number|null} [subId] SubscribeOk subId
                 * @property {canopy.link.v1.StreamInfo.$Properties|null} [info] SubscribeOk info
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a SubscribeOk.
                 * @memberof canopy.link.v1
                 * @interface ISubscribeOk
                 * @augments canopy.link.v1.SubscribeOk.$Properties
                 * @deprecated Use canopy.link.v1.SubscribeOk.$Properties instead.
                 */

                /**
                 * Shape of a SubscribeOk.
                 * @typedef {canopy.link.v1.SubscribeOk.$Properties} canopy.link.v1.SubscribeOk.$Shape
                 */

                /**
                 * Constructs a new SubscribeOk.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a SubscribeOk.
                 * @constructor
                 * @param {canopy.link.v1.SubscribeOk.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const SubscribeOk = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * SubscribeOk subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.SubscribeOk
                 * @instance
                 */
                SubscribeOk.prototype.subId = 0;

                /**
                 * SubscribeOk info.
                 * @member {canopy.link.v1.StreamInfo.$Properties|null|undefined} info
                 * @memberof canopy.link.v1.SubscribeOk
                 * @instance
                 */
                SubscribeOk.prototype.info = null;

                /**
                 * Creates a new SubscribeOk instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {canopy.link.v1.SubscribeOk.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.SubscribeOk} SubscribeOk instance
                 * @type {{
                 *   (properties: canopy.link.v1.SubscribeOk.$Shape): canopy.link.v1.SubscribeOk & canopy.link.v1.SubscribeOk.$Shape;
                 *   (properties?: canopy.link.v1.SubscribeOk.$Properties): canopy.link.v1.SubscribeOk;
                 * }}
                 */
                SubscribeOk.create = function(properties) {
                    return new SubscribeOk(properties);
                };

                /**
                 * Encodes the specified SubscribeOk message. Does not implicitly {@link canopy.link.v1.SubscribeOk.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {canopy.link.v1.SubscribeOk.$Properties} m SubscribeOk message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SubscribeOk.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId") && m.subId !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.subId);
                    if (m.info != null && $Object.hasOwnProperty.call(m, "info"))
                        $root.canopy.link.v1.StreamInfo.encode(m.info, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a SubscribeOk message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeOk & canopy.link.v1.SubscribeOk.$Shape} SubscribeOk
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SubscribeOk.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.SubscribeOk();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.subId = v;
                                else
                                    delete m.subId;
                                continue;
                            }
                        case 2: {
                                if (u !== 2)
                                    break;
                                m.info = $root.canopy.link.v1.StreamInfo.decode(r, r.size(), $undefined, q + 1, m.info);
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a SubscribeOk message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.SubscribeOk} SubscribeOk
                 */
                SubscribeOk.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.SubscribeOk)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.SubscribeOk: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.SubscribeOk();
                    if (d.subId != null) {
                        if ($Number(d.subId) !== 0) {
                            m.subId = d.subId >>> 0;
                        }
                    }
                    if (d.info != null) {
                        if (!$util.isObject(d.info))
                            throw $TypeError(".canopy.link.v1.SubscribeOk.info: object expected");
                        m.info = $root.canopy.link.v1.StreamInfo.fromObject(d.info, q + 1);
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a SubscribeOk message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {canopy.link.v1.SubscribeOk} m SubscribeOk
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                SubscribeOk.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.subId = 0;
                        d.info = null;
                    }
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId")) {
                        d.subId = m.subId;
                    }
                    if (m.info != null && $Object.hasOwnProperty.call(m, "info")) {
                        d.info = $root.canopy.link.v1.StreamInfo.toObject(m.info, o, q + 1);
                    }
                    return d;
                };

                /**
                 * Converts this SubscribeOk to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.SubscribeOk
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                SubscribeOk.prototype.toJSON = function() {
                    return SubscribeOk.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for SubscribeOk
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                SubscribeOk.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.SubscribeOk";
                };

                return SubscribeOk;
            })();

            v1.SubscribeError = (function() {

                /**
                 * Properties of a SubscribeError.
                 * @typedef {Object} canopy.link.v1.SubscribeError.$Properties
                 * @property {number|null} [subId] SubscribeError subId
                 * @property {number|null} [code] SubscribeError code
                 * @property {string|null} [reason] SubscribeError reason
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a SubscribeError.
                 * @memberof canopy.link.v1
                 * @interface ISubscribeError
                 * @augments canopy.link.v1.SubscribeError.$Properties
                 * @deprecated Use canopy.link.v1.SubscribeError.$Properties instead.
                 */

                /**
                 * Shape of a SubscribeError.
                 * @typedef {canopy.link.v1.SubscribeError.$Properties} canopy.link.v1.SubscribeError.$Shape
                 */

                /**
                 * Constructs a new SubscribeError.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a SubscribeError.
                 * @constructor
                 * @param {canopy.link.v1.SubscribeError.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const SubscribeError = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * SubscribeError subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.SubscribeError
                 * @instance
                 */
                SubscribeError.prototype.subId = 0;

                /**
                 * SubscribeError code.
                 * @member {number} code
                 * @memberof canopy.link.v1.SubscribeError
                 * @instance
                 */
                SubscribeError.prototype.code = 0;

                /**
                 * SubscribeError reason.
                 * @member {string} reason
                 * @memberof canopy.link.v1.SubscribeError
                 * @instance
                 */
                SubscribeError.prototype.reason = "";

                /**
                 * Creates a new SubscribeError instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {canopy.link.v1.SubscribeError.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.SubscribeError} SubscribeError instance
                 * @type {{
                 *   (properties: canopy.link.v1.SubscribeError.$Shape): canopy.link.v1.SubscribeError & canopy.link.v1.SubscribeError.$Shape;
                 *   (properties?: canopy.link.v1.SubscribeError.$Properties): canopy.link.v1.SubscribeError;
                 * }}
                 */
                SubscribeError.create = function(properties) {
                    return new SubscribeError(properties);
                };

                /**
                 * Encodes the specified SubscribeError message. Does not implicitly {@link canopy.link.v1.SubscribeError.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {canopy.link.v1.SubscribeError.$Properties} m SubscribeError message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SubscribeError.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId") && m.subId !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.subId);
                    if (m.code != null && $Object.hasOwnProperty.call(m, "code") && m.code !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.code);
                    if (m.reason != null && $Object.hasOwnProperty.call(m, "reason") && m.reason !== "")
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.reason);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a SubscribeError message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeError & canopy.link.v1.SubscribeError.$Shape} SubscribeError
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SubscribeError.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.SubscribeError();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.subId = v;
                                else
                                    delete m.subId;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.code = v;
                                else
                                    delete m.code;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.reason = v;
                                else
                                    delete m.reason;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a SubscribeError message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.SubscribeError} SubscribeError
                 */
                SubscribeError.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.SubscribeError)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.SubscribeError: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.SubscribeError();
                    if (d.subId != null) {
                        if ($Number(d.subId) !== 0) {
                            m.subId = d.subId >>> 0;
                        }
                    }
                    if (d.code != null) {
                        if ($Number(d.code) !== 0) {
                            m.code = d.code >>> 0;
                        }
                    }
                    if (d.reason != null) {
                        if (typeof d.reason !== "string" || d.reason.length) {
                            m.reason = $String(d.reason);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a SubscribeError message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {canopy.link.v1.SubscribeError} m SubscribeError
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                SubscribeError.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.subId = 0;
                        d.code = 0;
                        d.reason = "";
                    }
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId")) {
                        d.subId = m.subId;
                    }
                    if (m.code != null && $Object.hasOwnProperty.call(m, "code")) {
                        d.code = m.code;
                    }
                    if (m.reason != null && $Object.hasOwnProperty.call(m, "reason")) {
                        d.reason = m.reason;
                    }
                    return d;
                };

                /**
                 * Converts this SubscribeError to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.SubscribeError
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                SubscribeError.prototype.toJSON = function() {
                    return SubscribeError.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for SubscribeError
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                SubscribeError.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.SubscribeError";
                };

                return SubscribeError;
            })();

            v1.Unsubscribe = (function() {

                /**
                 * Properties of an Unsubscribe.
                 * @typedef {Object} canopy.link.v1.Unsubscribe.$Properties
                 * @property {number|null} [subId] Unsubscribe subId
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Unsubscribe.
                 * @memberof canopy.link.v1
                 * @interface IUnsubscribe
                 * @augments canopy.link.v1.Unsubscribe.$Properties
                 * @deprecated Use canopy.link.v1.Unsubscribe.$Properties instead.
                 */

                /**
                 * Shape of an Unsubscribe.
                 * @typedef {canopy.link.v1.Unsubscribe.$Properties} canopy.link.v1.Unsubscribe.$Shape
                 */

                /**
                 * Constructs a new Unsubscribe.
                 * @memberof canopy.link.v1
                 * @classdesc Represents an Unsubscribe.
                 * @constructor
                 * @param {canopy.link.v1.Unsubscribe.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Unsubscribe = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Unsubscribe subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.Unsubscribe
                 * @instance
                 */
                Unsubscribe.prototype.subId = 0;

                /**
                 * Creates a new Unsubscribe instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {canopy.link.v1.Unsubscribe.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Unsubscribe} Unsubscribe instance
                 * @type {{
                 *   (properties: canopy.link.v1.Unsubscribe.$Shape): canopy.link.v1.Unsubscribe & canopy.link.v1.Unsubscribe.$Shape;
                 *   (properties?: canopy.link.v1.Unsubscribe.$Properties): canopy.link.v1.Unsubscribe;
                 * }}
                 */
                Unsubscribe.create = function(properties) {
                    return new Unsubscribe(properties);
                };

                /**
                 * Encodes the specified Unsubscribe message. Does not implicitly {@link canopy.link.v1.Unsubscribe.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {canopy.link.v1.Unsubscribe.$Properties} m Unsubscribe message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Unsubscribe.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId") && m.subId !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.subId);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes an Unsubscribe message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Unsubscribe & canopy.link.v1.Unsubscribe.$Shape} Unsubscribe
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Unsubscribe.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Unsubscribe();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.subId = v;
                                else
                                    delete m.subId;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates an Unsubscribe message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Unsubscribe} Unsubscribe
                 */
                Unsubscribe.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Unsubscribe)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Unsubscribe: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Unsubscribe();
                    if (d.subId != null) {
                        if ($Number(d.subId) !== 0) {
                            m.subId = d.subId >>> 0;
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from an Unsubscribe message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {canopy.link.v1.Unsubscribe} m Unsubscribe
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Unsubscribe.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.subId = 0;
                    }
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId")) {
                        d.subId = m.subId;
                    }
                    return d;
                };

                /**
                 * Converts this Unsubscribe to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Unsubscribe
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Unsubscribe.prototype.toJSON = function() {
                    return Unsubscribe.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Unsubscribe
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Unsubscribe.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Unsubscribe";
                };

                return Unsubscribe;
            })();

            v1.Media = (function() {

                /**
                 * Properties of a Media.
                 * @typedef {Object} canopy.link.v1.Media.$Properties
                 * @property {number|null} [subId] Media subId
                 * @property {number|null} [track] Media track
                 * @property {Uint8Array|null} [rtp] Media rtp
                 * @property {number|null} [captureMs] Media captureMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Media.
                 * @memberof canopy.link.v1
                 * @interface IMedia
                 * @augments canopy.link.v1.Media.$Properties
                 * @deprecated Use canopy.link.v1.Media.$Properties instead.
                 */

                /**
                 * Shape of a Media.
                 * @typedef {canopy.link.v1.Media.$Properties} canopy.link.v1.Media.$Shape
                 */

                /**
                 * Constructs a new Media.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Media.
                 * @constructor
                 * @param {canopy.link.v1.Media.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Media = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Media subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.Media
                 * @instance
                 */
                Media.prototype.subId = 0;

                /**
                 * Media track.
                 * @member {number} track
                 * @memberof canopy.link.v1.Media
                 * @instance
                 */
                Media.prototype.track = 0;

                /**
                 * Media rtp.
                 * @member {Uint8Array} rtp
                 * @memberof canopy.link.v1.Media
                 * @instance
                 */
                Media.prototype.rtp = $util.newBuffer([]);

                /**
                 * Media captureMs.
                 * @member {number} captureMs
                 * @memberof canopy.link.v1.Media
                 * @instance
                 */
                Media.prototype.captureMs = 0;

                /**
                 * Creates a new Media instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {canopy.link.v1.Media.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Media} Media instance
                 * @type {{
                 *   (properties: canopy.link.v1.Media.$Shape): canopy.link.v1.Media & canopy.link.v1.Media.$Shape;
                 *   (properties?: canopy.link.v1.Media.$Properties): canopy.link.v1.Media;
                 * }}
                 */
                Media.create = function(properties) {
                    return new Media(properties);
                };

                /**
                 * Encodes the specified Media message. Does not implicitly {@link canopy.link.v1.Media.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {canopy.link.v1.Media.$Properties} m Media message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Media.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId") && m.subId !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.subId);
                    if (m.track != null && $Object.hasOwnProperty.call(m, "track") && m.track !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.track);
                    if (m.rtp != null && $Object.hasOwnProperty.call(m, "rtp") && m.rtp.length)
                        w.uint32(/* id 3, wireType 2 =*/26).bytes(m.rtp);
                    if (m.captureMs != null && $Object.hasOwnProperty.call(m, "captureMs") && !$Object.is(m.captureMs, 0))
                        w.uint32(/* id 4, wireType 1 =*/33).double(m.captureMs);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Media message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Media & canopy.link.v1.Media.$Shape} Media
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Media.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Media();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.subId = v;
                                else
                                    delete m.subId;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.track = v;
                                else
                                    delete m.track;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.bytes()).length)
                                    m.rtp = v;
                                else
                                    delete m.rtp;
                                continue;
                            }
                        case 4: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.captureMs = v;
                                else
                                    delete m.captureMs;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a Media message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Media} Media
                 */
                Media.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Media)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Media: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Media();
                    if (d.subId != null) {
                        if ($Number(d.subId) !== 0) {
                            m.subId = d.subId >>> 0;
                        }
                    }
                    if (d.track != null) {
                        if ($Number(d.track) !== 0) {
                            m.track = d.track >>> 0;
                        }
                    }
                    if (d.rtp != null) {
                        if (d.rtp.length) {
                            if (typeof d.rtp === "string")
                                $util.base64.decode(d.rtp, m.rtp = $util.newBuffer($util.base64.length(d.rtp)), 0);
                            else if (d.rtp.length >= 0)
                                m.rtp = d.rtp;
                        }
                    }
                    if (d.captureMs != null) {
                        if (!$Object.is($Number(d.captureMs), 0)) {
                            m.captureMs = $Number(d.captureMs);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a Media message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {canopy.link.v1.Media} m Media
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Media.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.subId = 0;
                        d.track = 0;
                        if (o.bytes === $String)
                            d.rtp = "";
                        else {
                            d.rtp = [];
                            if (o.bytes !== $Array)
                                d.rtp = $util.newBuffer(d.rtp);
                        }
                        d.captureMs = 0;
                    }
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId")) {
                        d.subId = m.subId;
                    }
                    if (m.track != null && $Object.hasOwnProperty.call(m, "track")) {
                        d.track = m.track;
                    }
                    if (m.rtp != null && $Object.hasOwnProperty.call(m, "rtp")) {
                        d.rtp = o.bytes === $String ? $util.base64.encode(m.rtp, 0, m.rtp.length) : o.bytes === $Array ? $Array.prototype.slice.call(m.rtp) : m.rtp;
                    }
                    if (m.captureMs != null && $Object.hasOwnProperty.call(m, "captureMs")) {
                        d.captureMs = o.json && !$isFinite(m.captureMs) ? $String(m.captureMs) : m.captureMs;
                    }
                    return d;
                };

                /**
                 * Converts this Media to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Media
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Media.prototype.toJSON = function() {
                    return Media.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Media
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Media.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Media";
                };

                return Media;
            })();

            v1.KeyframeRequest = (function() {

                /**
                 * Properties of a KeyframeRequest.
                 * @typedef {Object} canopy.link.v1.KeyframeRequest.$Properties
                 * @property {number|null} [subId] KeyframeRequest subId
                 * @property {number|null} [track] KeyframeRequest track
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a KeyframeRequest.
                 * @memberof canopy.link.v1
                 * @interface IKeyframeRequest
                 * @augments canopy.link.v1.KeyframeRequest.$Properties
                 * @deprecated Use canopy.link.v1.KeyframeRequest.$Properties instead.
                 */

                /**
                 * Shape of a KeyframeRequest.
                 * @typedef {canopy.link.v1.KeyframeRequest.$Properties} canopy.link.v1.KeyframeRequest.$Shape
                 */

                /**
                 * Constructs a new KeyframeRequest.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a KeyframeRequest.
                 * @constructor
                 * @param {canopy.link.v1.KeyframeRequest.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const KeyframeRequest = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * KeyframeRequest subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @instance
                 */
                KeyframeRequest.prototype.subId = 0;

                /**
                 * KeyframeRequest track.
                 * @member {number} track
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @instance
                 */
                KeyframeRequest.prototype.track = 0;

                /**
                 * Creates a new KeyframeRequest instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {canopy.link.v1.KeyframeRequest.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.KeyframeRequest} KeyframeRequest instance
                 * @type {{
                 *   (properties: canopy.link.v1.KeyframeRequest.$Shape): canopy.link.v1.KeyframeRequest & canopy.link.v1.KeyframeRequest.$Shape;
                 *   (properties?: canopy.link.v1.KeyframeRequest.$Properties): canopy.link.v1.KeyframeRequest;
                 * }}
                 */
                KeyframeRequest.create = function(properties) {
                    return new KeyframeRequest(properties);
                };

                /**
                 * Encodes the specified KeyframeRequest message. Does not implicitly {@link canopy.link.v1.KeyframeRequest.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {canopy.link.v1.KeyframeRequest.$Properties} m KeyframeRequest message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                KeyframeRequest.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId") && m.subId !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.subId);
                    if (m.track != null && $Object.hasOwnProperty.call(m, "track") && m.track !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.track);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a KeyframeRequest message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.KeyframeRequest & canopy.link.v1.KeyframeRequest.$Shape} KeyframeRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                KeyframeRequest.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.KeyframeRequest();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.subId = v;
                                else
                                    delete m.subId;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.track = v;
                                else
                                    delete m.track;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a KeyframeRequest message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.KeyframeRequest} KeyframeRequest
                 */
                KeyframeRequest.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.KeyframeRequest)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.KeyframeRequest: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.KeyframeRequest();
                    if (d.subId != null) {
                        if ($Number(d.subId) !== 0) {
                            m.subId = d.subId >>> 0;
                        }
                    }
                    if (d.track != null) {
                        if ($Number(d.track) !== 0) {
                            m.track = d.track >>> 0;
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a KeyframeRequest message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {canopy.link.v1.KeyframeRequest} m KeyframeRequest
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                KeyframeRequest.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.subId = 0;
                        d.track = 0;
                    }
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId")) {
                        d.subId = m.subId;
                    }
                    if (m.track != null && $Object.hasOwnProperty.call(m, "track")) {
                        d.track = m.track;
                    }
                    return d;
                };

                /**
                 * Converts this KeyframeRequest to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                KeyframeRequest.prototype.toJSON = function() {
                    return KeyframeRequest.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for KeyframeRequest
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                KeyframeRequest.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.KeyframeRequest";
                };

                return KeyframeRequest;
            })();

            v1.StreamEnded = (function() {

                /**
                 * Properties of a StreamEnded.
                 * @typedef {Object} canopy.link.v1.StreamEnded.$Properties
                 * @property {number|null} [subId] StreamEnded subId
                 * @property {number|null} [code] StreamEnded code
                 * @property {string|null} [reason] StreamEnded reason
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a StreamEnded.
                 * @memberof canopy.link.v1
                 * @interface IStreamEnded
                 * @augments canopy.link.v1.StreamEnded.$Properties
                 * @deprecated Use canopy.link.v1.StreamEnded.$Properties instead.
                 */

                /**
                 * Shape of a StreamEnded.
                 * @typedef {canopy.link.v1.StreamEnded.$Properties} canopy.link.v1.StreamEnded.$Shape
                 */

                /**
                 * Constructs a new StreamEnded.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a StreamEnded.
                 * @constructor
                 * @param {canopy.link.v1.StreamEnded.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const StreamEnded = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * StreamEnded subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.StreamEnded
                 * @instance
                 */
                StreamEnded.prototype.subId = 0;

                /**
                 * StreamEnded code.
                 * @member {number} code
                 * @memberof canopy.link.v1.StreamEnded
                 * @instance
                 */
                StreamEnded.prototype.code = 0;

                /**
                 * StreamEnded reason.
                 * @member {string} reason
                 * @memberof canopy.link.v1.StreamEnded
                 * @instance
                 */
                StreamEnded.prototype.reason = "";

                /**
                 * Creates a new StreamEnded instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {canopy.link.v1.StreamEnded.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.StreamEnded} StreamEnded instance
                 * @type {{
                 *   (properties: canopy.link.v1.StreamEnded.$Shape): canopy.link.v1.StreamEnded & canopy.link.v1.StreamEnded.$Shape;
                 *   (properties?: canopy.link.v1.StreamEnded.$Properties): canopy.link.v1.StreamEnded;
                 * }}
                 */
                StreamEnded.create = function(properties) {
                    return new StreamEnded(properties);
                };

                /**
                 * Encodes the specified StreamEnded message. Does not implicitly {@link canopy.link.v1.StreamEnded.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {canopy.link.v1.StreamEnded.$Properties} m StreamEnded message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                StreamEnded.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId") && m.subId !== 0)
                        w.uint32(/* id 1, wireType 0 =*/8).uint32(m.subId);
                    if (m.code != null && $Object.hasOwnProperty.call(m, "code") && m.code !== 0)
                        w.uint32(/* id 2, wireType 0 =*/16).uint32(m.code);
                    if (m.reason != null && $Object.hasOwnProperty.call(m, "reason") && m.reason !== "")
                        w.uint32(/* id 3, wireType 2 =*/26).string(m.reason);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a StreamEnded message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.StreamEnded & canopy.link.v1.StreamEnded.$Shape} StreamEnded
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                StreamEnded.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.StreamEnded();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.subId = v;
                                else
                                    delete m.subId;
                                continue;
                            }
                        case 2: {
                                if (u !== 0)
                                    break;
                                if (v = r.uint32())
                                    m.code = v;
                                else
                                    delete m.code;
                                continue;
                            }
                        case 3: {
                                if (u !== 2)
                                    break;
                                if ((v = r.stringVerify()).length)
                                    m.reason = v;
                                else
                                    delete m.reason;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a StreamEnded message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.StreamEnded} StreamEnded
                 */
                StreamEnded.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.StreamEnded)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.StreamEnded: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.StreamEnded();
                    if (d.subId != null) {
                        if ($Number(d.subId) !== 0) {
                            m.subId = d.subId >>> 0;
                        }
                    }
                    if (d.code != null) {
                        if ($Number(d.code) !== 0) {
                            m.code = d.code >>> 0;
                        }
                    }
                    if (d.reason != null) {
                        if (typeof d.reason !== "string" || d.reason.length) {
                            m.reason = $String(d.reason);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a StreamEnded message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {canopy.link.v1.StreamEnded} m StreamEnded
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                StreamEnded.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.subId = 0;
                        d.code = 0;
                        d.reason = "";
                    }
                    if (m.subId != null && $Object.hasOwnProperty.call(m, "subId")) {
                        d.subId = m.subId;
                    }
                    if (m.code != null && $Object.hasOwnProperty.call(m, "code")) {
                        d.code = m.code;
                    }
                    if (m.reason != null && $Object.hasOwnProperty.call(m, "reason")) {
                        d.reason = m.reason;
                    }
                    return d;
                };

                /**
                 * Converts this StreamEnded to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.StreamEnded
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                StreamEnded.prototype.toJSON = function() {
                    return StreamEnded.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for StreamEnded
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                StreamEnded.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.StreamEnded";
                };

                return StreamEnded;
            })();

            v1.Ping = (function() {

                /**
                 * Properties of a Ping.
                 * @typedef {Object} canopy.link.v1.Ping.$Properties
                 * @property {number|null} [sentMs] Ping sentMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Ping.
                 * @memberof canopy.link.v1
                 * @interface IPing
                 * @augments canopy.link.v1.Ping.$Properties
                 * @deprecated Use canopy.link.v1.Ping.$Properties instead.
                 */

                /**
                 * Shape of a Ping.
                 * @typedef {canopy.link.v1.Ping.$Properties} canopy.link.v1.Ping.$Shape
                 */

                /**
                 * Constructs a new Ping.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Ping.
                 * @constructor
                 * @param {canopy.link.v1.Ping.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Ping = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Ping sentMs.
                 * @member {number} sentMs
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.sentMs = 0;

                /**
                 * Creates a new Ping instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {canopy.link.v1.Ping.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Ping} Ping instance
                 * @type {{
                 *   (properties: canopy.link.v1.Ping.$Shape): canopy.link.v1.Ping & canopy.link.v1.Ping.$Shape;
                 *   (properties?: canopy.link.v1.Ping.$Properties): canopy.link.v1.Ping;
                 * }}
                 */
                Ping.create = function(properties) {
                    return new Ping(properties);
                };

                /**
                 * Encodes the specified Ping message. Does not implicitly {@link canopy.link.v1.Ping.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {canopy.link.v1.Ping.$Properties} m Ping message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Ping.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.sentMs != null && $Object.hasOwnProperty.call(m, "sentMs") && !$Object.is(m.sentMs, 0))
                        w.uint32(/* id 1, wireType 1 =*/9).double(m.sentMs);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Ping message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Ping & canopy.link.v1.Ping.$Shape} Ping
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Ping.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Ping();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.sentMs = v;
                                else
                                    delete m.sentMs;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a Ping message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Ping} Ping
                 */
                Ping.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Ping)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Ping: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Ping();
                    if (d.sentMs != null) {
                        if (!$Object.is($Number(d.sentMs), 0)) {
                            m.sentMs = $Number(d.sentMs);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a Ping message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {canopy.link.v1.Ping} m Ping
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Ping.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.sentMs = 0;
                    }
                    if (m.sentMs != null && $Object.hasOwnProperty.call(m, "sentMs")) {
                        d.sentMs = o.json && !$isFinite(m.sentMs) ? $String(m.sentMs) : m.sentMs;
                    }
                    return d;
                };

                /**
                 * Converts this Ping to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Ping.prototype.toJSON = function() {
                    return Ping.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Ping
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Ping.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Ping";
                };

                return Ping;
            })();

            v1.Pong = (function() {

                /**
                 * Properties of a Pong.
                 * @typedef {Object} canopy.link.v1.Pong.$Properties
                 * @property {number|null} [sentMs] Pong sentMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Pong.
                 * @memberof canopy.link.v1
                 * @interface IPong
                 * @augments canopy.link.v1.Pong.$Properties
                 * @deprecated Use canopy.link.v1.Pong.$Properties instead.
                 */

                /**
                 * Shape of a Pong.
                 * @typedef {canopy.link.v1.Pong.$Properties} canopy.link.v1.Pong.$Shape
                 */

                /**
                 * Constructs a new Pong.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Pong.
                 * @constructor
                 * @param {canopy.link.v1.Pong.$Properties=} [p] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Pong = function (p) {
                    if (p)
                        for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                            if (p[ks[i]] != null && ks[i] !== "__proto__")
                                this[ks[i]] = p[ks[i]];
                };

                /**
                 * Pong sentMs.
                 * @member {number} sentMs
                 * @memberof canopy.link.v1.Pong
                 * @instance
                 */
                Pong.prototype.sentMs = 0;

                /**
                 * Creates a new Pong instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {canopy.link.v1.Pong.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Pong} Pong instance
                 * @type {{
                 *   (properties: canopy.link.v1.Pong.$Shape): canopy.link.v1.Pong & canopy.link.v1.Pong.$Shape;
                 *   (properties?: canopy.link.v1.Pong.$Properties): canopy.link.v1.Pong;
                 * }}
                 */
                Pong.create = function(properties) {
                    return new Pong(properties);
                };

                /**
                 * Encodes the specified Pong message. Does not implicitly {@link canopy.link.v1.Pong.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {canopy.link.v1.Pong.$Properties} m Pong message or plain object to encode
                 * @param {$protobuf.Writer} [w] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Pong.encode = function (m, w, q) {
                    if (!w)
                        w = $Writer.create();
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (m.sentMs != null && $Object.hasOwnProperty.call(m, "sentMs") && !$Object.is(m.sentMs, 0))
                        w.uint32(/* id 1, wireType 1 =*/9).double(m.sentMs);
                    if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                        for (var i = 0; i < m.$unknowns.length; ++i)
                            w.raw(m.$unknowns[i]);
                    return w;
                };

                /**
                 * Decodes a Pong message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
                 * @param {number} [l] Message length if known beforehand
                 * @returns {canopy.link.v1.Pong & canopy.link.v1.Pong.$Shape} Pong
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Pong.decode = function (r, l, z, q, g) {
                    if (!(r instanceof $Reader))
                        r = $Reader.create(r);
                    if (q === $undefined)
                        q = 0;
                    if (q > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    var c, m, v;
                    if (l === $undefined)
                        c = r.len;
                    else {
                        c = r.pos + l;
                        if (c > r.len)
                            throw $RangeError("index out of range");
                        l = r.len;
                        r.len = c;
                    }
                    m = g || new $root.canopy.link.v1.Pong();
                    while (r.pos < c) {
                        var s = r.pos;
                        var t = r.tag();
                        if (t === z) {
                            z = $undefined;
                            break;
                        }
                        var u = t & 7;
                        switch (t >>>= 3) {
                        case 1: {
                                if (u !== 1)
                                    break;
                                if (!$Object.is(v = r.double(), 0))
                                    m.sentMs = v;
                                else
                                    delete m.sentMs;
                                continue;
                            }
                        }
                        r.skipType(u, q, t);
                        if (!r.discardUnknown) {
                            $util.makeProp(m, "$unknowns", false);
                            (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                        }
                    }
                    if (l !== $undefined) {
                        if (r.pos !== c)
                            throw $RangeError("index out of range");
                        r.len = l;
                    }
                    if (z !== $undefined)
                        throw $Error("missing end group");
                    return m;
                };

                /**
                 * Creates a Pong message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {Object.<string,*>} d Plain object
                 * @returns {canopy.link.v1.Pong} Pong
                 */
                Pong.fromObject = function (d, q) {
                    if (d instanceof $root.canopy.link.v1.Pong)
                        return d;
                    if (!$util.isObject(d))
                        throw $TypeError(".canopy.link.v1.Pong: object expected");
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var m = new $root.canopy.link.v1.Pong();
                    if (d.sentMs != null) {
                        if (!$Object.is($Number(d.sentMs), 0)) {
                            m.sentMs = $Number(d.sentMs);
                        }
                    }
                    return m;
                };

                /**
                 * Creates a plain object from a Pong message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {canopy.link.v1.Pong} m Pong
                 * @param {$protobuf.IConversionOptions} [o] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Pong.toObject = function (m, o, q) {
                    if (!o)
                        o = {};
                    if (q === $undefined)
                        q = 0;
                    if (q > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    var d = {};
                    if (o.defaults) {
                        d.sentMs = 0;
                    }
                    if (m.sentMs != null && $Object.hasOwnProperty.call(m, "sentMs")) {
                        d.sentMs = o.json && !$isFinite(m.sentMs) ? $String(m.sentMs) : m.sentMs;
                    }
                    return d;
                };

                /**
                 * Converts this Pong to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Pong
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Pong.prototype.toJSON = function() {
                    return Pong.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Pong
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Pong.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Pong";
                };

                return Pong;
            })();

            return v1;
        })();

        return link;
    })();

    return canopy;
})();

export {
  $root as default
};
