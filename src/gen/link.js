/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $Number = $util.global.Number, $String = $util.global.String, $Boolean = $util.global.Boolean, $Array = $util.global.Array, $isFinite = $util.global.isFinite;

// Exported root namespace
const $root = $protobuf.roots["link"] || ($protobuf.roots["link"] = {});

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
                 * @property {canopy.link.v1.Challenge.$Properties|null} [challenge] Frame challenge
                 * @property {canopy.link.v1.SubscribeShared.$Properties|null} [subscribeShared] Frame subscribeShared
                 * @property {canopy.link.v1.PathUpdate.$Properties|null} [pathUpdate] Frame pathUpdate
                 * @property {canopy.link.v1.GoAway.$Properties|null} [goAway] Frame goAway
                 * @property {canopy.link.v1.PipeOffer.$Properties|null} [pipeOffer] Frame pipeOffer
                 * @property {canopy.link.v1.PipeAnswer.$Properties|null} [pipeAnswer] Frame pipeAnswer
                 * @property {canopy.link.v1.PipeReady.$Properties|null} [pipeReady] Frame pipeReady
                 * @property {canopy.link.v1.PipeClose.$Properties|null} [pipeClose] Frame pipeClose
                 * @property {canopy.link.v1.LayerDemand.$Properties|null} [layerDemand] Frame layerDemand
                 * @property {"hello"|"welcome"|"subscribe"|"subscribeOk"|"subscribeError"|"unsubscribe"|"media"|"keyframeRequest"|"streamEnded"|"ping"|"pong"|"challenge"|"subscribeShared"|"pathUpdate"|"goAway"|"pipeOffer"|"pipeAnswer"|"pipeReady"|"pipeClose"|"layerDemand"} [msg] Frame msg
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
                 *   challenge?: canopy.link.v1.Challenge.$Shape|null;
                 *   subscribeShared?: canopy.link.v1.SubscribeShared.$Shape|null;
                 *   pathUpdate?: canopy.link.v1.PathUpdate.$Shape|null;
                 *   goAway?: canopy.link.v1.GoAway.$Shape|null;
                 *   pipeOffer?: canopy.link.v1.PipeOffer.$Shape|null;
                 *   pipeAnswer?: canopy.link.v1.PipeAnswer.$Shape|null;
                 *   pipeReady?: canopy.link.v1.PipeReady.$Shape|null;
                 *   pipeClose?: canopy.link.v1.PipeClose.$Shape|null;
                 *   layerDemand?: canopy.link.v1.LayerDemand.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ msg?: undefined; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "hello"; hello: canopy.link.v1.Hello.$Shape; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "welcome"; hello?: null; welcome: canopy.link.v1.Welcome.$Shape; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribe"; hello?: null; welcome?: null; subscribe: canopy.link.v1.Subscribe.$Shape; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribeOk"; hello?: null; welcome?: null; subscribe?: null; subscribeOk: canopy.link.v1.SubscribeOk.$Shape; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribeError"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError: canopy.link.v1.SubscribeError.$Shape; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "unsubscribe"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe: canopy.link.v1.Unsubscribe.$Shape; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "media"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media: canopy.link.v1.Media.$Shape; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "keyframeRequest"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest: canopy.link.v1.KeyframeRequest.$Shape; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "streamEnded"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded: canopy.link.v1.StreamEnded.$Shape; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "ping"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping: canopy.link.v1.Ping.$Shape; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pong"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong: canopy.link.v1.Pong.$Shape; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "challenge"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge: canopy.link.v1.Challenge.$Shape; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribeShared"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared: canopy.link.v1.SubscribeShared.$Shape; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pathUpdate"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate: canopy.link.v1.PathUpdate.$Shape; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "goAway"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway: canopy.link.v1.GoAway.$Shape; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeOffer"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer: canopy.link.v1.PipeOffer.$Shape; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeAnswer"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer: canopy.link.v1.PipeAnswer.$Shape; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeReady"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady: canopy.link.v1.PipeReady.$Shape; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeClose"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose: canopy.link.v1.PipeClose.$Shape; layerDemand?: null }|{ msg?: "layerDemand"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand: canopy.link.v1.LayerDemand.$Shape })
                 * )} canopy.link.v1.Frame.$Shape
                 */

                /**
                 * Constructs a new Frame.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Frame.
                 * @constructor
                 * @param {canopy.link.v1.Frame.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Frame = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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

                /**
                 * Frame challenge.
                 * @member {canopy.link.v1.Challenge.$Properties|null|undefined} challenge
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.challenge = null;

                /**
                 * Frame subscribeShared.
                 * @member {canopy.link.v1.SubscribeShared.$Properties|null|undefined} subscribeShared
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.subscribeShared = null;

                /**
                 * Frame pathUpdate.
                 * @member {canopy.link.v1.PathUpdate.$Properties|null|undefined} pathUpdate
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.pathUpdate = null;

                /**
                 * Frame goAway.
                 * @member {canopy.link.v1.GoAway.$Properties|null|undefined} goAway
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.goAway = null;

                /**
                 * Frame pipeOffer.
                 * @member {canopy.link.v1.PipeOffer.$Properties|null|undefined} pipeOffer
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.pipeOffer = null;

                /**
                 * Frame pipeAnswer.
                 * @member {canopy.link.v1.PipeAnswer.$Properties|null|undefined} pipeAnswer
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.pipeAnswer = null;

                /**
                 * Frame pipeReady.
                 * @member {canopy.link.v1.PipeReady.$Properties|null|undefined} pipeReady
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.pipeReady = null;

                /**
                 * Frame pipeClose.
                 * @member {canopy.link.v1.PipeClose.$Properties|null|undefined} pipeClose
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.pipeClose = null;

                /**
                 * Frame layerDemand.
                 * @member {canopy.link.v1.LayerDemand.$Properties|null|undefined} layerDemand
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                Frame.prototype.layerDemand = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * Frame msg.
                 * @member {"hello"|"welcome"|"subscribe"|"subscribeOk"|"subscribeError"|"unsubscribe"|"media"|"keyframeRequest"|"streamEnded"|"ping"|"pong"|"challenge"|"subscribeShared"|"pathUpdate"|"goAway"|"pipeOffer"|"pipeAnswer"|"pipeReady"|"pipeClose"|"layerDemand"|undefined} msg
                 * @memberof canopy.link.v1.Frame
                 * @instance
                 */
                $Object.defineProperty(Frame.prototype, "msg", {
                    get: $util.oneOfGetter($oneOfFields = ["hello", "welcome", "subscribe", "subscribeOk", "subscribeError", "unsubscribe", "media", "keyframeRequest", "streamEnded", "ping", "pong", "challenge", "subscribeShared", "pathUpdate", "goAway", "pipeOffer", "pipeAnswer", "pipeReady", "pipeClose", "layerDemand"]),
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
                 * @param {canopy.link.v1.Frame.$Properties} message Frame message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Frame.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                        $root.canopy.link.v1.Hello.encode(message.hello, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome"))
                        $root.canopy.link.v1.Welcome.encode(message.welcome, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.subscribe != null && $Object.hasOwnProperty.call(message, "subscribe"))
                        $root.canopy.link.v1.Subscribe.encode(message.subscribe, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.subscribeOk != null && $Object.hasOwnProperty.call(message, "subscribeOk"))
                        $root.canopy.link.v1.SubscribeOk.encode(message.subscribeOk, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.subscribeError != null && $Object.hasOwnProperty.call(message, "subscribeError"))
                        $root.canopy.link.v1.SubscribeError.encode(message.subscribeError, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                    if (message.unsubscribe != null && $Object.hasOwnProperty.call(message, "unsubscribe"))
                        $root.canopy.link.v1.Unsubscribe.encode(message.unsubscribe, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                    if (message.media != null && $Object.hasOwnProperty.call(message, "media"))
                        $root.canopy.link.v1.Media.encode(message.media, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                    if (message.keyframeRequest != null && $Object.hasOwnProperty.call(message, "keyframeRequest"))
                        $root.canopy.link.v1.KeyframeRequest.encode(message.keyframeRequest, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                    if (message.streamEnded != null && $Object.hasOwnProperty.call(message, "streamEnded"))
                        $root.canopy.link.v1.StreamEnded.encode(message.streamEnded, writer.uint32(/* id 9, wireType 2 =*/74).fork(), _depth + 1).ldelim();
                    if (message.ping != null && $Object.hasOwnProperty.call(message, "ping"))
                        $root.canopy.link.v1.Ping.encode(message.ping, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                    if (message.pong != null && $Object.hasOwnProperty.call(message, "pong"))
                        $root.canopy.link.v1.Pong.encode(message.pong, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                    if (message.challenge != null && $Object.hasOwnProperty.call(message, "challenge"))
                        $root.canopy.link.v1.Challenge.encode(message.challenge, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                    if (message.subscribeShared != null && $Object.hasOwnProperty.call(message, "subscribeShared"))
                        $root.canopy.link.v1.SubscribeShared.encode(message.subscribeShared, writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
                    if (message.pathUpdate != null && $Object.hasOwnProperty.call(message, "pathUpdate"))
                        $root.canopy.link.v1.PathUpdate.encode(message.pathUpdate, writer.uint32(/* id 16, wireType 2 =*/130).fork(), _depth + 1).ldelim();
                    if (message.goAway != null && $Object.hasOwnProperty.call(message, "goAway"))
                        $root.canopy.link.v1.GoAway.encode(message.goAway, writer.uint32(/* id 17, wireType 2 =*/138).fork(), _depth + 1).ldelim();
                    if (message.pipeOffer != null && $Object.hasOwnProperty.call(message, "pipeOffer"))
                        $root.canopy.link.v1.PipeOffer.encode(message.pipeOffer, writer.uint32(/* id 24, wireType 2 =*/194).fork(), _depth + 1).ldelim();
                    if (message.pipeAnswer != null && $Object.hasOwnProperty.call(message, "pipeAnswer"))
                        $root.canopy.link.v1.PipeAnswer.encode(message.pipeAnswer, writer.uint32(/* id 25, wireType 2 =*/202).fork(), _depth + 1).ldelim();
                    if (message.pipeReady != null && $Object.hasOwnProperty.call(message, "pipeReady"))
                        $root.canopy.link.v1.PipeReady.encode(message.pipeReady, writer.uint32(/* id 26, wireType 2 =*/210).fork(), _depth + 1).ldelim();
                    if (message.pipeClose != null && $Object.hasOwnProperty.call(message, "pipeClose"))
                        $root.canopy.link.v1.PipeClose.encode(message.pipeClose, writer.uint32(/* id 27, wireType 2 =*/218).fork(), _depth + 1).ldelim();
                    if (message.layerDemand != null && $Object.hasOwnProperty.call(message, "layerDemand"))
                        $root.canopy.link.v1.LayerDemand.encode(message.layerDemand, writer.uint32(/* id 28, wireType 2 =*/226).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Frame message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Frame & canopy.link.v1.Frame.$Shape} Frame
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Frame.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Frame();
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
                                message.hello = $root.canopy.link.v1.Hello.decode(reader, reader.size(), $undefined, _depth + 1, message.hello);
                                message.msg = "hello";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.welcome = $root.canopy.link.v1.Welcome.decode(reader, reader.size(), $undefined, _depth + 1, message.welcome);
                                message.msg = "welcome";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.subscribe = $root.canopy.link.v1.Subscribe.decode(reader, reader.size(), $undefined, _depth + 1, message.subscribe);
                                message.msg = "subscribe";
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.subscribeOk = $root.canopy.link.v1.SubscribeOk.decode(reader, reader.size(), $undefined, _depth + 1, message.subscribeOk);
                                message.msg = "subscribeOk";
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                message.subscribeError = $root.canopy.link.v1.SubscribeError.decode(reader, reader.size(), $undefined, _depth + 1, message.subscribeError);
                                message.msg = "subscribeError";
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                message.unsubscribe = $root.canopy.link.v1.Unsubscribe.decode(reader, reader.size(), $undefined, _depth + 1, message.unsubscribe);
                                message.msg = "unsubscribe";
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                message.media = $root.canopy.link.v1.Media.decode(reader, reader.size(), $undefined, _depth + 1, message.media);
                                message.msg = "media";
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                message.keyframeRequest = $root.canopy.link.v1.KeyframeRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.keyframeRequest);
                                message.msg = "keyframeRequest";
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                message.streamEnded = $root.canopy.link.v1.StreamEnded.decode(reader, reader.size(), $undefined, _depth + 1, message.streamEnded);
                                message.msg = "streamEnded";
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                message.ping = $root.canopy.link.v1.Ping.decode(reader, reader.size(), $undefined, _depth + 1, message.ping);
                                message.msg = "ping";
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                message.pong = $root.canopy.link.v1.Pong.decode(reader, reader.size(), $undefined, _depth + 1, message.pong);
                                message.msg = "pong";
                                continue;
                            }
                        case 12: {
                                if (wireType !== 2)
                                    break;
                                message.challenge = $root.canopy.link.v1.Challenge.decode(reader, reader.size(), $undefined, _depth + 1, message.challenge);
                                message.msg = "challenge";
                                continue;
                            }
                        case 13: {
                                if (wireType !== 2)
                                    break;
                                message.subscribeShared = $root.canopy.link.v1.SubscribeShared.decode(reader, reader.size(), $undefined, _depth + 1, message.subscribeShared);
                                message.msg = "subscribeShared";
                                continue;
                            }
                        case 16: {
                                if (wireType !== 2)
                                    break;
                                message.pathUpdate = $root.canopy.link.v1.PathUpdate.decode(reader, reader.size(), $undefined, _depth + 1, message.pathUpdate);
                                message.msg = "pathUpdate";
                                continue;
                            }
                        case 17: {
                                if (wireType !== 2)
                                    break;
                                message.goAway = $root.canopy.link.v1.GoAway.decode(reader, reader.size(), $undefined, _depth + 1, message.goAway);
                                message.msg = "goAway";
                                continue;
                            }
                        case 24: {
                                if (wireType !== 2)
                                    break;
                                message.pipeOffer = $root.canopy.link.v1.PipeOffer.decode(reader, reader.size(), $undefined, _depth + 1, message.pipeOffer);
                                message.msg = "pipeOffer";
                                continue;
                            }
                        case 25: {
                                if (wireType !== 2)
                                    break;
                                message.pipeAnswer = $root.canopy.link.v1.PipeAnswer.decode(reader, reader.size(), $undefined, _depth + 1, message.pipeAnswer);
                                message.msg = "pipeAnswer";
                                continue;
                            }
                        case 26: {
                                if (wireType !== 2)
                                    break;
                                message.pipeReady = $root.canopy.link.v1.PipeReady.decode(reader, reader.size(), $undefined, _depth + 1, message.pipeReady);
                                message.msg = "pipeReady";
                                continue;
                            }
                        case 27: {
                                if (wireType !== 2)
                                    break;
                                message.pipeClose = $root.canopy.link.v1.PipeClose.decode(reader, reader.size(), $undefined, _depth + 1, message.pipeClose);
                                message.msg = "pipeClose";
                                continue;
                            }
                        case 28: {
                                if (wireType !== 2)
                                    break;
                                message.layerDemand = $root.canopy.link.v1.LayerDemand.decode(reader, reader.size(), $undefined, _depth + 1, message.layerDemand);
                                message.msg = "layerDemand";
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
                 * Creates a Frame message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Frame} Frame
                 */
                Frame.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Frame)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Frame: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Frame();
                    if (object.hello != null) {
                        if (!$util.isObject(object.hello))
                            throw $TypeError(".canopy.link.v1.Frame.hello: object expected");
                        message.hello = $root.canopy.link.v1.Hello.fromObject(object.hello, _depth + 1);
                    }
                    if (object.welcome != null) {
                        if (!$util.isObject(object.welcome))
                            throw $TypeError(".canopy.link.v1.Frame.welcome: object expected");
                        message.welcome = $root.canopy.link.v1.Welcome.fromObject(object.welcome, _depth + 1);
                    }
                    if (object.subscribe != null) {
                        if (!$util.isObject(object.subscribe))
                            throw $TypeError(".canopy.link.v1.Frame.subscribe: object expected");
                        message.subscribe = $root.canopy.link.v1.Subscribe.fromObject(object.subscribe, _depth + 1);
                    }
                    if (object.subscribeOk != null) {
                        if (!$util.isObject(object.subscribeOk))
                            throw $TypeError(".canopy.link.v1.Frame.subscribeOk: object expected");
                        message.subscribeOk = $root.canopy.link.v1.SubscribeOk.fromObject(object.subscribeOk, _depth + 1);
                    }
                    if (object.subscribeError != null) {
                        if (!$util.isObject(object.subscribeError))
                            throw $TypeError(".canopy.link.v1.Frame.subscribeError: object expected");
                        message.subscribeError = $root.canopy.link.v1.SubscribeError.fromObject(object.subscribeError, _depth + 1);
                    }
                    if (object.unsubscribe != null) {
                        if (!$util.isObject(object.unsubscribe))
                            throw $TypeError(".canopy.link.v1.Frame.unsubscribe: object expected");
                        message.unsubscribe = $root.canopy.link.v1.Unsubscribe.fromObject(object.unsubscribe, _depth + 1);
                    }
                    if (object.media != null) {
                        if (!$util.isObject(object.media))
                            throw $TypeError(".canopy.link.v1.Frame.media: object expected");
                        message.media = $root.canopy.link.v1.Media.fromObject(object.media, _depth + 1);
                    }
                    if (object.keyframeRequest != null) {
                        if (!$util.isObject(object.keyframeRequest))
                            throw $TypeError(".canopy.link.v1.Frame.keyframeRequest: object expected");
                        message.keyframeRequest = $root.canopy.link.v1.KeyframeRequest.fromObject(object.keyframeRequest, _depth + 1);
                    }
                    if (object.streamEnded != null) {
                        if (!$util.isObject(object.streamEnded))
                            throw $TypeError(".canopy.link.v1.Frame.streamEnded: object expected");
                        message.streamEnded = $root.canopy.link.v1.StreamEnded.fromObject(object.streamEnded, _depth + 1);
                    }
                    if (object.ping != null) {
                        if (!$util.isObject(object.ping))
                            throw $TypeError(".canopy.link.v1.Frame.ping: object expected");
                        message.ping = $root.canopy.link.v1.Ping.fromObject(object.ping, _depth + 1);
                    }
                    if (object.pong != null) {
                        if (!$util.isObject(object.pong))
                            throw $TypeError(".canopy.link.v1.Frame.pong: object expected");
                        message.pong = $root.canopy.link.v1.Pong.fromObject(object.pong, _depth + 1);
                    }
                    if (object.challenge != null) {
                        if (!$util.isObject(object.challenge))
                            throw $TypeError(".canopy.link.v1.Frame.challenge: object expected");
                        message.challenge = $root.canopy.link.v1.Challenge.fromObject(object.challenge, _depth + 1);
                    }
                    if (object.subscribeShared != null) {
                        if (!$util.isObject(object.subscribeShared))
                            throw $TypeError(".canopy.link.v1.Frame.subscribeShared: object expected");
                        message.subscribeShared = $root.canopy.link.v1.SubscribeShared.fromObject(object.subscribeShared, _depth + 1);
                    }
                    if (object.pathUpdate != null) {
                        if (!$util.isObject(object.pathUpdate))
                            throw $TypeError(".canopy.link.v1.Frame.pathUpdate: object expected");
                        message.pathUpdate = $root.canopy.link.v1.PathUpdate.fromObject(object.pathUpdate, _depth + 1);
                    }
                    if (object.goAway != null) {
                        if (!$util.isObject(object.goAway))
                            throw $TypeError(".canopy.link.v1.Frame.goAway: object expected");
                        message.goAway = $root.canopy.link.v1.GoAway.fromObject(object.goAway, _depth + 1);
                    }
                    if (object.pipeOffer != null) {
                        if (!$util.isObject(object.pipeOffer))
                            throw $TypeError(".canopy.link.v1.Frame.pipeOffer: object expected");
                        message.pipeOffer = $root.canopy.link.v1.PipeOffer.fromObject(object.pipeOffer, _depth + 1);
                    }
                    if (object.pipeAnswer != null) {
                        if (!$util.isObject(object.pipeAnswer))
                            throw $TypeError(".canopy.link.v1.Frame.pipeAnswer: object expected");
                        message.pipeAnswer = $root.canopy.link.v1.PipeAnswer.fromObject(object.pipeAnswer, _depth + 1);
                    }
                    if (object.pipeReady != null) {
                        if (!$util.isObject(object.pipeReady))
                            throw $TypeError(".canopy.link.v1.Frame.pipeReady: object expected");
                        message.pipeReady = $root.canopy.link.v1.PipeReady.fromObject(object.pipeReady, _depth + 1);
                    }
                    if (object.pipeClose != null) {
                        if (!$util.isObject(object.pipeClose))
                            throw $TypeError(".canopy.link.v1.Frame.pipeClose: object expected");
                        message.pipeClose = $root.canopy.link.v1.PipeClose.fromObject(object.pipeClose, _depth + 1);
                    }
                    if (object.layerDemand != null) {
                        if (!$util.isObject(object.layerDemand))
                            throw $TypeError(".canopy.link.v1.Frame.layerDemand: object expected");
                        message.layerDemand = $root.canopy.link.v1.LayerDemand.fromObject(object.layerDemand, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a Frame message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Frame
                 * @static
                 * @param {canopy.link.v1.Frame} message Frame
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Frame.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (message.hello != null && $Object.hasOwnProperty.call(message, "hello")) {
                        object.hello = $root.canopy.link.v1.Hello.toObject(message.hello, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "hello";
                    }
                    if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome")) {
                        object.welcome = $root.canopy.link.v1.Welcome.toObject(message.welcome, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "welcome";
                    }
                    if (message.subscribe != null && $Object.hasOwnProperty.call(message, "subscribe")) {
                        object.subscribe = $root.canopy.link.v1.Subscribe.toObject(message.subscribe, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "subscribe";
                    }
                    if (message.subscribeOk != null && $Object.hasOwnProperty.call(message, "subscribeOk")) {
                        object.subscribeOk = $root.canopy.link.v1.SubscribeOk.toObject(message.subscribeOk, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "subscribeOk";
                    }
                    if (message.subscribeError != null && $Object.hasOwnProperty.call(message, "subscribeError")) {
                        object.subscribeError = $root.canopy.link.v1.SubscribeError.toObject(message.subscribeError, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "subscribeError";
                    }
                    if (message.unsubscribe != null && $Object.hasOwnProperty.call(message, "unsubscribe")) {
                        object.unsubscribe = $root.canopy.link.v1.Unsubscribe.toObject(message.unsubscribe, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "unsubscribe";
                    }
                    if (message.media != null && $Object.hasOwnProperty.call(message, "media")) {
                        object.media = $root.canopy.link.v1.Media.toObject(message.media, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "media";
                    }
                    if (message.keyframeRequest != null && $Object.hasOwnProperty.call(message, "keyframeRequest")) {
                        object.keyframeRequest = $root.canopy.link.v1.KeyframeRequest.toObject(message.keyframeRequest, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "keyframeRequest";
                    }
                    if (message.streamEnded != null && $Object.hasOwnProperty.call(message, "streamEnded")) {
                        object.streamEnded = $root.canopy.link.v1.StreamEnded.toObject(message.streamEnded, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "streamEnded";
                    }
                    if (message.ping != null && $Object.hasOwnProperty.call(message, "ping")) {
                        object.ping = $root.canopy.link.v1.Ping.toObject(message.ping, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "ping";
                    }
                    if (message.pong != null && $Object.hasOwnProperty.call(message, "pong")) {
                        object.pong = $root.canopy.link.v1.Pong.toObject(message.pong, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "pong";
                    }
                    if (message.challenge != null && $Object.hasOwnProperty.call(message, "challenge")) {
                        object.challenge = $root.canopy.link.v1.Challenge.toObject(message.challenge, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "challenge";
                    }
                    if (message.subscribeShared != null && $Object.hasOwnProperty.call(message, "subscribeShared")) {
                        object.subscribeShared = $root.canopy.link.v1.SubscribeShared.toObject(message.subscribeShared, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "subscribeShared";
                    }
                    if (message.pathUpdate != null && $Object.hasOwnProperty.call(message, "pathUpdate")) {
                        object.pathUpdate = $root.canopy.link.v1.PathUpdate.toObject(message.pathUpdate, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "pathUpdate";
                    }
                    if (message.goAway != null && $Object.hasOwnProperty.call(message, "goAway")) {
                        object.goAway = $root.canopy.link.v1.GoAway.toObject(message.goAway, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "goAway";
                    }
                    if (message.pipeOffer != null && $Object.hasOwnProperty.call(message, "pipeOffer")) {
                        object.pipeOffer = $root.canopy.link.v1.PipeOffer.toObject(message.pipeOffer, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "pipeOffer";
                    }
                    if (message.pipeAnswer != null && $Object.hasOwnProperty.call(message, "pipeAnswer")) {
                        object.pipeAnswer = $root.canopy.link.v1.PipeAnswer.toObject(message.pipeAnswer, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "pipeAnswer";
                    }
                    if (message.pipeReady != null && $Object.hasOwnProperty.call(message, "pipeReady")) {
                        object.pipeReady = $root.canopy.link.v1.PipeReady.toObject(message.pipeReady, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "pipeReady";
                    }
                    if (message.pipeClose != null && $Object.hasOwnProperty.call(message, "pipeClose")) {
                        object.pipeClose = $root.canopy.link.v1.PipeClose.toObject(message.pipeClose, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "pipeClose";
                    }
                    if (message.layerDemand != null && $Object.hasOwnProperty.call(message, "layerDemand")) {
                        object.layerDemand = $root.canopy.link.v1.LayerDemand.toObject(message.layerDemand, options, _depth + 1);
                        if (options.oneofs)
                            object.msg = "layerDemand";
                    }
                    return object;
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

            v1.Challenge = (function() {

                /**
                 * Properties of a Challenge.
                 * @typedef {Object} canopy.link.v1.Challenge.$Properties
                 * @property {number|null} [protocolVersion] Challenge protocolVersion
                 * @property {Uint8Array|null} [nonce] Challenge nonce
                 * @property {string|null} [nodeId] Challenge nodeId
                 * @property {boolean|null} [authenticated] Challenge authenticated
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Challenge.
                 * @memberof canopy.link.v1
                 * @interface IChallenge
                 * @augments canopy.link.v1.Challenge.$Properties
                 * @deprecated Use canopy.link.v1.Challenge.$Properties instead.
                 */

                /**
                 * Shape of a Challenge.
                 * @typedef {canopy.link.v1.Challenge.$Properties} canopy.link.v1.Challenge.$Shape
                 */

                /**
                 * Constructs a new Challenge.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Challenge.
                 * @constructor
                 * @param {canopy.link.v1.Challenge.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Challenge = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Challenge protocolVersion.
                 * @member {number} protocolVersion
                 * @memberof canopy.link.v1.Challenge
                 * @instance
                 */
                Challenge.prototype.protocolVersion = 0;

                /**
                 * Challenge nonce.
                 * @member {Uint8Array} nonce
                 * @memberof canopy.link.v1.Challenge
                 * @instance
                 */
                Challenge.prototype.nonce = $util.newBuffer([]);

                /**
                 * Challenge nodeId.
                 * @member {string} nodeId
                 * @memberof canopy.link.v1.Challenge
                 * @instance
                 */
                Challenge.prototype.nodeId = "";

                /**
                 * Challenge authenticated.
                 * @member {boolean} authenticated
                 * @memberof canopy.link.v1.Challenge
                 * @instance
                 */
                Challenge.prototype.authenticated = false;

                /**
                 * Creates a new Challenge instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Challenge
                 * @static
                 * @param {canopy.link.v1.Challenge.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Challenge} Challenge instance
                 * @type {{
                 *   (properties: canopy.link.v1.Challenge.$Shape): canopy.link.v1.Challenge & canopy.link.v1.Challenge.$Shape;
                 *   (properties?: canopy.link.v1.Challenge.$Properties): canopy.link.v1.Challenge;
                 * }}
                 */
                Challenge.create = function(properties) {
                    return new Challenge(properties);
                };

                /**
                 * Encodes the specified Challenge message. Does not implicitly {@link canopy.link.v1.Challenge.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Challenge
                 * @static
                 * @param {canopy.link.v1.Challenge.$Properties} message Challenge message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Challenge.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && message.nonce.length)
                        writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.nonce);
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId") && message.nodeId !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.nodeId);
                    if (message.authenticated != null && $Object.hasOwnProperty.call(message, "authenticated") && message.authenticated !== false)
                        writer.uint32(/* id 4, wireType 0 =*/32).bool(message.authenticated);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Challenge message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Challenge
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Challenge & canopy.link.v1.Challenge.$Shape} Challenge
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Challenge.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Challenge();
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
                                    message.protocolVersion = value;
                                else
                                    delete message.protocolVersion;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.nonce = value;
                                else
                                    delete message.nonce;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.nodeId = value;
                                else
                                    delete message.nodeId;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.authenticated = value;
                                else
                                    delete message.authenticated;
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
                 * Creates a Challenge message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Challenge
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Challenge} Challenge
                 */
                Challenge.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Challenge)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Challenge: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Challenge();
                    if (object.protocolVersion != null)
                        if ($Number(object.protocolVersion) !== 0)
                            message.protocolVersion = object.protocolVersion >>> 0;
                    if (object.nonce != null)
                        if (object.nonce.length)
                            if (typeof object.nonce === "string")
                                $util.base64.decode(object.nonce, message.nonce = $util.newBuffer($util.base64.length(object.nonce)), 0);
                            else if (object.nonce.length >= 0)
                                message.nonce = object.nonce;
                    if (object.nodeId != null)
                        if (typeof object.nodeId !== "string" || object.nodeId.length)
                            message.nodeId = $String(object.nodeId);
                    if (object.authenticated != null)
                        if (object.authenticated)
                            message.authenticated = $Boolean(object.authenticated);
                    return message;
                };

                /**
                 * Creates a plain object from a Challenge message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Challenge
                 * @static
                 * @param {canopy.link.v1.Challenge} message Challenge
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Challenge.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.protocolVersion = 0;
                        if (options.bytes === $String)
                            object.nonce = "";
                        else {
                            object.nonce = [];
                            if (options.bytes !== $Array)
                                object.nonce = $util.newBuffer(object.nonce);
                        }
                        object.nodeId = "";
                        object.authenticated = false;
                    }
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                        object.protocolVersion = message.protocolVersion;
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce"))
                        object.nonce = options.bytes === $String ? $util.base64.encode(message.nonce, 0, message.nonce.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.nonce) : message.nonce;
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId"))
                        object.nodeId = message.nodeId;
                    if (message.authenticated != null && $Object.hasOwnProperty.call(message, "authenticated"))
                        object.authenticated = message.authenticated;
                    return object;
                };

                /**
                 * Converts this Challenge to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Challenge
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Challenge.prototype.toJSON = function() {
                    return Challenge.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Challenge
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Challenge
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Challenge.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Challenge";
                };

                return Challenge;
            })();

            v1.Hello = (function() {

                /**
                 * Properties of a Hello.
                 * @typedef {Object} canopy.link.v1.Hello.$Properties
                 * @property {string|null} [nodeId] Hello nodeId
                 * @property {number|null} [protocolVersion] Hello protocolVersion
                 * @property {canopy.link.v1.Hello.Role|null} [role] Hello role
                 * @property {Uint8Array|null} [nonce] Hello nonce
                 * @property {Uint8Array|null} [proof] Hello proof
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
                 * @param {canopy.link.v1.Hello.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Hello = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * Hello role.
                 * @member {canopy.link.v1.Hello.Role} role
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.role = 0;

                /**
                 * Hello nonce.
                 * @member {Uint8Array} nonce
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.nonce = $util.newBuffer([]);

                /**
                 * Hello proof.
                 * @member {Uint8Array} proof
                 * @memberof canopy.link.v1.Hello
                 * @instance
                 */
                Hello.prototype.proof = $util.newBuffer([]);

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
                 * @param {canopy.link.v1.Hello.$Properties} message Hello message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Hello.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId") && message.nodeId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.nodeId);
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.protocolVersion);
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role") && message.role !== 0)
                        writer.uint32(/* id 5, wireType 0 =*/40).int32(message.role);
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && message.nonce.length)
                        writer.uint32(/* id 10, wireType 2 =*/82).bytes(message.nonce);
                    if (message.proof != null && $Object.hasOwnProperty.call(message, "proof") && message.proof.length)
                        writer.uint32(/* id 11, wireType 2 =*/90).bytes(message.proof);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Hello message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Hello & canopy.link.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Hello.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Hello();
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
                                    message.nodeId = value;
                                else
                                    delete message.nodeId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.protocolVersion = value;
                                else
                                    delete message.protocolVersion;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.role = value;
                                else
                                    delete message.role;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.nonce = value;
                                else
                                    delete message.nonce;
                                continue;
                            }
                        case 11: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.proof = value;
                                else
                                    delete message.proof;
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
                 * Creates a Hello message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Hello} Hello
                 */
                Hello.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Hello)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Hello: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Hello();
                    if (object.nodeId != null)
                        if (typeof object.nodeId !== "string" || object.nodeId.length)
                            message.nodeId = $String(object.nodeId);
                    if (object.protocolVersion != null)
                        if ($Number(object.protocolVersion) !== 0)
                            message.protocolVersion = object.protocolVersion >>> 0;
                    if (object.role !== 0 && (typeof object.role !== "string" || $root.canopy.link.v1.Hello.Role[object.role] !== 0))
                        switch (object.role) {
                        case "ROLE_UNSPECIFIED":
                        case 0:
                            message.role = 0;
                            break;
                        case "ROLE_CHILD":
                        case 1:
                            message.role = 1;
                            break;
                        case "ROLE_SIBLING":
                        case 2:
                            message.role = 2;
                            break;
                        default:
                            if (typeof object.role === "number" && (object.role | 0) === object.role)
                                message.role = object.role;
                        }
                    if (object.nonce != null)
                        if (object.nonce.length)
                            if (typeof object.nonce === "string")
                                $util.base64.decode(object.nonce, message.nonce = $util.newBuffer($util.base64.length(object.nonce)), 0);
                            else if (object.nonce.length >= 0)
                                message.nonce = object.nonce;
                    if (object.proof != null)
                        if (object.proof.length)
                            if (typeof object.proof === "string")
                                $util.base64.decode(object.proof, message.proof = $util.newBuffer($util.base64.length(object.proof)), 0);
                            else if (object.proof.length >= 0)
                                message.proof = object.proof;
                    return message;
                };

                /**
                 * Creates a plain object from a Hello message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Hello
                 * @static
                 * @param {canopy.link.v1.Hello} message Hello
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Hello.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.nodeId = "";
                        object.protocolVersion = 0;
                        object.role = options.enums === $String ? "ROLE_UNSPECIFIED" : 0;
                        if (options.bytes === $String)
                            object.nonce = "";
                        else {
                            object.nonce = [];
                            if (options.bytes !== $Array)
                                object.nonce = $util.newBuffer(object.nonce);
                        }
                        if (options.bytes === $String)
                            object.proof = "";
                        else {
                            object.proof = [];
                            if (options.bytes !== $Array)
                                object.proof = $util.newBuffer(object.proof);
                        }
                    }
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId"))
                        object.nodeId = message.nodeId;
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                        object.protocolVersion = message.protocolVersion;
                    if (message.role != null && $Object.hasOwnProperty.call(message, "role"))
                        object.role = options.enums === $String ? $root.canopy.link.v1.Hello.Role[message.role] === $undefined ? message.role : $root.canopy.link.v1.Hello.Role[message.role] : message.role;
                    if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce"))
                        object.nonce = options.bytes === $String ? $util.base64.encode(message.nonce, 0, message.nonce.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.nonce) : message.nonce;
                    if (message.proof != null && $Object.hasOwnProperty.call(message, "proof"))
                        object.proof = options.bytes === $String ? $util.base64.encode(message.proof, 0, message.proof.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.proof) : message.proof;
                    return object;
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
                 * @property {string|null} [instance] Welcome instance
                 * @property {Uint8Array|null} [proof] Welcome proof
                 * @property {Array.<string>|null} [path] Welcome path
                 * @property {canopy.link.v1.NodeStatus.$Properties|null} [status] Welcome status
                 * @property {boolean|null} [pipe] Welcome pipe
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
                 * @param {canopy.link.v1.Welcome.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Welcome = function (properties) {
                    this.path = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * Welcome instance.
                 * @member {string} instance
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.instance = "";

                /**
                 * Welcome proof.
                 * @member {Uint8Array} proof
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.proof = $util.newBuffer([]);

                /**
                 * Welcome path.
                 * @member {Array.<string>} path
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.path = $util.emptyArray;

                /**
                 * Welcome status.
                 * @member {canopy.link.v1.NodeStatus.$Properties|null|undefined} status
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.status = null;

                /**
                 * Welcome pipe.
                 * @member {boolean} pipe
                 * @memberof canopy.link.v1.Welcome
                 * @instance
                 */
                Welcome.prototype.pipe = false;

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
                 * @param {canopy.link.v1.Welcome.$Properties} message Welcome message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Welcome.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId") && message.nodeId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.nodeId);
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.protocolVersion);
                    if (message.level != null && $Object.hasOwnProperty.call(message, "level") && message.level !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.level);
                    if (message.heartbeatMs != null && $Object.hasOwnProperty.call(message, "heartbeatMs") && message.heartbeatMs !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.heartbeatMs);
                    if (message.maxFrameBytes != null && $Object.hasOwnProperty.call(message, "maxFrameBytes") && message.maxFrameBytes !== 0)
                        writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.maxFrameBytes);
                    if (message.instance != null && $Object.hasOwnProperty.call(message, "instance") && message.instance !== "")
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.instance);
                    if (message.proof != null && $Object.hasOwnProperty.call(message, "proof") && message.proof.length)
                        writer.uint32(/* id 10, wireType 2 =*/82).bytes(message.proof);
                    if (message.path != null && message.path.length)
                        for (let i = 0; i < message.path.length; ++i)
                            writer.uint32(/* id 20, wireType 2 =*/162).string(message.path[i]);
                    if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                        $root.canopy.link.v1.NodeStatus.encode(message.status, writer.uint32(/* id 21, wireType 2 =*/170).fork(), _depth + 1).ldelim();
                    if (message.pipe != null && $Object.hasOwnProperty.call(message, "pipe") && message.pipe !== false)
                        writer.uint32(/* id 30, wireType 0 =*/240).bool(message.pipe);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Welcome message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Welcome & canopy.link.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Welcome.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Welcome();
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
                                    message.nodeId = value;
                                else
                                    delete message.nodeId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.protocolVersion = value;
                                else
                                    delete message.protocolVersion;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.level = value;
                                else
                                    delete message.level;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.heartbeatMs = value;
                                else
                                    delete message.heartbeatMs;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.maxFrameBytes = value;
                                else
                                    delete message.maxFrameBytes;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.instance = value;
                                else
                                    delete message.instance;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.proof = value;
                                else
                                    delete message.proof;
                                continue;
                            }
                        case 20: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.path && message.path.length))
                                    message.path = [];
                                message.path.push(reader.stringVerify());
                                continue;
                            }
                        case 21: {
                                if (wireType !== 2)
                                    break;
                                message.status = $root.canopy.link.v1.NodeStatus.decode(reader, reader.size(), $undefined, _depth + 1, message.status);
                                continue;
                            }
                        case 30: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.pipe = value;
                                else
                                    delete message.pipe;
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
                 * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Welcome} Welcome
                 */
                Welcome.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Welcome)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Welcome: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Welcome();
                    if (object.nodeId != null)
                        if (typeof object.nodeId !== "string" || object.nodeId.length)
                            message.nodeId = $String(object.nodeId);
                    if (object.protocolVersion != null)
                        if ($Number(object.protocolVersion) !== 0)
                            message.protocolVersion = object.protocolVersion >>> 0;
                    if (object.level != null)
                        if ($Number(object.level) !== 0)
                            message.level = object.level >>> 0;
                    if (object.heartbeatMs != null)
                        if ($Number(object.heartbeatMs) !== 0)
                            message.heartbeatMs = object.heartbeatMs >>> 0;
                    if (object.maxFrameBytes != null)
                        if ($Number(object.maxFrameBytes) !== 0)
                            message.maxFrameBytes = object.maxFrameBytes >>> 0;
                    if (object.instance != null)
                        if (typeof object.instance !== "string" || object.instance.length)
                            message.instance = $String(object.instance);
                    if (object.proof != null)
                        if (object.proof.length)
                            if (typeof object.proof === "string")
                                $util.base64.decode(object.proof, message.proof = $util.newBuffer($util.base64.length(object.proof)), 0);
                            else if (object.proof.length >= 0)
                                message.proof = object.proof;
                    if (object.path) {
                        if (!$Array.isArray(object.path))
                            throw $TypeError(".canopy.link.v1.Welcome.path: array expected");
                        message.path = $Array(object.path.length);
                        for (let i = 0; i < object.path.length; ++i)
                            message.path[i] = $String(object.path[i]);
                    }
                    if (object.status != null) {
                        if (!$util.isObject(object.status))
                            throw $TypeError(".canopy.link.v1.Welcome.status: object expected");
                        message.status = $root.canopy.link.v1.NodeStatus.fromObject(object.status, _depth + 1);
                    }
                    if (object.pipe != null)
                        if (object.pipe)
                            message.pipe = $Boolean(object.pipe);
                    return message;
                };

                /**
                 * Creates a plain object from a Welcome message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Welcome
                 * @static
                 * @param {canopy.link.v1.Welcome} message Welcome
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Welcome.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.path = [];
                    if (options.defaults) {
                        object.nodeId = "";
                        object.protocolVersion = 0;
                        object.level = 0;
                        object.heartbeatMs = 0;
                        object.maxFrameBytes = 0;
                        object.instance = "";
                        if (options.bytes === $String)
                            object.proof = "";
                        else {
                            object.proof = [];
                            if (options.bytes !== $Array)
                                object.proof = $util.newBuffer(object.proof);
                        }
                        object.status = null;
                        object.pipe = false;
                    }
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId"))
                        object.nodeId = message.nodeId;
                    if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                        object.protocolVersion = message.protocolVersion;
                    if (message.level != null && $Object.hasOwnProperty.call(message, "level"))
                        object.level = message.level;
                    if (message.heartbeatMs != null && $Object.hasOwnProperty.call(message, "heartbeatMs"))
                        object.heartbeatMs = message.heartbeatMs;
                    if (message.maxFrameBytes != null && $Object.hasOwnProperty.call(message, "maxFrameBytes"))
                        object.maxFrameBytes = message.maxFrameBytes;
                    if (message.instance != null && $Object.hasOwnProperty.call(message, "instance"))
                        object.instance = message.instance;
                    if (message.proof != null && $Object.hasOwnProperty.call(message, "proof"))
                        object.proof = options.bytes === $String ? $util.base64.encode(message.proof, 0, message.proof.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.proof) : message.proof;
                    if (message.path && message.path.length) {
                        object.path = $Array(message.path.length);
                        for (let j = 0; j < message.path.length; ++j)
                            object.path[j] = message.path[j];
                    }
                    if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                        object.status = $root.canopy.link.v1.NodeStatus.toObject(message.status, options, _depth + 1);
                    if (message.pipe != null && $Object.hasOwnProperty.call(message, "pipe"))
                        object.pipe = message.pipe;
                    return object;
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

            v1.NodeStatus = (function() {

                /**
                 * Properties of a NodeStatus.
                 * @typedef {Object} canopy.link.v1.NodeStatus.$Properties
                 * @property {string|null} [nodeId] NodeStatus nodeId
                 * @property {number|null} [level] NodeStatus level
                 * @property {number|null} [viewers] NodeStatus viewers
                 * @property {number|null} [childLinks] NodeStatus childLinks
                 * @property {number|null} [egressBps] NodeStatus egressBps
                 * @property {number|null} [cpu] NodeStatus cpu
                 * @property {number|null} [streams] NodeStatus streams
                 * @property {string|null} [publicUrl] NodeStatus publicUrl
                 * @property {string|null} [region] NodeStatus region
                 * @property {Array.<string>|null} [classes] NodeStatus classes
                 * @property {boolean|null} [draining] NodeStatus draining
                 * @property {string|null} [parentId] NodeStatus parentId
                 * @property {Array.<string>|null} [carrying] NodeStatus carrying
                 * @property {number|null} [capacity] NodeStatus capacity
                 * @property {Array.<canopy.link.v1.Flow.$Properties>|null} [flows] NodeStatus flows
                 * @property {number|null} [viewersTurn] NodeStatus viewersTurn
                 * @property {number|null} [viewersTcp] NodeStatus viewersTcp
                 * @property {number|null} [cacheBytes] NodeStatus cacheBytes
                 * @property {number|null} [cacheBudgetBytes] NodeStatus cacheBudgetBytes
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a NodeStatus.
                 * @memberof canopy.link.v1
                 * @interface INodeStatus
                 * @augments canopy.link.v1.NodeStatus.$Properties
                 * @deprecated Use canopy.link.v1.NodeStatus.$Properties instead.
                 */

                /**
                 * Shape of a NodeStatus.
                 * @typedef {canopy.link.v1.NodeStatus.$Properties} canopy.link.v1.NodeStatus.$Shape
                 */

                /**
                 * Constructs a new NodeStatus.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a NodeStatus.
                 * @constructor
                 * @param {canopy.link.v1.NodeStatus.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const NodeStatus = function (properties) {
                    this.classes = [];
                    this.carrying = [];
                    this.flows = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * NodeStatus nodeId.
                 * @member {string} nodeId
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.nodeId = "";

                /**
                 * NodeStatus level.
                 * @member {number} level
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.level = 0;

                /**
                 * NodeStatus viewers.
                 * @member {number} viewers
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.viewers = 0;

                /**
                 * NodeStatus childLinks.
                 * @member {number} childLinks
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.childLinks = 0;

                /**
                 * NodeStatus egressBps.
                 * @member {number} egressBps
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.egressBps = 0;

                /**
                 * NodeStatus cpu.
                 * @member {number} cpu
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.cpu = 0;

                /**
                 * NodeStatus streams.
                 * @member {number} streams
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.streams = 0;

                /**
                 * NodeStatus publicUrl.
                 * @member {string} publicUrl
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.publicUrl = "";

                /**
                 * NodeStatus region.
                 * @member {string} region
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.region = "";

                /**
                 * NodeStatus classes.
                 * @member {Array.<string>} classes
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.classes = $util.emptyArray;

                /**
                 * NodeStatus draining.
                 * @member {boolean} draining
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.draining = false;

                /**
                 * NodeStatus parentId.
                 * @member {string} parentId
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.parentId = "";

                /**
                 * NodeStatus carrying.
                 * @member {Array.<string>} carrying
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.carrying = $util.emptyArray;

                /**
                 * NodeStatus capacity.
                 * @member {number} capacity
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.capacity = 0;

                /**
                 * NodeStatus flows.
                 * @member {Array.<canopy.link.v1.Flow.$Properties>} flows
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.flows = $util.emptyArray;

                /**
                 * NodeStatus viewersTurn.
                 * @member {number} viewersTurn
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.viewersTurn = 0;

                /**
                 * NodeStatus viewersTcp.
                 * @member {number} viewersTcp
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.viewersTcp = 0;

                /**
                 * NodeStatus cacheBytes.
                 * @member {number} cacheBytes
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.cacheBytes = 0;

                /**
                 * NodeStatus cacheBudgetBytes.
                 * @member {number} cacheBudgetBytes
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 */
                NodeStatus.prototype.cacheBudgetBytes = 0;

                /**
                 * Creates a new NodeStatus instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.NodeStatus
                 * @static
                 * @param {canopy.link.v1.NodeStatus.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.NodeStatus} NodeStatus instance
                 * @type {{
                 *   (properties: canopy.link.v1.NodeStatus.$Shape): canopy.link.v1.NodeStatus & canopy.link.v1.NodeStatus.$Shape;
                 *   (properties?: canopy.link.v1.NodeStatus.$Properties): canopy.link.v1.NodeStatus;
                 * }}
                 */
                NodeStatus.create = function(properties) {
                    return new NodeStatus(properties);
                };

                /**
                 * Encodes the specified NodeStatus message. Does not implicitly {@link canopy.link.v1.NodeStatus.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.NodeStatus
                 * @static
                 * @param {canopy.link.v1.NodeStatus.$Properties} message NodeStatus message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                NodeStatus.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId") && message.nodeId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.nodeId);
                    if (message.level != null && $Object.hasOwnProperty.call(message, "level") && message.level !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.level);
                    if (message.viewers != null && $Object.hasOwnProperty.call(message, "viewers") && message.viewers !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.viewers);
                    if (message.childLinks != null && $Object.hasOwnProperty.call(message, "childLinks") && message.childLinks !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.childLinks);
                    if (message.egressBps != null && $Object.hasOwnProperty.call(message, "egressBps") && !$Object.is(message.egressBps, 0))
                        writer.uint32(/* id 5, wireType 1 =*/41).double(message.egressBps);
                    if (message.cpu != null && $Object.hasOwnProperty.call(message, "cpu") && !$Object.is(message.cpu, 0))
                        writer.uint32(/* id 6, wireType 1 =*/49).double(message.cpu);
                    if (message.streams != null && $Object.hasOwnProperty.call(message, "streams") && message.streams !== 0)
                        writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.streams);
                    if (message.publicUrl != null && $Object.hasOwnProperty.call(message, "publicUrl") && message.publicUrl !== "")
                        writer.uint32(/* id 8, wireType 2 =*/66).string(message.publicUrl);
                    if (message.region != null && $Object.hasOwnProperty.call(message, "region") && message.region !== "")
                        writer.uint32(/* id 9, wireType 2 =*/74).string(message.region);
                    if (message.classes != null && message.classes.length)
                        for (let i = 0; i < message.classes.length; ++i)
                            writer.uint32(/* id 10, wireType 2 =*/82).string(message.classes[i]);
                    if (message.draining != null && $Object.hasOwnProperty.call(message, "draining") && message.draining !== false)
                        writer.uint32(/* id 11, wireType 0 =*/88).bool(message.draining);
                    if (message.parentId != null && $Object.hasOwnProperty.call(message, "parentId") && message.parentId !== "")
                        writer.uint32(/* id 12, wireType 2 =*/98).string(message.parentId);
                    if (message.carrying != null && message.carrying.length)
                        for (let i = 0; i < message.carrying.length; ++i)
                            writer.uint32(/* id 13, wireType 2 =*/106).string(message.carrying[i]);
                    if (message.capacity != null && $Object.hasOwnProperty.call(message, "capacity") && message.capacity !== 0)
                        writer.uint32(/* id 14, wireType 0 =*/112).uint32(message.capacity);
                    if (message.flows != null && message.flows.length)
                        for (let i = 0; i < message.flows.length; ++i)
                            $root.canopy.link.v1.Flow.encode(message.flows[i], writer.uint32(/* id 15, wireType 2 =*/122).fork(), _depth + 1).ldelim();
                    if (message.viewersTurn != null && $Object.hasOwnProperty.call(message, "viewersTurn") && message.viewersTurn !== 0)
                        writer.uint32(/* id 16, wireType 0 =*/128).uint32(message.viewersTurn);
                    if (message.viewersTcp != null && $Object.hasOwnProperty.call(message, "viewersTcp") && message.viewersTcp !== 0)
                        writer.uint32(/* id 17, wireType 0 =*/136).uint32(message.viewersTcp);
                    if (message.cacheBytes != null && $Object.hasOwnProperty.call(message, "cacheBytes") && !$Object.is(message.cacheBytes, 0))
                        writer.uint32(/* id 18, wireType 1 =*/145).double(message.cacheBytes);
                    if (message.cacheBudgetBytes != null && $Object.hasOwnProperty.call(message, "cacheBudgetBytes") && !$Object.is(message.cacheBudgetBytes, 0))
                        writer.uint32(/* id 19, wireType 1 =*/153).double(message.cacheBudgetBytes);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a NodeStatus message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.NodeStatus
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.NodeStatus & canopy.link.v1.NodeStatus.$Shape} NodeStatus
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                NodeStatus.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.NodeStatus();
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
                                    message.nodeId = value;
                                else
                                    delete message.nodeId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.level = value;
                                else
                                    delete message.level;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.viewers = value;
                                else
                                    delete message.viewers;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.childLinks = value;
                                else
                                    delete message.childLinks;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.egressBps = value;
                                else
                                    delete message.egressBps;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.cpu = value;
                                else
                                    delete message.cpu;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.streams = value;
                                else
                                    delete message.streams;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.publicUrl = value;
                                else
                                    delete message.publicUrl;
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.region = value;
                                else
                                    delete message.region;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.classes && message.classes.length))
                                    message.classes = [];
                                message.classes.push(reader.stringVerify());
                                continue;
                            }
                        case 11: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.draining = value;
                                else
                                    delete message.draining;
                                continue;
                            }
                        case 12: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.parentId = value;
                                else
                                    delete message.parentId;
                                continue;
                            }
                        case 13: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.carrying && message.carrying.length))
                                    message.carrying = [];
                                message.carrying.push(reader.stringVerify());
                                continue;
                            }
                        case 14: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.capacity = value;
                                else
                                    delete message.capacity;
                                continue;
                            }
                        case 15: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.flows && message.flows.length))
                                    message.flows = [];
                                message.flows.push($root.canopy.link.v1.Flow.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 16: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.viewersTurn = value;
                                else
                                    delete message.viewersTurn;
                                continue;
                            }
                        case 17: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.viewersTcp = value;
                                else
                                    delete message.viewersTcp;
                                continue;
                            }
                        case 18: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.cacheBytes = value;
                                else
                                    delete message.cacheBytes;
                                continue;
                            }
                        case 19: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.cacheBudgetBytes = value;
                                else
                                    delete message.cacheBudgetBytes;
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
                 * Creates a NodeStatus message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.NodeStatus
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.NodeStatus} NodeStatus
                 */
                NodeStatus.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.NodeStatus)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.NodeStatus: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.NodeStatus();
                    if (object.nodeId != null)
                        if (typeof object.nodeId !== "string" || object.nodeId.length)
                            message.nodeId = $String(object.nodeId);
                    if (object.level != null)
                        if ($Number(object.level) !== 0)
                            message.level = object.level >>> 0;
                    if (object.viewers != null)
                        if ($Number(object.viewers) !== 0)
                            message.viewers = object.viewers >>> 0;
                    if (object.childLinks != null)
                        if ($Number(object.childLinks) !== 0)
                            message.childLinks = object.childLinks >>> 0;
                    if (object.egressBps != null)
                        if (!$Object.is($Number(object.egressBps), 0))
                            message.egressBps = $Number(object.egressBps);
                    if (object.cpu != null)
                        if (!$Object.is($Number(object.cpu), 0))
                            message.cpu = $Number(object.cpu);
                    if (object.streams != null)
                        if ($Number(object.streams) !== 0)
                            message.streams = object.streams >>> 0;
                    if (object.publicUrl != null)
                        if (typeof object.publicUrl !== "string" || object.publicUrl.length)
                            message.publicUrl = $String(object.publicUrl);
                    if (object.region != null)
                        if (typeof object.region !== "string" || object.region.length)
                            message.region = $String(object.region);
                    if (object.classes) {
                        if (!$Array.isArray(object.classes))
                            throw $TypeError(".canopy.link.v1.NodeStatus.classes: array expected");
                        message.classes = $Array(object.classes.length);
                        for (let i = 0; i < object.classes.length; ++i)
                            message.classes[i] = $String(object.classes[i]);
                    }
                    if (object.draining != null)
                        if (object.draining)
                            message.draining = $Boolean(object.draining);
                    if (object.parentId != null)
                        if (typeof object.parentId !== "string" || object.parentId.length)
                            message.parentId = $String(object.parentId);
                    if (object.carrying) {
                        if (!$Array.isArray(object.carrying))
                            throw $TypeError(".canopy.link.v1.NodeStatus.carrying: array expected");
                        message.carrying = $Array(object.carrying.length);
                        for (let i = 0; i < object.carrying.length; ++i)
                            message.carrying[i] = $String(object.carrying[i]);
                    }
                    if (object.capacity != null)
                        if ($Number(object.capacity) !== 0)
                            message.capacity = object.capacity >>> 0;
                    if (object.flows) {
                        if (!$Array.isArray(object.flows))
                            throw $TypeError(".canopy.link.v1.NodeStatus.flows: array expected");
                        message.flows = $Array(object.flows.length);
                        for (let i = 0; i < object.flows.length; ++i) {
                            if (!$util.isObject(object.flows[i]))
                                throw $TypeError(".canopy.link.v1.NodeStatus.flows: object expected");
                            message.flows[i] = $root.canopy.link.v1.Flow.fromObject(object.flows[i], _depth + 1);
                        }
                    }
                    if (object.viewersTurn != null)
                        if ($Number(object.viewersTurn) !== 0)
                            message.viewersTurn = object.viewersTurn >>> 0;
                    if (object.viewersTcp != null)
                        if ($Number(object.viewersTcp) !== 0)
                            message.viewersTcp = object.viewersTcp >>> 0;
                    if (object.cacheBytes != null)
                        if (!$Object.is($Number(object.cacheBytes), 0))
                            message.cacheBytes = $Number(object.cacheBytes);
                    if (object.cacheBudgetBytes != null)
                        if (!$Object.is($Number(object.cacheBudgetBytes), 0))
                            message.cacheBudgetBytes = $Number(object.cacheBudgetBytes);
                    return message;
                };

                /**
                 * Creates a plain object from a NodeStatus message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.NodeStatus
                 * @static
                 * @param {canopy.link.v1.NodeStatus} message NodeStatus
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                NodeStatus.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults) {
                        object.classes = [];
                        object.carrying = [];
                        object.flows = [];
                    }
                    if (options.defaults) {
                        object.nodeId = "";
                        object.level = 0;
                        object.viewers = 0;
                        object.childLinks = 0;
                        object.egressBps = 0;
                        object.cpu = 0;
                        object.streams = 0;
                        object.publicUrl = "";
                        object.region = "";
                        object.draining = false;
                        object.parentId = "";
                        object.capacity = 0;
                        object.viewersTurn = 0;
                        object.viewersTcp = 0;
                        object.cacheBytes = 0;
                        object.cacheBudgetBytes = 0;
                    }
                    if (message.nodeId != null && $Object.hasOwnProperty.call(message, "nodeId"))
                        object.nodeId = message.nodeId;
                    if (message.level != null && $Object.hasOwnProperty.call(message, "level"))
                        object.level = message.level;
                    if (message.viewers != null && $Object.hasOwnProperty.call(message, "viewers"))
                        object.viewers = message.viewers;
                    if (message.childLinks != null && $Object.hasOwnProperty.call(message, "childLinks"))
                        object.childLinks = message.childLinks;
                    if (message.egressBps != null && $Object.hasOwnProperty.call(message, "egressBps"))
                        object.egressBps = options.json && !$isFinite(message.egressBps) ? $String(message.egressBps) : message.egressBps;
                    if (message.cpu != null && $Object.hasOwnProperty.call(message, "cpu"))
                        object.cpu = options.json && !$isFinite(message.cpu) ? $String(message.cpu) : message.cpu;
                    if (message.streams != null && $Object.hasOwnProperty.call(message, "streams"))
                        object.streams = message.streams;
                    if (message.publicUrl != null && $Object.hasOwnProperty.call(message, "publicUrl"))
                        object.publicUrl = message.publicUrl;
                    if (message.region != null && $Object.hasOwnProperty.call(message, "region"))
                        object.region = message.region;
                    if (message.classes && message.classes.length) {
                        object.classes = $Array(message.classes.length);
                        for (let j = 0; j < message.classes.length; ++j)
                            object.classes[j] = message.classes[j];
                    }
                    if (message.draining != null && $Object.hasOwnProperty.call(message, "draining"))
                        object.draining = message.draining;
                    if (message.parentId != null && $Object.hasOwnProperty.call(message, "parentId"))
                        object.parentId = message.parentId;
                    if (message.carrying && message.carrying.length) {
                        object.carrying = $Array(message.carrying.length);
                        for (let j = 0; j < message.carrying.length; ++j)
                            object.carrying[j] = message.carrying[j];
                    }
                    if (message.capacity != null && $Object.hasOwnProperty.call(message, "capacity"))
                        object.capacity = message.capacity;
                    if (message.flows && message.flows.length) {
                        object.flows = $Array(message.flows.length);
                        for (let j = 0; j < message.flows.length; ++j)
                            object.flows[j] = $root.canopy.link.v1.Flow.toObject(message.flows[j], options, _depth + 1);
                    }
                    if (message.viewersTurn != null && $Object.hasOwnProperty.call(message, "viewersTurn"))
                        object.viewersTurn = message.viewersTurn;
                    if (message.viewersTcp != null && $Object.hasOwnProperty.call(message, "viewersTcp"))
                        object.viewersTcp = message.viewersTcp;
                    if (message.cacheBytes != null && $Object.hasOwnProperty.call(message, "cacheBytes"))
                        object.cacheBytes = options.json && !$isFinite(message.cacheBytes) ? $String(message.cacheBytes) : message.cacheBytes;
                    if (message.cacheBudgetBytes != null && $Object.hasOwnProperty.call(message, "cacheBudgetBytes"))
                        object.cacheBudgetBytes = options.json && !$isFinite(message.cacheBudgetBytes) ? $String(message.cacheBudgetBytes) : message.cacheBudgetBytes;
                    return object;
                };

                /**
                 * Converts this NodeStatus to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.NodeStatus
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                NodeStatus.prototype.toJSON = function() {
                    return NodeStatus.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for NodeStatus
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.NodeStatus
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                NodeStatus.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.NodeStatus";
                };

                return NodeStatus;
            })();

            v1.Flow = (function() {

                /**
                 * Properties of a Flow.
                 * @typedef {Object} canopy.link.v1.Flow.$Properties
                 * @property {string|null} [stream] Flow stream
                 * @property {canopy.link.v1.Flow.Source|null} [source] Flow source
                 * @property {string|null} [from] Flow from
                 * @property {number|null} [startMs] Flow startMs
                 * @property {number|null} [bitrateBps] Flow bitrateBps
                 * @property {number|null} [viewers] Flow viewers
                 * @property {number|null} [children] Flow children
                 * @property {Array.<string>|null} [layers] Flow layers
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Flow.
                 * @memberof canopy.link.v1
                 * @interface IFlow
                 * @augments canopy.link.v1.Flow.$Properties
                 * @deprecated Use canopy.link.v1.Flow.$Properties instead.
                 */

                /**
                 * Shape of a Flow.
                 * @typedef {canopy.link.v1.Flow.$Properties} canopy.link.v1.Flow.$Shape
                 */

                /**
                 * Constructs a new Flow.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Flow.
                 * @constructor
                 * @param {canopy.link.v1.Flow.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Flow = function (properties) {
                    this.layers = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Flow stream.
                 * @member {string} stream
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.stream = "";

                /**
                 * Flow source.
                 * @member {canopy.link.v1.Flow.Source} source
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.source = 0;

                /**
                 * Flow from.
                 * @member {string} from
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.from = "";

                /**
                 * Flow startMs.
                 * @member {number|null|undefined} startMs
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.startMs = null;

                /**
                 * Flow bitrateBps.
                 * @member {number} bitrateBps
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.bitrateBps = 0;

                /**
                 * Flow viewers.
                 * @member {number} viewers
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.viewers = 0;

                /**
                 * Flow children.
                 * @member {number} children
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.children = 0;

                /**
                 * Flow layers.
                 * @member {Array.<string>} layers
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 */
                Flow.prototype.layers = $util.emptyArray;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Flow.prototype, "_startMs", {
                    get: $util.oneOfGetter($oneOfFields = ["startMs"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Flow instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Flow
                 * @static
                 * @param {canopy.link.v1.Flow.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Flow} Flow instance
                 * @type {{
                 *   (properties: canopy.link.v1.Flow.$Shape): canopy.link.v1.Flow & canopy.link.v1.Flow.$Shape;
                 *   (properties?: canopy.link.v1.Flow.$Properties): canopy.link.v1.Flow;
                 * }}
                 */
                Flow.create = function(properties) {
                    return new Flow(properties);
                };

                /**
                 * Encodes the specified Flow message. Does not implicitly {@link canopy.link.v1.Flow.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Flow
                 * @static
                 * @param {canopy.link.v1.Flow.$Properties} message Flow message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Flow.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.stream);
                    if (message.source != null && $Object.hasOwnProperty.call(message, "source") && message.source !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).int32(message.source);
                    if (message.from != null && $Object.hasOwnProperty.call(message, "from") && message.from !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.from);
                    if (message.startMs != null && $Object.hasOwnProperty.call(message, "startMs"))
                        writer.uint32(/* id 4, wireType 1 =*/33).double(message.startMs);
                    if (message.bitrateBps != null && $Object.hasOwnProperty.call(message, "bitrateBps") && !$Object.is(message.bitrateBps, 0))
                        writer.uint32(/* id 5, wireType 1 =*/41).double(message.bitrateBps);
                    if (message.viewers != null && $Object.hasOwnProperty.call(message, "viewers") && message.viewers !== 0)
                        writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.viewers);
                    if (message.children != null && $Object.hasOwnProperty.call(message, "children") && message.children !== 0)
                        writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.children);
                    if (message.layers != null && message.layers.length)
                        for (let i = 0; i < message.layers.length; ++i)
                            writer.uint32(/* id 8, wireType 2 =*/66).string(message.layers[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Flow message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Flow
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Flow & canopy.link.v1.Flow.$Shape} Flow
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Flow.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Flow();
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
                                    message.stream = value;
                                else
                                    delete message.stream;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.source = value;
                                else
                                    delete message.source;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.from = value;
                                else
                                    delete message.from;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 1)
                                    break;
                                message.startMs = reader.double();
                                message._startMs = "startMs";
                                continue;
                            }
                        case 5: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.bitrateBps = value;
                                else
                                    delete message.bitrateBps;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.viewers = value;
                                else
                                    delete message.viewers;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.children = value;
                                else
                                    delete message.children;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.layers && message.layers.length))
                                    message.layers = [];
                                message.layers.push(reader.stringVerify());
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
                 * Creates a Flow message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Flow
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Flow} Flow
                 */
                Flow.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Flow)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Flow: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Flow();
                    if (object.stream != null)
                        if (typeof object.stream !== "string" || object.stream.length)
                            message.stream = $String(object.stream);
                    if (object.source !== 0 && (typeof object.source !== "string" || $root.canopy.link.v1.Flow.Source[object.source] !== 0))
                        switch (object.source) {
                        case "SOURCE_UNSPECIFIED":
                        case 0:
                            message.source = 0;
                            break;
                        case "SOURCE_PUBLISHER":
                        case 1:
                            message.source = 1;
                            break;
                        case "SOURCE_PARENT":
                        case 2:
                            message.source = 2;
                            break;
                        case "SOURCE_SIBLING":
                        case 3:
                            message.source = 3;
                            break;
                        case "SOURCE_LOCAL":
                        case 4:
                            message.source = 4;
                            break;
                        default:
                            if (typeof object.source === "number" && (object.source | 0) === object.source)
                                message.source = object.source;
                        }
                    if (object.from != null)
                        if (typeof object.from !== "string" || object.from.length)
                            message.from = $String(object.from);
                    if (object.startMs != null)
                        message.startMs = $Number(object.startMs);
                    if (object.bitrateBps != null)
                        if (!$Object.is($Number(object.bitrateBps), 0))
                            message.bitrateBps = $Number(object.bitrateBps);
                    if (object.viewers != null)
                        if ($Number(object.viewers) !== 0)
                            message.viewers = object.viewers >>> 0;
                    if (object.children != null)
                        if ($Number(object.children) !== 0)
                            message.children = object.children >>> 0;
                    if (object.layers) {
                        if (!$Array.isArray(object.layers))
                            throw $TypeError(".canopy.link.v1.Flow.layers: array expected");
                        message.layers = $Array(object.layers.length);
                        for (let i = 0; i < object.layers.length; ++i)
                            message.layers[i] = $String(object.layers[i]);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a Flow message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Flow
                 * @static
                 * @param {canopy.link.v1.Flow} message Flow
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Flow.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.layers = [];
                    if (options.defaults) {
                        object.stream = "";
                        object.source = options.enums === $String ? "SOURCE_UNSPECIFIED" : 0;
                        object.from = "";
                        object.bitrateBps = 0;
                        object.viewers = 0;
                        object.children = 0;
                    }
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        object.stream = message.stream;
                    if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                        object.source = options.enums === $String ? $root.canopy.link.v1.Flow.Source[message.source] === $undefined ? message.source : $root.canopy.link.v1.Flow.Source[message.source] : message.source;
                    if (message.from != null && $Object.hasOwnProperty.call(message, "from"))
                        object.from = message.from;
                    if (message.startMs != null && $Object.hasOwnProperty.call(message, "startMs"))
                        object.startMs = options.json && !$isFinite(message.startMs) ? $String(message.startMs) : message.startMs;
                    if (message.bitrateBps != null && $Object.hasOwnProperty.call(message, "bitrateBps"))
                        object.bitrateBps = options.json && !$isFinite(message.bitrateBps) ? $String(message.bitrateBps) : message.bitrateBps;
                    if (message.viewers != null && $Object.hasOwnProperty.call(message, "viewers"))
                        object.viewers = message.viewers;
                    if (message.children != null && $Object.hasOwnProperty.call(message, "children"))
                        object.children = message.children;
                    if (message.layers && message.layers.length) {
                        object.layers = $Array(message.layers.length);
                        for (let j = 0; j < message.layers.length; ++j)
                            object.layers[j] = message.layers[j];
                    }
                    return object;
                };

                /**
                 * Converts this Flow to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Flow
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Flow.prototype.toJSON = function() {
                    return Flow.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Flow
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Flow
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Flow.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Flow";
                };

                /**
                 * Source enum.
                 * @name canopy.link.v1.Flow.Source
                 * @enum {number}
                 * @property {number} SOURCE_UNSPECIFIED=0 SOURCE_UNSPECIFIED value
                 * @property {number} SOURCE_PUBLISHER=1 SOURCE_PUBLISHER value
                 * @property {number} SOURCE_PARENT=2 SOURCE_PARENT value
                 * @property {number} SOURCE_SIBLING=3 SOURCE_SIBLING value
                 * @property {number} SOURCE_LOCAL=4 SOURCE_LOCAL value
                 */
                Flow.Source = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "SOURCE_UNSPECIFIED"] = 0;
                    values[valuesById[1] = "SOURCE_PUBLISHER"] = 1;
                    values[valuesById[2] = "SOURCE_PARENT"] = 2;
                    values[valuesById[3] = "SOURCE_SIBLING"] = 3;
                    values[valuesById[4] = "SOURCE_LOCAL"] = 4;
                    return values;
                })();

                return Flow;
            })();

            v1.Subscribe = (function() {

                /**
                 * Properties of a Subscribe.
                 * @typedef {Object} canopy.link.v1.Subscribe.$Properties
                 * @property {number|null} [subId] Subscribe subId
                 * @property {string|null} [stream] Subscribe stream
                 * @property {number|null} [startMs] Subscribe startMs
                 * @property {boolean|null} [bypass] Subscribe bypass
                 * @property {boolean|null} [layered] Subscribe layered
                 * @property {Array.<string>|null} [layers] Subscribe layers
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
                 * @param {canopy.link.v1.Subscribe.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Subscribe = function (properties) {
                    this.layers = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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

                /**
                 * Subscribe layered.
                 * @member {boolean} layered
                 * @memberof canopy.link.v1.Subscribe
                 * @instance
                 */
                Subscribe.prototype.layered = false;

                /**
                 * Subscribe layers.
                 * @member {Array.<string>} layers
                 * @memberof canopy.link.v1.Subscribe
                 * @instance
                 */
                Subscribe.prototype.layers = $util.emptyArray;

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
                 * @param {canopy.link.v1.Subscribe.$Properties} message Subscribe message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Subscribe.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream") && message.stream !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.stream);
                    if (message.startMs != null && $Object.hasOwnProperty.call(message, "startMs"))
                        writer.uint32(/* id 3, wireType 1 =*/25).double(message.startMs);
                    if (message.bypass != null && $Object.hasOwnProperty.call(message, "bypass") && message.bypass !== false)
                        writer.uint32(/* id 4, wireType 0 =*/32).bool(message.bypass);
                    if (message.layered != null && $Object.hasOwnProperty.call(message, "layered") && message.layered !== false)
                        writer.uint32(/* id 5, wireType 0 =*/40).bool(message.layered);
                    if (message.layers != null && message.layers.length)
                        for (let i = 0; i < message.layers.length; ++i)
                            writer.uint32(/* id 6, wireType 2 =*/50).string(message.layers[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Subscribe message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Subscribe & canopy.link.v1.Subscribe.$Shape} Subscribe
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Subscribe.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Subscribe();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
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
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.bypass = value;
                                else
                                    delete message.bypass;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.layered = value;
                                else
                                    delete message.layered;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.layers && message.layers.length))
                                    message.layers = [];
                                message.layers.push(reader.stringVerify());
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
                 * Creates a Subscribe message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Subscribe} Subscribe
                 */
                Subscribe.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Subscribe)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Subscribe: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Subscribe();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.stream != null)
                        if (typeof object.stream !== "string" || object.stream.length)
                            message.stream = $String(object.stream);
                    if (object.startMs != null)
                        message.startMs = $Number(object.startMs);
                    if (object.bypass != null)
                        if (object.bypass)
                            message.bypass = $Boolean(object.bypass);
                    if (object.layered != null)
                        if (object.layered)
                            message.layered = $Boolean(object.layered);
                    if (object.layers) {
                        if (!$Array.isArray(object.layers))
                            throw $TypeError(".canopy.link.v1.Subscribe.layers: array expected");
                        message.layers = $Array(object.layers.length);
                        for (let i = 0; i < object.layers.length; ++i)
                            message.layers[i] = $String(object.layers[i]);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a Subscribe message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Subscribe
                 * @static
                 * @param {canopy.link.v1.Subscribe} message Subscribe
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Subscribe.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.layers = [];
                    if (options.defaults) {
                        object.subId = 0;
                        object.stream = "";
                        object.bypass = false;
                        object.layered = false;
                    }
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.stream != null && $Object.hasOwnProperty.call(message, "stream"))
                        object.stream = message.stream;
                    if (message.startMs != null && $Object.hasOwnProperty.call(message, "startMs"))
                        object.startMs = options.json && !$isFinite(message.startMs) ? $String(message.startMs) : message.startMs;
                    if (message.bypass != null && $Object.hasOwnProperty.call(message, "bypass"))
                        object.bypass = message.bypass;
                    if (message.layered != null && $Object.hasOwnProperty.call(message, "layered"))
                        object.layered = message.layered;
                    if (message.layers && message.layers.length) {
                        object.layers = $Array(message.layers.length);
                        for (let j = 0; j < message.layers.length; ++j)
                            object.layers[j] = message.layers[j];
                    }
                    return object;
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

            v1.LayerDemand = (function() {

                /**
                 * Properties of a LayerDemand.
                 * @typedef {Object} canopy.link.v1.LayerDemand.$Properties
                 * @property {number|null} [subId] LayerDemand subId
                 * @property {Array.<string>|null} [layers] LayerDemand layers
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a LayerDemand.
                 * @memberof canopy.link.v1
                 * @interface ILayerDemand
                 * @augments canopy.link.v1.LayerDemand.$Properties
                 * @deprecated Use canopy.link.v1.LayerDemand.$Properties instead.
                 */

                /**
                 * Shape of a LayerDemand.
                 * @typedef {canopy.link.v1.LayerDemand.$Properties} canopy.link.v1.LayerDemand.$Shape
                 */

                /**
                 * Constructs a new LayerDemand.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a LayerDemand.
                 * @constructor
                 * @param {canopy.link.v1.LayerDemand.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const LayerDemand = function (properties) {
                    this.layers = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * LayerDemand subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.LayerDemand
                 * @instance
                 */
                LayerDemand.prototype.subId = 0;

                /**
                 * LayerDemand layers.
                 * @member {Array.<string>} layers
                 * @memberof canopy.link.v1.LayerDemand
                 * @instance
                 */
                LayerDemand.prototype.layers = $util.emptyArray;

                /**
                 * Creates a new LayerDemand instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.LayerDemand
                 * @static
                 * @param {canopy.link.v1.LayerDemand.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.LayerDemand} LayerDemand instance
                 * @type {{
                 *   (properties: canopy.link.v1.LayerDemand.$Shape): canopy.link.v1.LayerDemand & canopy.link.v1.LayerDemand.$Shape;
                 *   (properties?: canopy.link.v1.LayerDemand.$Properties): canopy.link.v1.LayerDemand;
                 * }}
                 */
                LayerDemand.create = function(properties) {
                    return new LayerDemand(properties);
                };

                /**
                 * Encodes the specified LayerDemand message. Does not implicitly {@link canopy.link.v1.LayerDemand.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.LayerDemand
                 * @static
                 * @param {canopy.link.v1.LayerDemand.$Properties} message LayerDemand message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                LayerDemand.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.layers != null && message.layers.length)
                        for (let i = 0; i < message.layers.length; ++i)
                            writer.uint32(/* id 2, wireType 2 =*/18).string(message.layers[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a LayerDemand message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.LayerDemand
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.LayerDemand & canopy.link.v1.LayerDemand.$Shape} LayerDemand
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                LayerDemand.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.LayerDemand();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.layers && message.layers.length))
                                    message.layers = [];
                                message.layers.push(reader.stringVerify());
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
                 * Creates a LayerDemand message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.LayerDemand
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.LayerDemand} LayerDemand
                 */
                LayerDemand.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.LayerDemand)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.LayerDemand: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.LayerDemand();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.layers) {
                        if (!$Array.isArray(object.layers))
                            throw $TypeError(".canopy.link.v1.LayerDemand.layers: array expected");
                        message.layers = $Array(object.layers.length);
                        for (let i = 0; i < object.layers.length; ++i)
                            message.layers[i] = $String(object.layers[i]);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a LayerDemand message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.LayerDemand
                 * @static
                 * @param {canopy.link.v1.LayerDemand} message LayerDemand
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                LayerDemand.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.layers = [];
                    if (options.defaults)
                        object.subId = 0;
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.layers && message.layers.length) {
                        object.layers = $Array(message.layers.length);
                        for (let j = 0; j < message.layers.length; ++j)
                            object.layers[j] = message.layers[j];
                    }
                    return object;
                };

                /**
                 * Converts this LayerDemand to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.LayerDemand
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                LayerDemand.prototype.toJSON = function() {
                    return LayerDemand.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for LayerDemand
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.LayerDemand
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                LayerDemand.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.LayerDemand";
                };

                return LayerDemand;
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
                 * @property {canopy.link.v1.Layer.$Properties|null} [layer] TrackInfo layer
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
                 * @param {canopy.link.v1.TrackInfo.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const TrackInfo = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * TrackInfo layer.
                 * @member {canopy.link.v1.Layer.$Properties|null|undefined} layer
                 * @memberof canopy.link.v1.TrackInfo
                 * @instance
                 */
                TrackInfo.prototype.layer = null;

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
                 * @param {canopy.link.v1.TrackInfo.$Properties} message TrackInfo message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TrackInfo.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.id);
                    if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).int32(message.kind);
                    if (message.codec != null && $Object.hasOwnProperty.call(message, "codec") && message.codec !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.codec);
                    if (message.payloadType != null && $Object.hasOwnProperty.call(message, "payloadType") && message.payloadType !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.payloadType);
                    if (message.clockRate != null && $Object.hasOwnProperty.call(message, "clockRate") && message.clockRate !== 0)
                        writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.clockRate);
                    if (message.channels != null && $Object.hasOwnProperty.call(message, "channels") && message.channels !== 0)
                        writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.channels);
                    if (message.fmtp != null && $Object.hasOwnProperty.call(message, "fmtp") && message.fmtp !== "")
                        writer.uint32(/* id 7, wireType 2 =*/58).string(message.fmtp);
                    if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                        $root.canopy.link.v1.Layer.encode(message.layer, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a TrackInfo message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.TrackInfo & canopy.link.v1.TrackInfo.$Shape} TrackInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TrackInfo.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.TrackInfo();
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
                                    message.id = value;
                                else
                                    delete message.id;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.kind = value;
                                else
                                    delete message.kind;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.codec = value;
                                else
                                    delete message.codec;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.payloadType = value;
                                else
                                    delete message.payloadType;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.clockRate = value;
                                else
                                    delete message.clockRate;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.channels = value;
                                else
                                    delete message.channels;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.fmtp = value;
                                else
                                    delete message.fmtp;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 2)
                                    break;
                                message.layer = $root.canopy.link.v1.Layer.decode(reader, reader.size(), $undefined, _depth + 1, message.layer);
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
                 * Creates a TrackInfo message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.TrackInfo} TrackInfo
                 */
                TrackInfo.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.TrackInfo)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.TrackInfo: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.TrackInfo();
                    if (object.id != null)
                        if ($Number(object.id) !== 0)
                            message.id = object.id >>> 0;
                    if (object.kind !== 0 && (typeof object.kind !== "string" || $root.canopy.link.v1.TrackInfo.Kind[object.kind] !== 0))
                        switch (object.kind) {
                        case "KIND_UNSPECIFIED":
                        case 0:
                            message.kind = 0;
                            break;
                        case "KIND_AUDIO":
                        case 1:
                            message.kind = 1;
                            break;
                        case "KIND_VIDEO":
                        case 2:
                            message.kind = 2;
                            break;
                        default:
                            if (typeof object.kind === "number" && (object.kind | 0) === object.kind)
                                message.kind = object.kind;
                        }
                    if (object.codec != null)
                        if (typeof object.codec !== "string" || object.codec.length)
                            message.codec = $String(object.codec);
                    if (object.payloadType != null)
                        if ($Number(object.payloadType) !== 0)
                            message.payloadType = object.payloadType >>> 0;
                    if (object.clockRate != null)
                        if ($Number(object.clockRate) !== 0)
                            message.clockRate = object.clockRate >>> 0;
                    if (object.channels != null)
                        if ($Number(object.channels) !== 0)
                            message.channels = object.channels >>> 0;
                    if (object.fmtp != null)
                        if (typeof object.fmtp !== "string" || object.fmtp.length)
                            message.fmtp = $String(object.fmtp);
                    if (object.layer != null) {
                        if (!$util.isObject(object.layer))
                            throw $TypeError(".canopy.link.v1.TrackInfo.layer: object expected");
                        message.layer = $root.canopy.link.v1.Layer.fromObject(object.layer, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a TrackInfo message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.TrackInfo
                 * @static
                 * @param {canopy.link.v1.TrackInfo} message TrackInfo
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                TrackInfo.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.id = 0;
                        object.kind = options.enums === $String ? "KIND_UNSPECIFIED" : 0;
                        object.codec = "";
                        object.payloadType = 0;
                        object.clockRate = 0;
                        object.channels = 0;
                        object.fmtp = "";
                        object.layer = null;
                    }
                    if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                        object.id = message.id;
                    if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                        object.kind = options.enums === $String ? $root.canopy.link.v1.TrackInfo.Kind[message.kind] === $undefined ? message.kind : $root.canopy.link.v1.TrackInfo.Kind[message.kind] : message.kind;
                    if (message.codec != null && $Object.hasOwnProperty.call(message, "codec"))
                        object.codec = message.codec;
                    if (message.payloadType != null && $Object.hasOwnProperty.call(message, "payloadType"))
                        object.payloadType = message.payloadType;
                    if (message.clockRate != null && $Object.hasOwnProperty.call(message, "clockRate"))
                        object.clockRate = message.clockRate;
                    if (message.channels != null && $Object.hasOwnProperty.call(message, "channels"))
                        object.channels = message.channels;
                    if (message.fmtp != null && $Object.hasOwnProperty.call(message, "fmtp"))
                        object.fmtp = message.fmtp;
                    if (message.layer != null && $Object.hasOwnProperty.call(message, "layer"))
                        object.layer = $root.canopy.link.v1.Layer.toObject(message.layer, options, _depth + 1);
                    return object;
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

            v1.Layer = (function() {

                /**
                 * Properties of a Layer.
                 * @typedef {Object} canopy.link.v1.Layer.$Properties
                 * @property {string|null} [rid] Layer rid
                 * @property {string|null} [quality] Layer quality
                 * @property {number|null} [group] Layer group
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Layer.
                 * @memberof canopy.link.v1
                 * @interface ILayer
                 * @augments canopy.link.v1.Layer.$Properties
                 * @deprecated Use canopy.link.v1.Layer.$Properties instead.
                 */

                /**
                 * Shape of a Layer.
                 * @typedef {canopy.link.v1.Layer.$Properties} canopy.link.v1.Layer.$Shape
                 */

                /**
                 * Constructs a new Layer.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a Layer.
                 * @constructor
                 * @param {canopy.link.v1.Layer.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Layer = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Layer rid.
                 * @member {string} rid
                 * @memberof canopy.link.v1.Layer
                 * @instance
                 */
                Layer.prototype.rid = "";

                /**
                 * Layer quality.
                 * @member {string} quality
                 * @memberof canopy.link.v1.Layer
                 * @instance
                 */
                Layer.prototype.quality = "";

                /**
                 * Layer group.
                 * @member {number} group
                 * @memberof canopy.link.v1.Layer
                 * @instance
                 */
                Layer.prototype.group = 0;

                /**
                 * Creates a new Layer instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.Layer
                 * @static
                 * @param {canopy.link.v1.Layer.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.Layer} Layer instance
                 * @type {{
                 *   (properties: canopy.link.v1.Layer.$Shape): canopy.link.v1.Layer & canopy.link.v1.Layer.$Shape;
                 *   (properties?: canopy.link.v1.Layer.$Properties): canopy.link.v1.Layer;
                 * }}
                 */
                Layer.create = function(properties) {
                    return new Layer(properties);
                };

                /**
                 * Encodes the specified Layer message. Does not implicitly {@link canopy.link.v1.Layer.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.Layer
                 * @static
                 * @param {canopy.link.v1.Layer.$Properties} message Layer message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Layer.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.rid != null && $Object.hasOwnProperty.call(message, "rid") && message.rid !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.rid);
                    if (message.quality != null && $Object.hasOwnProperty.call(message, "quality") && message.quality !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.quality);
                    if (message.group != null && $Object.hasOwnProperty.call(message, "group") && message.group !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.group);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Layer message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Layer
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Layer & canopy.link.v1.Layer.$Shape} Layer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Layer.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Layer();
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
                                    message.rid = value;
                                else
                                    delete message.rid;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.quality = value;
                                else
                                    delete message.quality;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.group = value;
                                else
                                    delete message.group;
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
                 * Creates a Layer message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Layer
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Layer} Layer
                 */
                Layer.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Layer)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Layer: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Layer();
                    if (object.rid != null)
                        if (typeof object.rid !== "string" || object.rid.length)
                            message.rid = $String(object.rid);
                    if (object.quality != null)
                        if (typeof object.quality !== "string" || object.quality.length)
                            message.quality = $String(object.quality);
                    if (object.group != null)
                        if ($Number(object.group) !== 0)
                            message.group = object.group >>> 0;
                    return message;
                };

                /**
                 * Creates a plain object from a Layer message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Layer
                 * @static
                 * @param {canopy.link.v1.Layer} message Layer
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Layer.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.rid = "";
                        object.quality = "";
                        object.group = 0;
                    }
                    if (message.rid != null && $Object.hasOwnProperty.call(message, "rid"))
                        object.rid = message.rid;
                    if (message.quality != null && $Object.hasOwnProperty.call(message, "quality"))
                        object.quality = message.quality;
                    if (message.group != null && $Object.hasOwnProperty.call(message, "group"))
                        object.group = message.group;
                    return object;
                };

                /**
                 * Converts this Layer to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.Layer
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Layer.prototype.toJSON = function() {
                    return Layer.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Layer
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.Layer
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Layer.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.Layer";
                };

                return Layer;
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
                 * @param {canopy.link.v1.StreamInfo.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const StreamInfo = function (properties) {
                    this.tracks = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * @param {canopy.link.v1.StreamInfo.$Properties} message StreamInfo message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                StreamInfo.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                    if (message.createdMs != null && $Object.hasOwnProperty.call(message, "createdMs") && !$Object.is(message.createdMs, 0))
                        writer.uint32(/* id 2, wireType 1 =*/17).double(message.createdMs);
                    if (message.tracks != null && message.tracks.length)
                        for (let i = 0; i < message.tracks.length; ++i)
                            $root.canopy.link.v1.TrackInfo.encode(message.tracks[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a StreamInfo message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.StreamInfo & canopy.link.v1.StreamInfo.$Shape} StreamInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                StreamInfo.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.StreamInfo();
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
                                    message.name = value;
                                else
                                    delete message.name;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.createdMs = value;
                                else
                                    delete message.createdMs;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.tracks && message.tracks.length))
                                    message.tracks = [];
                                message.tracks.push($root.canopy.link.v1.TrackInfo.decode(reader, reader.size(), $undefined, _depth + 1));
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
                 * Creates a StreamInfo message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.StreamInfo} StreamInfo
                 */
                StreamInfo.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.StreamInfo)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.StreamInfo: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.StreamInfo();
                    if (object.name != null)
                        if (typeof object.name !== "string" || object.name.length)
                            message.name = $String(object.name);
                    if (object.createdMs != null)
                        if (!$Object.is($Number(object.createdMs), 0))
                            message.createdMs = $Number(object.createdMs);
                    if (object.tracks) {
                        if (!$Array.isArray(object.tracks))
                            throw $TypeError(".canopy.link.v1.StreamInfo.tracks: array expected");
                        message.tracks = $Array(object.tracks.length);
                        for (let i = 0; i < object.tracks.length; ++i) {
                            if (!$util.isObject(object.tracks[i]))
                                throw $TypeError(".canopy.link.v1.StreamInfo.tracks: object expected");
                            message.tracks[i] = $root.canopy.link.v1.TrackInfo.fromObject(object.tracks[i], _depth + 1);
                        }
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a StreamInfo message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.StreamInfo
                 * @static
                 * @param {canopy.link.v1.StreamInfo} message StreamInfo
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                StreamInfo.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.tracks = [];
                    if (options.defaults) {
                        object.name = "";
                        object.createdMs = 0;
                    }
                    if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                        object.name = message.name;
                    if (message.createdMs != null && $Object.hasOwnProperty.call(message, "createdMs"))
                        object.createdMs = options.json && !$isFinite(message.createdMs) ? $String(message.createdMs) : message.createdMs;
                    if (message.tracks && message.tracks.length) {
                        object.tracks = $Array(message.tracks.length);
                        for (let j = 0; j < message.tracks.length; ++j)
                            object.tracks[j] = $root.canopy.link.v1.TrackInfo.toObject(message.tracks[j], options, _depth + 1);
                    }
                    return object;
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
                 * @param {canopy.link.v1.SubscribeOk.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const SubscribeOk = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * @param {canopy.link.v1.SubscribeOk.$Properties} message SubscribeOk message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SubscribeOk.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.info != null && $Object.hasOwnProperty.call(message, "info"))
                        $root.canopy.link.v1.StreamInfo.encode(message.info, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a SubscribeOk message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeOk & canopy.link.v1.SubscribeOk.$Shape} SubscribeOk
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SubscribeOk.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.SubscribeOk();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.info = $root.canopy.link.v1.StreamInfo.decode(reader, reader.size(), $undefined, _depth + 1, message.info);
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
                 * Creates a SubscribeOk message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.SubscribeOk} SubscribeOk
                 */
                SubscribeOk.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.SubscribeOk)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.SubscribeOk: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.SubscribeOk();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.info != null) {
                        if (!$util.isObject(object.info))
                            throw $TypeError(".canopy.link.v1.SubscribeOk.info: object expected");
                        message.info = $root.canopy.link.v1.StreamInfo.fromObject(object.info, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a SubscribeOk message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.SubscribeOk
                 * @static
                 * @param {canopy.link.v1.SubscribeOk} message SubscribeOk
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                SubscribeOk.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.subId = 0;
                        object.info = null;
                    }
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.info != null && $Object.hasOwnProperty.call(message, "info"))
                        object.info = $root.canopy.link.v1.StreamInfo.toObject(message.info, options, _depth + 1);
                    return object;
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

            v1.SubscribeShared = (function() {

                /**
                 * Properties of a SubscribeShared.
                 * @typedef {Object} canopy.link.v1.SubscribeShared.$Properties
                 * @property {number|null} [subId] SubscribeShared subId
                 * @property {number|null} [mediaSubId] SubscribeShared mediaSubId
                 * @property {canopy.link.v1.StreamInfo.$Properties|null} [info] SubscribeShared info
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a SubscribeShared.
                 * @memberof canopy.link.v1
                 * @interface ISubscribeShared
                 * @augments canopy.link.v1.SubscribeShared.$Properties
                 * @deprecated Use canopy.link.v1.SubscribeShared.$Properties instead.
                 */

                /**
                 * Shape of a SubscribeShared.
                 * @typedef {canopy.link.v1.SubscribeShared.$Properties} canopy.link.v1.SubscribeShared.$Shape
                 */

                /**
                 * Constructs a new SubscribeShared.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a SubscribeShared.
                 * @constructor
                 * @param {canopy.link.v1.SubscribeShared.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const SubscribeShared = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * SubscribeShared subId.
                 * @member {number} subId
                 * @memberof canopy.link.v1.SubscribeShared
                 * @instance
                 */
                SubscribeShared.prototype.subId = 0;

                /**
                 * SubscribeShared mediaSubId.
                 * @member {number} mediaSubId
                 * @memberof canopy.link.v1.SubscribeShared
                 * @instance
                 */
                SubscribeShared.prototype.mediaSubId = 0;

                /**
                 * SubscribeShared info.
                 * @member {canopy.link.v1.StreamInfo.$Properties|null|undefined} info
                 * @memberof canopy.link.v1.SubscribeShared
                 * @instance
                 */
                SubscribeShared.prototype.info = null;

                /**
                 * Creates a new SubscribeShared instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.SubscribeShared
                 * @static
                 * @param {canopy.link.v1.SubscribeShared.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.SubscribeShared} SubscribeShared instance
                 * @type {{
                 *   (properties: canopy.link.v1.SubscribeShared.$Shape): canopy.link.v1.SubscribeShared & canopy.link.v1.SubscribeShared.$Shape;
                 *   (properties?: canopy.link.v1.SubscribeShared.$Properties): canopy.link.v1.SubscribeShared;
                 * }}
                 */
                SubscribeShared.create = function(properties) {
                    return new SubscribeShared(properties);
                };

                /**
                 * Encodes the specified SubscribeShared message. Does not implicitly {@link canopy.link.v1.SubscribeShared.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.SubscribeShared
                 * @static
                 * @param {canopy.link.v1.SubscribeShared.$Properties} message SubscribeShared message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SubscribeShared.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.mediaSubId != null && $Object.hasOwnProperty.call(message, "mediaSubId") && message.mediaSubId !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.mediaSubId);
                    if (message.info != null && $Object.hasOwnProperty.call(message, "info"))
                        $root.canopy.link.v1.StreamInfo.encode(message.info, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a SubscribeShared message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.SubscribeShared
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeShared & canopy.link.v1.SubscribeShared.$Shape} SubscribeShared
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SubscribeShared.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.SubscribeShared();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.mediaSubId = value;
                                else
                                    delete message.mediaSubId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.info = $root.canopy.link.v1.StreamInfo.decode(reader, reader.size(), $undefined, _depth + 1, message.info);
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
                 * Creates a SubscribeShared message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.SubscribeShared
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.SubscribeShared} SubscribeShared
                 */
                SubscribeShared.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.SubscribeShared)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.SubscribeShared: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.SubscribeShared();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.mediaSubId != null)
                        if ($Number(object.mediaSubId) !== 0)
                            message.mediaSubId = object.mediaSubId >>> 0;
                    if (object.info != null) {
                        if (!$util.isObject(object.info))
                            throw $TypeError(".canopy.link.v1.SubscribeShared.info: object expected");
                        message.info = $root.canopy.link.v1.StreamInfo.fromObject(object.info, _depth + 1);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a SubscribeShared message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.SubscribeShared
                 * @static
                 * @param {canopy.link.v1.SubscribeShared} message SubscribeShared
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                SubscribeShared.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.subId = 0;
                        object.mediaSubId = 0;
                        object.info = null;
                    }
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.mediaSubId != null && $Object.hasOwnProperty.call(message, "mediaSubId"))
                        object.mediaSubId = message.mediaSubId;
                    if (message.info != null && $Object.hasOwnProperty.call(message, "info"))
                        object.info = $root.canopy.link.v1.StreamInfo.toObject(message.info, options, _depth + 1);
                    return object;
                };

                /**
                 * Converts this SubscribeShared to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.SubscribeShared
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                SubscribeShared.prototype.toJSON = function() {
                    return SubscribeShared.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for SubscribeShared
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.SubscribeShared
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                SubscribeShared.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.SubscribeShared";
                };

                return SubscribeShared;
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
                 * @param {canopy.link.v1.SubscribeError.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const SubscribeError = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * @param {canopy.link.v1.SubscribeError.$Properties} message SubscribeError message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                SubscribeError.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.code);
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.reason);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a SubscribeError message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeError & canopy.link.v1.SubscribeError.$Shape} SubscribeError
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                SubscribeError.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.SubscribeError();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.reason = value;
                                else
                                    delete message.reason;
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
                 * Creates a SubscribeError message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.SubscribeError} SubscribeError
                 */
                SubscribeError.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.SubscribeError)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.SubscribeError: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.SubscribeError();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.code != null)
                        if ($Number(object.code) !== 0)
                            message.code = object.code >>> 0;
                    if (object.reason != null)
                        if (typeof object.reason !== "string" || object.reason.length)
                            message.reason = $String(object.reason);
                    return message;
                };

                /**
                 * Creates a plain object from a SubscribeError message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.SubscribeError
                 * @static
                 * @param {canopy.link.v1.SubscribeError} message SubscribeError
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                SubscribeError.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.subId = 0;
                        object.code = 0;
                        object.reason = "";
                    }
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                        object.code = message.code;
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                        object.reason = message.reason;
                    return object;
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
                 * @param {canopy.link.v1.Unsubscribe.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Unsubscribe = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * @param {canopy.link.v1.Unsubscribe.$Properties} message Unsubscribe message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Unsubscribe.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Unsubscribe message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Unsubscribe & canopy.link.v1.Unsubscribe.$Shape} Unsubscribe
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Unsubscribe.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Unsubscribe();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
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
                 * Creates an Unsubscribe message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Unsubscribe} Unsubscribe
                 */
                Unsubscribe.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Unsubscribe)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Unsubscribe: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Unsubscribe();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    return message;
                };

                /**
                 * Creates a plain object from an Unsubscribe message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Unsubscribe
                 * @static
                 * @param {canopy.link.v1.Unsubscribe} message Unsubscribe
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Unsubscribe.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults)
                        object.subId = 0;
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    return object;
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
                 * @property {boolean|null} [keyframe] Media keyframe
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
                 * @param {canopy.link.v1.Media.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Media = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * Media keyframe.
                 * @member {boolean} keyframe
                 * @memberof canopy.link.v1.Media
                 * @instance
                 */
                Media.prototype.keyframe = false;

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
                 * @param {canopy.link.v1.Media.$Properties} message Media message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Media.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.track != null && $Object.hasOwnProperty.call(message, "track") && message.track !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.track);
                    if (message.rtp != null && $Object.hasOwnProperty.call(message, "rtp") && message.rtp.length)
                        writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.rtp);
                    if (message.captureMs != null && $Object.hasOwnProperty.call(message, "captureMs") && !$Object.is(message.captureMs, 0))
                        writer.uint32(/* id 4, wireType 1 =*/33).double(message.captureMs);
                    if (message.keyframe != null && $Object.hasOwnProperty.call(message, "keyframe") && message.keyframe !== false)
                        writer.uint32(/* id 5, wireType 0 =*/40).bool(message.keyframe);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Media message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Media & canopy.link.v1.Media.$Shape} Media
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Media.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Media();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.track = value;
                                else
                                    delete message.track;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.rtp = value;
                                else
                                    delete message.rtp;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.captureMs = value;
                                else
                                    delete message.captureMs;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.keyframe = value;
                                else
                                    delete message.keyframe;
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
                 * Creates a Media message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Media} Media
                 */
                Media.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Media)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Media: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Media();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.track != null)
                        if ($Number(object.track) !== 0)
                            message.track = object.track >>> 0;
                    if (object.rtp != null)
                        if (object.rtp.length)
                            if (typeof object.rtp === "string")
                                $util.base64.decode(object.rtp, message.rtp = $util.newBuffer($util.base64.length(object.rtp)), 0);
                            else if (object.rtp.length >= 0)
                                message.rtp = object.rtp;
                    if (object.captureMs != null)
                        if (!$Object.is($Number(object.captureMs), 0))
                            message.captureMs = $Number(object.captureMs);
                    if (object.keyframe != null)
                        if (object.keyframe)
                            message.keyframe = $Boolean(object.keyframe);
                    return message;
                };

                /**
                 * Creates a plain object from a Media message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Media
                 * @static
                 * @param {canopy.link.v1.Media} message Media
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Media.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.subId = 0;
                        object.track = 0;
                        if (options.bytes === $String)
                            object.rtp = "";
                        else {
                            object.rtp = [];
                            if (options.bytes !== $Array)
                                object.rtp = $util.newBuffer(object.rtp);
                        }
                        object.captureMs = 0;
                        object.keyframe = false;
                    }
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.track != null && $Object.hasOwnProperty.call(message, "track"))
                        object.track = message.track;
                    if (message.rtp != null && $Object.hasOwnProperty.call(message, "rtp"))
                        object.rtp = options.bytes === $String ? $util.base64.encode(message.rtp, 0, message.rtp.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.rtp) : message.rtp;
                    if (message.captureMs != null && $Object.hasOwnProperty.call(message, "captureMs"))
                        object.captureMs = options.json && !$isFinite(message.captureMs) ? $String(message.captureMs) : message.captureMs;
                    if (message.keyframe != null && $Object.hasOwnProperty.call(message, "keyframe"))
                        object.keyframe = message.keyframe;
                    return object;
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
                 * @param {canopy.link.v1.KeyframeRequest.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const KeyframeRequest = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * @param {canopy.link.v1.KeyframeRequest.$Properties} message KeyframeRequest message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                KeyframeRequest.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.track != null && $Object.hasOwnProperty.call(message, "track") && message.track !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.track);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a KeyframeRequest message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.KeyframeRequest & canopy.link.v1.KeyframeRequest.$Shape} KeyframeRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                KeyframeRequest.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.KeyframeRequest();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.track = value;
                                else
                                    delete message.track;
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
                 * Creates a KeyframeRequest message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.KeyframeRequest} KeyframeRequest
                 */
                KeyframeRequest.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.KeyframeRequest)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.KeyframeRequest: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.KeyframeRequest();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.track != null)
                        if ($Number(object.track) !== 0)
                            message.track = object.track >>> 0;
                    return message;
                };

                /**
                 * Creates a plain object from a KeyframeRequest message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.KeyframeRequest
                 * @static
                 * @param {canopy.link.v1.KeyframeRequest} message KeyframeRequest
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                KeyframeRequest.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.subId = 0;
                        object.track = 0;
                    }
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.track != null && $Object.hasOwnProperty.call(message, "track"))
                        object.track = message.track;
                    return object;
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
                 * @param {canopy.link.v1.StreamEnded.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const StreamEnded = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * @param {canopy.link.v1.StreamEnded.$Properties} message StreamEnded message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                StreamEnded.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId") && message.subId !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.subId);
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.code);
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.reason);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a StreamEnded message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.StreamEnded & canopy.link.v1.StreamEnded.$Shape} StreamEnded
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                StreamEnded.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.StreamEnded();
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
                                    message.subId = value;
                                else
                                    delete message.subId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.reason = value;
                                else
                                    delete message.reason;
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
                 * Creates a StreamEnded message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.StreamEnded} StreamEnded
                 */
                StreamEnded.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.StreamEnded)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.StreamEnded: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.StreamEnded();
                    if (object.subId != null)
                        if ($Number(object.subId) !== 0)
                            message.subId = object.subId >>> 0;
                    if (object.code != null)
                        if ($Number(object.code) !== 0)
                            message.code = object.code >>> 0;
                    if (object.reason != null)
                        if (typeof object.reason !== "string" || object.reason.length)
                            message.reason = $String(object.reason);
                    return message;
                };

                /**
                 * Creates a plain object from a StreamEnded message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.StreamEnded
                 * @static
                 * @param {canopy.link.v1.StreamEnded} message StreamEnded
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                StreamEnded.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.subId = 0;
                        object.code = 0;
                        object.reason = "";
                    }
                    if (message.subId != null && $Object.hasOwnProperty.call(message, "subId"))
                        object.subId = message.subId;
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                        object.code = message.code;
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                        object.reason = message.reason;
                    return object;
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
                 * @property {canopy.link.v1.NodeStatus.$Properties|null} [status] Ping status
                 * @property {Array.<canopy.link.v1.NodeStatus.$Properties>|null} [subtree] Ping subtree
                 * @property {boolean|null} [subtreeTruncated] Ping subtreeTruncated
                 * @property {boolean|null} [hasSubtree] Ping hasSubtree
                 * @property {Array.<canopy.link.v1.NodeStatus.$Properties>|null} [peers] Ping peers
                 * @property {boolean|null} [hasPeers] Ping hasPeers
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
                 * @param {canopy.link.v1.Ping.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Ping = function (properties) {
                    this.subtree = [];
                    this.peers = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Ping sentMs.
                 * @member {number} sentMs
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.sentMs = 0;

                /**
                 * Ping status.
                 * @member {canopy.link.v1.NodeStatus.$Properties|null|undefined} status
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.status = null;

                /**
                 * Ping subtree.
                 * @member {Array.<canopy.link.v1.NodeStatus.$Properties>} subtree
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.subtree = $util.emptyArray;

                /**
                 * Ping subtreeTruncated.
                 * @member {boolean} subtreeTruncated
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.subtreeTruncated = false;

                /**
                 * Ping hasSubtree.
                 * @member {boolean} hasSubtree
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.hasSubtree = false;

                /**
                 * Ping peers.
                 * @member {Array.<canopy.link.v1.NodeStatus.$Properties>} peers
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.peers = $util.emptyArray;

                /**
                 * Ping hasPeers.
                 * @member {boolean} hasPeers
                 * @memberof canopy.link.v1.Ping
                 * @instance
                 */
                Ping.prototype.hasPeers = false;

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
                 * @param {canopy.link.v1.Ping.$Properties} message Ping message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Ping.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.sentMs != null && $Object.hasOwnProperty.call(message, "sentMs") && !$Object.is(message.sentMs, 0))
                        writer.uint32(/* id 1, wireType 1 =*/9).double(message.sentMs);
                    if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                        $root.canopy.link.v1.NodeStatus.encode(message.status, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.subtree != null && message.subtree.length)
                        for (let i = 0; i < message.subtree.length; ++i)
                            $root.canopy.link.v1.NodeStatus.encode(message.subtree[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.subtreeTruncated != null && $Object.hasOwnProperty.call(message, "subtreeTruncated") && message.subtreeTruncated !== false)
                        writer.uint32(/* id 4, wireType 0 =*/32).bool(message.subtreeTruncated);
                    if (message.peers != null && message.peers.length)
                        for (let i = 0; i < message.peers.length; ++i)
                            $root.canopy.link.v1.NodeStatus.encode(message.peers[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                    if (message.hasSubtree != null && $Object.hasOwnProperty.call(message, "hasSubtree") && message.hasSubtree !== false)
                        writer.uint32(/* id 6, wireType 0 =*/48).bool(message.hasSubtree);
                    if (message.hasPeers != null && $Object.hasOwnProperty.call(message, "hasPeers") && message.hasPeers !== false)
                        writer.uint32(/* id 7, wireType 0 =*/56).bool(message.hasPeers);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Ping message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Ping & canopy.link.v1.Ping.$Shape} Ping
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Ping.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.Ping();
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
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.sentMs = value;
                                else
                                    delete message.sentMs;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.status = $root.canopy.link.v1.NodeStatus.decode(reader, reader.size(), $undefined, _depth + 1, message.status);
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.subtree && message.subtree.length))
                                    message.subtree = [];
                                message.subtree.push($root.canopy.link.v1.NodeStatus.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.subtreeTruncated = value;
                                else
                                    delete message.subtreeTruncated;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.hasSubtree = value;
                                else
                                    delete message.hasSubtree;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.peers && message.peers.length))
                                    message.peers = [];
                                message.peers.push($root.canopy.link.v1.NodeStatus.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.hasPeers = value;
                                else
                                    delete message.hasPeers;
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
                 * Creates a Ping message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Ping} Ping
                 */
                Ping.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Ping)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Ping: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Ping();
                    if (object.sentMs != null)
                        if (!$Object.is($Number(object.sentMs), 0))
                            message.sentMs = $Number(object.sentMs);
                    if (object.status != null) {
                        if (!$util.isObject(object.status))
                            throw $TypeError(".canopy.link.v1.Ping.status: object expected");
                        message.status = $root.canopy.link.v1.NodeStatus.fromObject(object.status, _depth + 1);
                    }
                    if (object.subtree) {
                        if (!$Array.isArray(object.subtree))
                            throw $TypeError(".canopy.link.v1.Ping.subtree: array expected");
                        message.subtree = $Array(object.subtree.length);
                        for (let i = 0; i < object.subtree.length; ++i) {
                            if (!$util.isObject(object.subtree[i]))
                                throw $TypeError(".canopy.link.v1.Ping.subtree: object expected");
                            message.subtree[i] = $root.canopy.link.v1.NodeStatus.fromObject(object.subtree[i], _depth + 1);
                        }
                    }
                    if (object.subtreeTruncated != null)
                        if (object.subtreeTruncated)
                            message.subtreeTruncated = $Boolean(object.subtreeTruncated);
                    if (object.hasSubtree != null)
                        if (object.hasSubtree)
                            message.hasSubtree = $Boolean(object.hasSubtree);
                    if (object.peers) {
                        if (!$Array.isArray(object.peers))
                            throw $TypeError(".canopy.link.v1.Ping.peers: array expected");
                        message.peers = $Array(object.peers.length);
                        for (let i = 0; i < object.peers.length; ++i) {
                            if (!$util.isObject(object.peers[i]))
                                throw $TypeError(".canopy.link.v1.Ping.peers: object expected");
                            message.peers[i] = $root.canopy.link.v1.NodeStatus.fromObject(object.peers[i], _depth + 1);
                        }
                    }
                    if (object.hasPeers != null)
                        if (object.hasPeers)
                            message.hasPeers = $Boolean(object.hasPeers);
                    return message;
                };

                /**
                 * Creates a plain object from a Ping message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Ping
                 * @static
                 * @param {canopy.link.v1.Ping} message Ping
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Ping.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults) {
                        object.subtree = [];
                        object.peers = [];
                    }
                    if (options.defaults) {
                        object.sentMs = 0;
                        object.status = null;
                        object.subtreeTruncated = false;
                        object.hasSubtree = false;
                        object.hasPeers = false;
                    }
                    if (message.sentMs != null && $Object.hasOwnProperty.call(message, "sentMs"))
                        object.sentMs = options.json && !$isFinite(message.sentMs) ? $String(message.sentMs) : message.sentMs;
                    if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                        object.status = $root.canopy.link.v1.NodeStatus.toObject(message.status, options, _depth + 1);
                    if (message.subtree && message.subtree.length) {
                        object.subtree = $Array(message.subtree.length);
                        for (let j = 0; j < message.subtree.length; ++j)
                            object.subtree[j] = $root.canopy.link.v1.NodeStatus.toObject(message.subtree[j], options, _depth + 1);
                    }
                    if (message.subtreeTruncated != null && $Object.hasOwnProperty.call(message, "subtreeTruncated"))
                        object.subtreeTruncated = message.subtreeTruncated;
                    if (message.peers && message.peers.length) {
                        object.peers = $Array(message.peers.length);
                        for (let j = 0; j < message.peers.length; ++j)
                            object.peers[j] = $root.canopy.link.v1.NodeStatus.toObject(message.peers[j], options, _depth + 1);
                    }
                    if (message.hasSubtree != null && $Object.hasOwnProperty.call(message, "hasSubtree"))
                        object.hasSubtree = message.hasSubtree;
                    if (message.hasPeers != null && $Object.hasOwnProperty.call(message, "hasPeers"))
                        object.hasPeers = message.hasPeers;
                    return object;
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
                 * @param {canopy.link.v1.Pong.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Pong = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
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
                 * @param {canopy.link.v1.Pong.$Properties} message Pong message or plain object to encode
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
                    if (message.sentMs != null && $Object.hasOwnProperty.call(message, "sentMs") && !$Object.is(message.sentMs, 0))
                        writer.uint32(/* id 1, wireType 1 =*/9).double(message.sentMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Pong message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Pong & canopy.link.v1.Pong.$Shape} Pong
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
                    message = _target || new $root.canopy.link.v1.Pong();
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
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.sentMs = value;
                                else
                                    delete message.sentMs;
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
                 * Creates a Pong message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.Pong} Pong
                 */
                Pong.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.Pong)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.Pong: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.Pong();
                    if (object.sentMs != null)
                        if (!$Object.is($Number(object.sentMs), 0))
                            message.sentMs = $Number(object.sentMs);
                    return message;
                };

                /**
                 * Creates a plain object from a Pong message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.Pong
                 * @static
                 * @param {canopy.link.v1.Pong} message Pong
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Pong.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults)
                        object.sentMs = 0;
                    if (message.sentMs != null && $Object.hasOwnProperty.call(message, "sentMs"))
                        object.sentMs = options.json && !$isFinite(message.sentMs) ? $String(message.sentMs) : message.sentMs;
                    return object;
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

            v1.PathUpdate = (function() {

                /**
                 * Properties of a PathUpdate.
                 * @typedef {Object} canopy.link.v1.PathUpdate.$Properties
                 * @property {number|null} [level] PathUpdate level
                 * @property {Array.<string>|null} [path] PathUpdate path
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PathUpdate.
                 * @memberof canopy.link.v1
                 * @interface IPathUpdate
                 * @augments canopy.link.v1.PathUpdate.$Properties
                 * @deprecated Use canopy.link.v1.PathUpdate.$Properties instead.
                 */

                /**
                 * Shape of a PathUpdate.
                 * @typedef {canopy.link.v1.PathUpdate.$Properties} canopy.link.v1.PathUpdate.$Shape
                 */

                /**
                 * Constructs a new PathUpdate.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a PathUpdate.
                 * @constructor
                 * @param {canopy.link.v1.PathUpdate.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const PathUpdate = function (properties) {
                    this.path = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * PathUpdate level.
                 * @member {number} level
                 * @memberof canopy.link.v1.PathUpdate
                 * @instance
                 */
                PathUpdate.prototype.level = 0;

                /**
                 * PathUpdate path.
                 * @member {Array.<string>} path
                 * @memberof canopy.link.v1.PathUpdate
                 * @instance
                 */
                PathUpdate.prototype.path = $util.emptyArray;

                /**
                 * Creates a new PathUpdate instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.PathUpdate
                 * @static
                 * @param {canopy.link.v1.PathUpdate.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.PathUpdate} PathUpdate instance
                 * @type {{
                 *   (properties: canopy.link.v1.PathUpdate.$Shape): canopy.link.v1.PathUpdate & canopy.link.v1.PathUpdate.$Shape;
                 *   (properties?: canopy.link.v1.PathUpdate.$Properties): canopy.link.v1.PathUpdate;
                 * }}
                 */
                PathUpdate.create = function(properties) {
                    return new PathUpdate(properties);
                };

                /**
                 * Encodes the specified PathUpdate message. Does not implicitly {@link canopy.link.v1.PathUpdate.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.PathUpdate
                 * @static
                 * @param {canopy.link.v1.PathUpdate.$Properties} message PathUpdate message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PathUpdate.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.level != null && $Object.hasOwnProperty.call(message, "level") && message.level !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.level);
                    if (message.path != null && message.path.length)
                        for (let i = 0; i < message.path.length; ++i)
                            writer.uint32(/* id 2, wireType 2 =*/18).string(message.path[i]);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a PathUpdate message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.PathUpdate
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PathUpdate & canopy.link.v1.PathUpdate.$Shape} PathUpdate
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PathUpdate.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.PathUpdate();
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
                                    message.level = value;
                                else
                                    delete message.level;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.path && message.path.length))
                                    message.path = [];
                                message.path.push(reader.stringVerify());
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
                 * Creates a PathUpdate message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.PathUpdate
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.PathUpdate} PathUpdate
                 */
                PathUpdate.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.PathUpdate)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.PathUpdate: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.PathUpdate();
                    if (object.level != null)
                        if ($Number(object.level) !== 0)
                            message.level = object.level >>> 0;
                    if (object.path) {
                        if (!$Array.isArray(object.path))
                            throw $TypeError(".canopy.link.v1.PathUpdate.path: array expected");
                        message.path = $Array(object.path.length);
                        for (let i = 0; i < object.path.length; ++i)
                            message.path[i] = $String(object.path[i]);
                    }
                    return message;
                };

                /**
                 * Creates a plain object from a PathUpdate message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.PathUpdate
                 * @static
                 * @param {canopy.link.v1.PathUpdate} message PathUpdate
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                PathUpdate.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.path = [];
                    if (options.defaults)
                        object.level = 0;
                    if (message.level != null && $Object.hasOwnProperty.call(message, "level"))
                        object.level = message.level;
                    if (message.path && message.path.length) {
                        object.path = $Array(message.path.length);
                        for (let j = 0; j < message.path.length; ++j)
                            object.path[j] = message.path[j];
                    }
                    return object;
                };

                /**
                 * Converts this PathUpdate to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.PathUpdate
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                PathUpdate.prototype.toJSON = function() {
                    return PathUpdate.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for PathUpdate
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.PathUpdate
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                PathUpdate.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.PathUpdate";
                };

                return PathUpdate;
            })();

            v1.GoAway = (function() {

                /**
                 * Properties of a GoAway.
                 * @typedef {Object} canopy.link.v1.GoAway.$Properties
                 * @property {string|null} [reason] GoAway reason
                 * @property {number|null} [deadlineMs] GoAway deadlineMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a GoAway.
                 * @memberof canopy.link.v1
                 * @interface IGoAway
                 * @augments canopy.link.v1.GoAway.$Properties
                 * @deprecated Use canopy.link.v1.GoAway.$Properties instead.
                 */

                /**
                 * Shape of a GoAway.
                 * @typedef {canopy.link.v1.GoAway.$Properties} canopy.link.v1.GoAway.$Shape
                 */

                /**
                 * Constructs a new GoAway.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a GoAway.
                 * @constructor
                 * @param {canopy.link.v1.GoAway.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const GoAway = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * GoAway reason.
                 * @member {string} reason
                 * @memberof canopy.link.v1.GoAway
                 * @instance
                 */
                GoAway.prototype.reason = "";

                /**
                 * GoAway deadlineMs.
                 * @member {number} deadlineMs
                 * @memberof canopy.link.v1.GoAway
                 * @instance
                 */
                GoAway.prototype.deadlineMs = 0;

                /**
                 * Creates a new GoAway instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.GoAway
                 * @static
                 * @param {canopy.link.v1.GoAway.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.GoAway} GoAway instance
                 * @type {{
                 *   (properties: canopy.link.v1.GoAway.$Shape): canopy.link.v1.GoAway & canopy.link.v1.GoAway.$Shape;
                 *   (properties?: canopy.link.v1.GoAway.$Properties): canopy.link.v1.GoAway;
                 * }}
                 */
                GoAway.create = function(properties) {
                    return new GoAway(properties);
                };

                /**
                 * Encodes the specified GoAway message. Does not implicitly {@link canopy.link.v1.GoAway.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.GoAway
                 * @static
                 * @param {canopy.link.v1.GoAway.$Properties} message GoAway message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                GoAway.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.reason);
                    if (message.deadlineMs != null && $Object.hasOwnProperty.call(message, "deadlineMs") && !$Object.is(message.deadlineMs, 0))
                        writer.uint32(/* id 2, wireType 1 =*/17).double(message.deadlineMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a GoAway message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.GoAway
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.GoAway & canopy.link.v1.GoAway.$Shape} GoAway
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                GoAway.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.GoAway();
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
                                    message.reason = value;
                                else
                                    delete message.reason;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.deadlineMs = value;
                                else
                                    delete message.deadlineMs;
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
                 * Creates a GoAway message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.GoAway
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.GoAway} GoAway
                 */
                GoAway.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.GoAway)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.GoAway: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.GoAway();
                    if (object.reason != null)
                        if (typeof object.reason !== "string" || object.reason.length)
                            message.reason = $String(object.reason);
                    if (object.deadlineMs != null)
                        if (!$Object.is($Number(object.deadlineMs), 0))
                            message.deadlineMs = $Number(object.deadlineMs);
                    return message;
                };

                /**
                 * Creates a plain object from a GoAway message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.GoAway
                 * @static
                 * @param {canopy.link.v1.GoAway} message GoAway
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                GoAway.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.reason = "";
                        object.deadlineMs = 0;
                    }
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                        object.reason = message.reason;
                    if (message.deadlineMs != null && $Object.hasOwnProperty.call(message, "deadlineMs"))
                        object.deadlineMs = options.json && !$isFinite(message.deadlineMs) ? $String(message.deadlineMs) : message.deadlineMs;
                    return object;
                };

                /**
                 * Converts this GoAway to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.GoAway
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                GoAway.prototype.toJSON = function() {
                    return GoAway.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for GoAway
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.GoAway
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                GoAway.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.GoAway";
                };

                return GoAway;
            })();

            v1.PipeCandidate = (function() {

                /**
                 * Properties of a PipeCandidate.
                 * @typedef {Object} canopy.link.v1.PipeCandidate.$Properties
                 * @property {string|null} [host] PipeCandidate host
                 * @property {number|null} [port] PipeCandidate port
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PipeCandidate.
                 * @memberof canopy.link.v1
                 * @interface IPipeCandidate
                 * @augments canopy.link.v1.PipeCandidate.$Properties
                 * @deprecated Use canopy.link.v1.PipeCandidate.$Properties instead.
                 */

                /**
                 * Shape of a PipeCandidate.
                 * @typedef {canopy.link.v1.PipeCandidate.$Properties} canopy.link.v1.PipeCandidate.$Shape
                 */

                /**
                 * Constructs a new PipeCandidate.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a PipeCandidate.
                 * @constructor
                 * @param {canopy.link.v1.PipeCandidate.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const PipeCandidate = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * PipeCandidate host.
                 * @member {string} host
                 * @memberof canopy.link.v1.PipeCandidate
                 * @instance
                 */
                PipeCandidate.prototype.host = "";

                /**
                 * PipeCandidate port.
                 * @member {number} port
                 * @memberof canopy.link.v1.PipeCandidate
                 * @instance
                 */
                PipeCandidate.prototype.port = 0;

                /**
                 * Creates a new PipeCandidate instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.PipeCandidate
                 * @static
                 * @param {canopy.link.v1.PipeCandidate.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.PipeCandidate} PipeCandidate instance
                 * @type {{
                 *   (properties: canopy.link.v1.PipeCandidate.$Shape): canopy.link.v1.PipeCandidate & canopy.link.v1.PipeCandidate.$Shape;
                 *   (properties?: canopy.link.v1.PipeCandidate.$Properties): canopy.link.v1.PipeCandidate;
                 * }}
                 */
                PipeCandidate.create = function(properties) {
                    return new PipeCandidate(properties);
                };

                /**
                 * Encodes the specified PipeCandidate message. Does not implicitly {@link canopy.link.v1.PipeCandidate.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.PipeCandidate
                 * @static
                 * @param {canopy.link.v1.PipeCandidate.$Properties} message PipeCandidate message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PipeCandidate.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.host != null && $Object.hasOwnProperty.call(message, "host") && message.host !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.host);
                    if (message.port != null && $Object.hasOwnProperty.call(message, "port") && message.port !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.port);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a PipeCandidate message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.PipeCandidate
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeCandidate & canopy.link.v1.PipeCandidate.$Shape} PipeCandidate
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PipeCandidate.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.PipeCandidate();
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
                                    message.host = value;
                                else
                                    delete message.host;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.port = value;
                                else
                                    delete message.port;
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
                 * Creates a PipeCandidate message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.PipeCandidate
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.PipeCandidate} PipeCandidate
                 */
                PipeCandidate.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.PipeCandidate)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.PipeCandidate: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.PipeCandidate();
                    if (object.host != null)
                        if (typeof object.host !== "string" || object.host.length)
                            message.host = $String(object.host);
                    if (object.port != null)
                        if ($Number(object.port) !== 0)
                            message.port = object.port >>> 0;
                    return message;
                };

                /**
                 * Creates a plain object from a PipeCandidate message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.PipeCandidate
                 * @static
                 * @param {canopy.link.v1.PipeCandidate} message PipeCandidate
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                PipeCandidate.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.host = "";
                        object.port = 0;
                    }
                    if (message.host != null && $Object.hasOwnProperty.call(message, "host"))
                        object.host = message.host;
                    if (message.port != null && $Object.hasOwnProperty.call(message, "port"))
                        object.port = message.port;
                    return object;
                };

                /**
                 * Converts this PipeCandidate to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.PipeCandidate
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                PipeCandidate.prototype.toJSON = function() {
                    return PipeCandidate.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for PipeCandidate
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.PipeCandidate
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                PipeCandidate.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.PipeCandidate";
                };

                return PipeCandidate;
            })();

            v1.PipeOffer = (function() {

                /**
                 * Properties of a PipeOffer.
                 * @typedef {Object} canopy.link.v1.PipeOffer.$Properties
                 * @property {number|null} [attempt] PipeOffer attempt
                 * @property {Array.<canopy.link.v1.PipeCandidate.$Properties>|null} [candidates] PipeOffer candidates
                 * @property {boolean|null} [fragments] PipeOffer fragments
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PipeOffer.
                 * @memberof canopy.link.v1
                 * @interface IPipeOffer
                 * @augments canopy.link.v1.PipeOffer.$Properties
                 * @deprecated Use canopy.link.v1.PipeOffer.$Properties instead.
                 */

                /**
                 * Shape of a PipeOffer.
                 * @typedef {canopy.link.v1.PipeOffer.$Properties} canopy.link.v1.PipeOffer.$Shape
                 */

                /**
                 * Constructs a new PipeOffer.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a PipeOffer.
                 * @constructor
                 * @param {canopy.link.v1.PipeOffer.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const PipeOffer = function (properties) {
                    this.candidates = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * PipeOffer attempt.
                 * @member {number} attempt
                 * @memberof canopy.link.v1.PipeOffer
                 * @instance
                 */
                PipeOffer.prototype.attempt = 0;

                /**
                 * PipeOffer candidates.
                 * @member {Array.<canopy.link.v1.PipeCandidate.$Properties>} candidates
                 * @memberof canopy.link.v1.PipeOffer
                 * @instance
                 */
                PipeOffer.prototype.candidates = $util.emptyArray;

                /**
                 * PipeOffer fragments.
                 * @member {boolean} fragments
                 * @memberof canopy.link.v1.PipeOffer
                 * @instance
                 */
                PipeOffer.prototype.fragments = false;

                /**
                 * Creates a new PipeOffer instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.PipeOffer
                 * @static
                 * @param {canopy.link.v1.PipeOffer.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.PipeOffer} PipeOffer instance
                 * @type {{
                 *   (properties: canopy.link.v1.PipeOffer.$Shape): canopy.link.v1.PipeOffer & canopy.link.v1.PipeOffer.$Shape;
                 *   (properties?: canopy.link.v1.PipeOffer.$Properties): canopy.link.v1.PipeOffer;
                 * }}
                 */
                PipeOffer.create = function(properties) {
                    return new PipeOffer(properties);
                };

                /**
                 * Encodes the specified PipeOffer message. Does not implicitly {@link canopy.link.v1.PipeOffer.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.PipeOffer
                 * @static
                 * @param {canopy.link.v1.PipeOffer.$Properties} message PipeOffer message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PipeOffer.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt") && message.attempt !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.attempt);
                    if (message.candidates != null && message.candidates.length)
                        for (let i = 0; i < message.candidates.length; ++i)
                            $root.canopy.link.v1.PipeCandidate.encode(message.candidates[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.fragments != null && $Object.hasOwnProperty.call(message, "fragments") && message.fragments !== false)
                        writer.uint32(/* id 3, wireType 0 =*/24).bool(message.fragments);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a PipeOffer message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.PipeOffer
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeOffer & canopy.link.v1.PipeOffer.$Shape} PipeOffer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PipeOffer.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.PipeOffer();
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
                                    message.attempt = value;
                                else
                                    delete message.attempt;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.candidates && message.candidates.length))
                                    message.candidates = [];
                                message.candidates.push($root.canopy.link.v1.PipeCandidate.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.fragments = value;
                                else
                                    delete message.fragments;
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
                 * Creates a PipeOffer message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.PipeOffer
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.PipeOffer} PipeOffer
                 */
                PipeOffer.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.PipeOffer)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.PipeOffer: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.PipeOffer();
                    if (object.attempt != null)
                        if ($Number(object.attempt) !== 0)
                            message.attempt = object.attempt >>> 0;
                    if (object.candidates) {
                        if (!$Array.isArray(object.candidates))
                            throw $TypeError(".canopy.link.v1.PipeOffer.candidates: array expected");
                        message.candidates = $Array(object.candidates.length);
                        for (let i = 0; i < object.candidates.length; ++i) {
                            if (!$util.isObject(object.candidates[i]))
                                throw $TypeError(".canopy.link.v1.PipeOffer.candidates: object expected");
                            message.candidates[i] = $root.canopy.link.v1.PipeCandidate.fromObject(object.candidates[i], _depth + 1);
                        }
                    }
                    if (object.fragments != null)
                        if (object.fragments)
                            message.fragments = $Boolean(object.fragments);
                    return message;
                };

                /**
                 * Creates a plain object from a PipeOffer message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.PipeOffer
                 * @static
                 * @param {canopy.link.v1.PipeOffer} message PipeOffer
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                PipeOffer.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.candidates = [];
                    if (options.defaults) {
                        object.attempt = 0;
                        object.fragments = false;
                    }
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt"))
                        object.attempt = message.attempt;
                    if (message.candidates && message.candidates.length) {
                        object.candidates = $Array(message.candidates.length);
                        for (let j = 0; j < message.candidates.length; ++j)
                            object.candidates[j] = $root.canopy.link.v1.PipeCandidate.toObject(message.candidates[j], options, _depth + 1);
                    }
                    if (message.fragments != null && $Object.hasOwnProperty.call(message, "fragments"))
                        object.fragments = message.fragments;
                    return object;
                };

                /**
                 * Converts this PipeOffer to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.PipeOffer
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                PipeOffer.prototype.toJSON = function() {
                    return PipeOffer.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for PipeOffer
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.PipeOffer
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                PipeOffer.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.PipeOffer";
                };

                return PipeOffer;
            })();

            v1.PipeAnswer = (function() {

                /**
                 * Properties of a PipeAnswer.
                 * @typedef {Object} canopy.link.v1.PipeAnswer.$Properties
                 * @property {number|null} [attempt] PipeAnswer attempt
                 * @property {canopy.link.v1.PipeCandidate.$Properties|null} [candidate] PipeAnswer candidate
                 * @property {string|null} [refused] PipeAnswer refused
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PipeAnswer.
                 * @memberof canopy.link.v1
                 * @interface IPipeAnswer
                 * @augments canopy.link.v1.PipeAnswer.$Properties
                 * @deprecated Use canopy.link.v1.PipeAnswer.$Properties instead.
                 */

                /**
                 * Shape of a PipeAnswer.
                 * @typedef {canopy.link.v1.PipeAnswer.$Properties} canopy.link.v1.PipeAnswer.$Shape
                 */

                /**
                 * Constructs a new PipeAnswer.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a PipeAnswer.
                 * @constructor
                 * @param {canopy.link.v1.PipeAnswer.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const PipeAnswer = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * PipeAnswer attempt.
                 * @member {number} attempt
                 * @memberof canopy.link.v1.PipeAnswer
                 * @instance
                 */
                PipeAnswer.prototype.attempt = 0;

                /**
                 * PipeAnswer candidate.
                 * @member {canopy.link.v1.PipeCandidate.$Properties|null|undefined} candidate
                 * @memberof canopy.link.v1.PipeAnswer
                 * @instance
                 */
                PipeAnswer.prototype.candidate = null;

                /**
                 * PipeAnswer refused.
                 * @member {string} refused
                 * @memberof canopy.link.v1.PipeAnswer
                 * @instance
                 */
                PipeAnswer.prototype.refused = "";

                /**
                 * Creates a new PipeAnswer instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.PipeAnswer
                 * @static
                 * @param {canopy.link.v1.PipeAnswer.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.PipeAnswer} PipeAnswer instance
                 * @type {{
                 *   (properties: canopy.link.v1.PipeAnswer.$Shape): canopy.link.v1.PipeAnswer & canopy.link.v1.PipeAnswer.$Shape;
                 *   (properties?: canopy.link.v1.PipeAnswer.$Properties): canopy.link.v1.PipeAnswer;
                 * }}
                 */
                PipeAnswer.create = function(properties) {
                    return new PipeAnswer(properties);
                };

                /**
                 * Encodes the specified PipeAnswer message. Does not implicitly {@link canopy.link.v1.PipeAnswer.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.PipeAnswer
                 * @static
                 * @param {canopy.link.v1.PipeAnswer.$Properties} message PipeAnswer message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PipeAnswer.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt") && message.attempt !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.attempt);
                    if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                        $root.canopy.link.v1.PipeCandidate.encode(message.candidate, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.refused != null && $Object.hasOwnProperty.call(message, "refused") && message.refused !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.refused);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a PipeAnswer message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.PipeAnswer
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeAnswer & canopy.link.v1.PipeAnswer.$Shape} PipeAnswer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PipeAnswer.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.PipeAnswer();
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
                                    message.attempt = value;
                                else
                                    delete message.attempt;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.candidate = $root.canopy.link.v1.PipeCandidate.decode(reader, reader.size(), $undefined, _depth + 1, message.candidate);
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.refused = value;
                                else
                                    delete message.refused;
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
                 * Creates a PipeAnswer message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.PipeAnswer
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.PipeAnswer} PipeAnswer
                 */
                PipeAnswer.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.PipeAnswer)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.PipeAnswer: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.PipeAnswer();
                    if (object.attempt != null)
                        if ($Number(object.attempt) !== 0)
                            message.attempt = object.attempt >>> 0;
                    if (object.candidate != null) {
                        if (!$util.isObject(object.candidate))
                            throw $TypeError(".canopy.link.v1.PipeAnswer.candidate: object expected");
                        message.candidate = $root.canopy.link.v1.PipeCandidate.fromObject(object.candidate, _depth + 1);
                    }
                    if (object.refused != null)
                        if (typeof object.refused !== "string" || object.refused.length)
                            message.refused = $String(object.refused);
                    return message;
                };

                /**
                 * Creates a plain object from a PipeAnswer message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.PipeAnswer
                 * @static
                 * @param {canopy.link.v1.PipeAnswer} message PipeAnswer
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                PipeAnswer.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.attempt = 0;
                        object.candidate = null;
                        object.refused = "";
                    }
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt"))
                        object.attempt = message.attempt;
                    if (message.candidate != null && $Object.hasOwnProperty.call(message, "candidate"))
                        object.candidate = $root.canopy.link.v1.PipeCandidate.toObject(message.candidate, options, _depth + 1);
                    if (message.refused != null && $Object.hasOwnProperty.call(message, "refused"))
                        object.refused = message.refused;
                    return object;
                };

                /**
                 * Converts this PipeAnswer to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.PipeAnswer
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                PipeAnswer.prototype.toJSON = function() {
                    return PipeAnswer.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for PipeAnswer
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.PipeAnswer
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                PipeAnswer.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.PipeAnswer";
                };

                return PipeAnswer;
            })();

            v1.PipeReady = (function() {

                /**
                 * Properties of a PipeReady.
                 * @typedef {Object} canopy.link.v1.PipeReady.$Properties
                 * @property {number|null} [attempt] PipeReady attempt
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PipeReady.
                 * @memberof canopy.link.v1
                 * @interface IPipeReady
                 * @augments canopy.link.v1.PipeReady.$Properties
                 * @deprecated Use canopy.link.v1.PipeReady.$Properties instead.
                 */

                /**
                 * Shape of a PipeReady.
                 * @typedef {canopy.link.v1.PipeReady.$Properties} canopy.link.v1.PipeReady.$Shape
                 */

                /**
                 * Constructs a new PipeReady.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a PipeReady.
                 * @constructor
                 * @param {canopy.link.v1.PipeReady.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const PipeReady = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * PipeReady attempt.
                 * @member {number} attempt
                 * @memberof canopy.link.v1.PipeReady
                 * @instance
                 */
                PipeReady.prototype.attempt = 0;

                /**
                 * Creates a new PipeReady instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.PipeReady
                 * @static
                 * @param {canopy.link.v1.PipeReady.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.PipeReady} PipeReady instance
                 * @type {{
                 *   (properties: canopy.link.v1.PipeReady.$Shape): canopy.link.v1.PipeReady & canopy.link.v1.PipeReady.$Shape;
                 *   (properties?: canopy.link.v1.PipeReady.$Properties): canopy.link.v1.PipeReady;
                 * }}
                 */
                PipeReady.create = function(properties) {
                    return new PipeReady(properties);
                };

                /**
                 * Encodes the specified PipeReady message. Does not implicitly {@link canopy.link.v1.PipeReady.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.PipeReady
                 * @static
                 * @param {canopy.link.v1.PipeReady.$Properties} message PipeReady message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PipeReady.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt") && message.attempt !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.attempt);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a PipeReady message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.PipeReady
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeReady & canopy.link.v1.PipeReady.$Shape} PipeReady
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PipeReady.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.PipeReady();
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
                                    message.attempt = value;
                                else
                                    delete message.attempt;
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
                 * Creates a PipeReady message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.PipeReady
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.PipeReady} PipeReady
                 */
                PipeReady.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.PipeReady)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.PipeReady: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.PipeReady();
                    if (object.attempt != null)
                        if ($Number(object.attempt) !== 0)
                            message.attempt = object.attempt >>> 0;
                    return message;
                };

                /**
                 * Creates a plain object from a PipeReady message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.PipeReady
                 * @static
                 * @param {canopy.link.v1.PipeReady} message PipeReady
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                PipeReady.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults)
                        object.attempt = 0;
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt"))
                        object.attempt = message.attempt;
                    return object;
                };

                /**
                 * Converts this PipeReady to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.PipeReady
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                PipeReady.prototype.toJSON = function() {
                    return PipeReady.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for PipeReady
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.PipeReady
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                PipeReady.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.PipeReady";
                };

                return PipeReady;
            })();

            v1.PipeClose = (function() {

                /**
                 * Properties of a PipeClose.
                 * @typedef {Object} canopy.link.v1.PipeClose.$Properties
                 * @property {number|null} [attempt] PipeClose attempt
                 * @property {string|null} [reason] PipeClose reason
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a PipeClose.
                 * @memberof canopy.link.v1
                 * @interface IPipeClose
                 * @augments canopy.link.v1.PipeClose.$Properties
                 * @deprecated Use canopy.link.v1.PipeClose.$Properties instead.
                 */

                /**
                 * Shape of a PipeClose.
                 * @typedef {canopy.link.v1.PipeClose.$Properties} canopy.link.v1.PipeClose.$Shape
                 */

                /**
                 * Constructs a new PipeClose.
                 * @memberof canopy.link.v1
                 * @classdesc Represents a PipeClose.
                 * @constructor
                 * @param {canopy.link.v1.PipeClose.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const PipeClose = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * PipeClose attempt.
                 * @member {number} attempt
                 * @memberof canopy.link.v1.PipeClose
                 * @instance
                 */
                PipeClose.prototype.attempt = 0;

                /**
                 * PipeClose reason.
                 * @member {string} reason
                 * @memberof canopy.link.v1.PipeClose
                 * @instance
                 */
                PipeClose.prototype.reason = "";

                /**
                 * Creates a new PipeClose instance using the specified properties.
                 * @function create
                 * @memberof canopy.link.v1.PipeClose
                 * @static
                 * @param {canopy.link.v1.PipeClose.$Properties=} [properties] Properties to set
                 * @returns {canopy.link.v1.PipeClose} PipeClose instance
                 * @type {{
                 *   (properties: canopy.link.v1.PipeClose.$Shape): canopy.link.v1.PipeClose & canopy.link.v1.PipeClose.$Shape;
                 *   (properties?: canopy.link.v1.PipeClose.$Properties): canopy.link.v1.PipeClose;
                 * }}
                 */
                PipeClose.create = function(properties) {
                    return new PipeClose(properties);
                };

                /**
                 * Encodes the specified PipeClose message. Does not implicitly {@link canopy.link.v1.PipeClose.verify|verify} messages.
                 * @function encode
                 * @memberof canopy.link.v1.PipeClose
                 * @static
                 * @param {canopy.link.v1.PipeClose.$Properties} message PipeClose message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                PipeClose.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt") && message.attempt !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.attempt);
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.reason);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a PipeClose message from the specified reader or buffer.
                 * @function decode
                 * @memberof canopy.link.v1.PipeClose
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeClose & canopy.link.v1.PipeClose.$Shape} PipeClose
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                PipeClose.decode = function (reader, length, _end, _depth, _target) {
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
                    message = _target || new $root.canopy.link.v1.PipeClose();
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
                                    message.attempt = value;
                                else
                                    delete message.attempt;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.reason = value;
                                else
                                    delete message.reason;
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
                 * Creates a PipeClose message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof canopy.link.v1.PipeClose
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {canopy.link.v1.PipeClose} PipeClose
                 */
                PipeClose.fromObject = function (object, _depth) {
                    if (object instanceof $root.canopy.link.v1.PipeClose)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".canopy.link.v1.PipeClose: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.canopy.link.v1.PipeClose();
                    if (object.attempt != null)
                        if ($Number(object.attempt) !== 0)
                            message.attempt = object.attempt >>> 0;
                    if (object.reason != null)
                        if (typeof object.reason !== "string" || object.reason.length)
                            message.reason = $String(object.reason);
                    return message;
                };

                /**
                 * Creates a plain object from a PipeClose message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof canopy.link.v1.PipeClose
                 * @static
                 * @param {canopy.link.v1.PipeClose} message PipeClose
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                PipeClose.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.attempt = 0;
                        object.reason = "";
                    }
                    if (message.attempt != null && $Object.hasOwnProperty.call(message, "attempt"))
                        object.attempt = message.attempt;
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                        object.reason = message.reason;
                    return object;
                };

                /**
                 * Converts this PipeClose to JSON.
                 * @function toJSON
                 * @memberof canopy.link.v1.PipeClose
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                PipeClose.prototype.toJSON = function() {
                    return PipeClose.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for PipeClose
                 * @function getTypeUrl
                 * @memberof canopy.link.v1.PipeClose
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                PipeClose.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/canopy.link.v1.PipeClose";
                };

                return PipeClose;
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
