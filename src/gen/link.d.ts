import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace canopy. */
export namespace canopy {

    /** Namespace link. */
    namespace link {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of a Frame.
             * @deprecated Use canopy.link.v1.Frame.$Properties instead.
             */
            interface IFrame extends canopy.link.v1.Frame.$Properties {
            }

            /** Represents a Frame. */
            class Frame {

                /**
                 * Constructs a new Frame.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Frame.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Frame hello. */
                hello?: (canopy.link.v1.Hello.$Properties|null);

                /** Frame welcome. */
                welcome?: (canopy.link.v1.Welcome.$Properties|null);

                /** Frame subscribe. */
                subscribe?: (canopy.link.v1.Subscribe.$Properties|null);

                /** Frame subscribeOk. */
                subscribeOk?: (canopy.link.v1.SubscribeOk.$Properties|null);

                /** Frame subscribeError. */
                subscribeError?: (canopy.link.v1.SubscribeError.$Properties|null);

                /** Frame unsubscribe. */
                unsubscribe?: (canopy.link.v1.Unsubscribe.$Properties|null);

                /** Frame media. */
                media?: (canopy.link.v1.Media.$Properties|null);

                /** Frame keyframeRequest. */
                keyframeRequest?: (canopy.link.v1.KeyframeRequest.$Properties|null);

                /** Frame streamEnded. */
                streamEnded?: (canopy.link.v1.StreamEnded.$Properties|null);

                /** Frame ping. */
                ping?: (canopy.link.v1.Ping.$Properties|null);

                /** Frame pong. */
                pong?: (canopy.link.v1.Pong.$Properties|null);

                /** Frame challenge. */
                challenge?: (canopy.link.v1.Challenge.$Properties|null);

                /** Frame subscribeShared. */
                subscribeShared?: (canopy.link.v1.SubscribeShared.$Properties|null);

                /** Frame pathUpdate. */
                pathUpdate?: (canopy.link.v1.PathUpdate.$Properties|null);

                /** Frame goAway. */
                goAway?: (canopy.link.v1.GoAway.$Properties|null);

                /** Frame pipeOffer. */
                pipeOffer?: (canopy.link.v1.PipeOffer.$Properties|null);

                /** Frame pipeAnswer. */
                pipeAnswer?: (canopy.link.v1.PipeAnswer.$Properties|null);

                /** Frame pipeReady. */
                pipeReady?: (canopy.link.v1.PipeReady.$Properties|null);

                /** Frame pipeClose. */
                pipeClose?: (canopy.link.v1.PipeClose.$Properties|null);

                /** Frame layerDemand. */
                layerDemand?: (canopy.link.v1.LayerDemand.$Properties|null);

                /** Frame msg. */
                msg?: ("hello"|"welcome"|"subscribe"|"subscribeOk"|"subscribeError"|"unsubscribe"|"media"|"keyframeRequest"|"streamEnded"|"ping"|"pong"|"challenge"|"subscribeShared"|"pathUpdate"|"goAway"|"pipeOffer"|"pipeAnswer"|"pipeReady"|"pipeClose"|"layerDemand");

                /**
                 * Creates a new Frame instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Frame instance
                 */
                static create(properties: canopy.link.v1.Frame.$Shape): canopy.link.v1.Frame & canopy.link.v1.Frame.$Shape;
                static create(properties?: canopy.link.v1.Frame.$Properties): canopy.link.v1.Frame;

                /**
                 * Encodes the specified Frame message. Does not implicitly {@link canopy.link.v1.Frame.verify|verify} messages.
                 * @param message Frame message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Frame.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Frame message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Frame & canopy.link.v1.Frame.$Shape} Frame
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Frame & canopy.link.v1.Frame.$Shape;

                /**
                 * Creates a Frame message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Frame
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Frame;

                /**
                 * Creates a plain object from a Frame message. Also converts values to other types if specified.
                 * @param message Frame
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Frame, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Frame to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Frame
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Frame {

                /** Properties of a Frame. */
                interface $Properties {

                    /** Frame hello */
                    hello?: (canopy.link.v1.Hello.$Properties|null);

                    /** Frame welcome */
                    welcome?: (canopy.link.v1.Welcome.$Properties|null);

                    /** Frame subscribe */
                    subscribe?: (canopy.link.v1.Subscribe.$Properties|null);

                    /** Frame subscribeOk */
                    subscribeOk?: (canopy.link.v1.SubscribeOk.$Properties|null);

                    /** Frame subscribeError */
                    subscribeError?: (canopy.link.v1.SubscribeError.$Properties|null);

                    /** Frame unsubscribe */
                    unsubscribe?: (canopy.link.v1.Unsubscribe.$Properties|null);

                    /** Frame media */
                    media?: (canopy.link.v1.Media.$Properties|null);

                    /** Frame keyframeRequest */
                    keyframeRequest?: (canopy.link.v1.KeyframeRequest.$Properties|null);

                    /** Frame streamEnded */
                    streamEnded?: (canopy.link.v1.StreamEnded.$Properties|null);

                    /** Frame ping */
                    ping?: (canopy.link.v1.Ping.$Properties|null);

                    /** Frame pong */
                    pong?: (canopy.link.v1.Pong.$Properties|null);

                    /** Frame challenge */
                    challenge?: (canopy.link.v1.Challenge.$Properties|null);

                    /** Frame subscribeShared */
                    subscribeShared?: (canopy.link.v1.SubscribeShared.$Properties|null);

                    /** Frame pathUpdate */
                    pathUpdate?: (canopy.link.v1.PathUpdate.$Properties|null);

                    /** Frame goAway */
                    goAway?: (canopy.link.v1.GoAway.$Properties|null);

                    /** Frame pipeOffer */
                    pipeOffer?: (canopy.link.v1.PipeOffer.$Properties|null);

                    /** Frame pipeAnswer */
                    pipeAnswer?: (canopy.link.v1.PipeAnswer.$Properties|null);

                    /** Frame pipeReady */
                    pipeReady?: (canopy.link.v1.PipeReady.$Properties|null);

                    /** Frame pipeClose */
                    pipeClose?: (canopy.link.v1.PipeClose.$Properties|null);

                    /** Frame layerDemand */
                    layerDemand?: (canopy.link.v1.LayerDemand.$Properties|null);

                    /** Frame msg */
                    msg?: ("hello"|"welcome"|"subscribe"|"subscribeOk"|"subscribeError"|"unsubscribe"|"media"|"keyframeRequest"|"streamEnded"|"ping"|"pong"|"challenge"|"subscribeShared"|"pathUpdate"|"goAway"|"pipeOffer"|"pipeAnswer"|"pipeReady"|"pipeClose"|"layerDemand");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of a Frame. */
                type $Shape = {
                  hello?: canopy.link.v1.Hello.$Shape|null;
                  welcome?: canopy.link.v1.Welcome.$Shape|null;
                  subscribe?: canopy.link.v1.Subscribe.$Shape|null;
                  subscribeOk?: canopy.link.v1.SubscribeOk.$Shape|null;
                  subscribeError?: canopy.link.v1.SubscribeError.$Shape|null;
                  unsubscribe?: canopy.link.v1.Unsubscribe.$Shape|null;
                  media?: canopy.link.v1.Media.$Shape|null;
                  keyframeRequest?: canopy.link.v1.KeyframeRequest.$Shape|null;
                  streamEnded?: canopy.link.v1.StreamEnded.$Shape|null;
                  ping?: canopy.link.v1.Ping.$Shape|null;
                  pong?: canopy.link.v1.Pong.$Shape|null;
                  challenge?: canopy.link.v1.Challenge.$Shape|null;
                  subscribeShared?: canopy.link.v1.SubscribeShared.$Shape|null;
                  pathUpdate?: canopy.link.v1.PathUpdate.$Shape|null;
                  goAway?: canopy.link.v1.GoAway.$Shape|null;
                  pipeOffer?: canopy.link.v1.PipeOffer.$Shape|null;
                  pipeAnswer?: canopy.link.v1.PipeAnswer.$Shape|null;
                  pipeReady?: canopy.link.v1.PipeReady.$Shape|null;
                  pipeClose?: canopy.link.v1.PipeClose.$Shape|null;
                  layerDemand?: canopy.link.v1.LayerDemand.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ msg?: undefined; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "hello"; hello: canopy.link.v1.Hello.$Shape; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "welcome"; hello?: null; welcome: canopy.link.v1.Welcome.$Shape; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribe"; hello?: null; welcome?: null; subscribe: canopy.link.v1.Subscribe.$Shape; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribeOk"; hello?: null; welcome?: null; subscribe?: null; subscribeOk: canopy.link.v1.SubscribeOk.$Shape; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribeError"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError: canopy.link.v1.SubscribeError.$Shape; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "unsubscribe"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe: canopy.link.v1.Unsubscribe.$Shape; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "media"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media: canopy.link.v1.Media.$Shape; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "keyframeRequest"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest: canopy.link.v1.KeyframeRequest.$Shape; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "streamEnded"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded: canopy.link.v1.StreamEnded.$Shape; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "ping"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping: canopy.link.v1.Ping.$Shape; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pong"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong: canopy.link.v1.Pong.$Shape; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "challenge"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge: canopy.link.v1.Challenge.$Shape; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "subscribeShared"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared: canopy.link.v1.SubscribeShared.$Shape; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pathUpdate"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate: canopy.link.v1.PathUpdate.$Shape; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "goAway"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway: canopy.link.v1.GoAway.$Shape; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeOffer"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer: canopy.link.v1.PipeOffer.$Shape; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeAnswer"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer: canopy.link.v1.PipeAnswer.$Shape; pipeReady?: null; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeReady"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady: canopy.link.v1.PipeReady.$Shape; pipeClose?: null; layerDemand?: null }|{ msg?: "pipeClose"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose: canopy.link.v1.PipeClose.$Shape; layerDemand?: null }|{ msg?: "layerDemand"; hello?: null; welcome?: null; subscribe?: null; subscribeOk?: null; subscribeError?: null; unsubscribe?: null; media?: null; keyframeRequest?: null; streamEnded?: null; ping?: null; pong?: null; challenge?: null; subscribeShared?: null; pathUpdate?: null; goAway?: null; pipeOffer?: null; pipeAnswer?: null; pipeReady?: null; pipeClose?: null; layerDemand: canopy.link.v1.LayerDemand.$Shape })
                );
            }

            /**
             * Properties of a Challenge.
             * @deprecated Use canopy.link.v1.Challenge.$Properties instead.
             */
            interface IChallenge extends canopy.link.v1.Challenge.$Properties {
            }

            /** Represents a Challenge. */
            class Challenge {

                /**
                 * Constructs a new Challenge.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Challenge.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Challenge protocolVersion. */
                protocolVersion: number;

                /** Challenge nonce. */
                nonce: Uint8Array;

                /** Challenge nodeId. */
                nodeId: string;

                /** Challenge authenticated. */
                authenticated: boolean;

                /**
                 * Creates a new Challenge instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Challenge instance
                 */
                static create(properties: canopy.link.v1.Challenge.$Shape): canopy.link.v1.Challenge & canopy.link.v1.Challenge.$Shape;
                static create(properties?: canopy.link.v1.Challenge.$Properties): canopy.link.v1.Challenge;

                /**
                 * Encodes the specified Challenge message. Does not implicitly {@link canopy.link.v1.Challenge.verify|verify} messages.
                 * @param message Challenge message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Challenge.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Challenge message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Challenge & canopy.link.v1.Challenge.$Shape} Challenge
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Challenge & canopy.link.v1.Challenge.$Shape;

                /**
                 * Creates a Challenge message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Challenge
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Challenge;

                /**
                 * Creates a plain object from a Challenge message. Also converts values to other types if specified.
                 * @param message Challenge
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Challenge, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Challenge to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Challenge
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Challenge {

                /** Properties of a Challenge. */
                interface $Properties {

                    /** Challenge protocolVersion */
                    protocolVersion?: (number|null);

                    /** Challenge nonce */
                    nonce?: (Uint8Array|null);

                    /** Challenge nodeId */
                    nodeId?: (string|null);

                    /** Challenge authenticated */
                    authenticated?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Challenge. */
                type $Shape = canopy.link.v1.Challenge.$Properties;
            }

            /**
             * Properties of a Hello.
             * @deprecated Use canopy.link.v1.Hello.$Properties instead.
             */
            interface IHello extends canopy.link.v1.Hello.$Properties {
            }

            /** Represents a Hello. */
            class Hello {

                /**
                 * Constructs a new Hello.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Hello.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Hello nodeId. */
                nodeId: string;

                /** Hello protocolVersion. */
                protocolVersion: number;

                /** Hello role. */
                role: canopy.link.v1.Hello.Role;

                /** Hello nonce. */
                nonce: Uint8Array;

                /** Hello proof. */
                proof: Uint8Array;

                /**
                 * Creates a new Hello instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Hello instance
                 */
                static create(properties: canopy.link.v1.Hello.$Shape): canopy.link.v1.Hello & canopy.link.v1.Hello.$Shape;
                static create(properties?: canopy.link.v1.Hello.$Properties): canopy.link.v1.Hello;

                /**
                 * Encodes the specified Hello message. Does not implicitly {@link canopy.link.v1.Hello.verify|verify} messages.
                 * @param message Hello message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Hello message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Hello & canopy.link.v1.Hello.$Shape} Hello
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Hello & canopy.link.v1.Hello.$Shape;

                /**
                 * Creates a Hello message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Hello
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Hello;

                /**
                 * Creates a plain object from a Hello message. Also converts values to other types if specified.
                 * @param message Hello
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Hello, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Hello to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Hello
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Hello {

                /** Properties of a Hello. */
                interface $Properties {

                    /** Hello nodeId */
                    nodeId?: (string|null);

                    /** Hello protocolVersion */
                    protocolVersion?: (number|null);

                    /** Hello role */
                    role?: (canopy.link.v1.Hello.Role|null);

                    /** Hello nonce */
                    nonce?: (Uint8Array|null);

                    /** Hello proof */
                    proof?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Hello. */
                type $Shape = canopy.link.v1.Hello.$Properties;

                /** Role enum. */
                enum Role {

                    /** ROLE_UNSPECIFIED value */
                    ROLE_UNSPECIFIED = 0,

                    /** ROLE_CHILD value */
                    ROLE_CHILD = 1,

                    /** ROLE_SIBLING value */
                    ROLE_SIBLING = 2
                }
            }

            /**
             * Properties of a Welcome.
             * @deprecated Use canopy.link.v1.Welcome.$Properties instead.
             */
            interface IWelcome extends canopy.link.v1.Welcome.$Properties {
            }

            /** Represents a Welcome. */
            class Welcome {

                /**
                 * Constructs a new Welcome.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Welcome.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Welcome nodeId. */
                nodeId: string;

                /** Welcome protocolVersion. */
                protocolVersion: number;

                /** Welcome level. */
                level: number;

                /** Welcome heartbeatMs. */
                heartbeatMs: number;

                /** Welcome maxFrameBytes. */
                maxFrameBytes: number;

                /** Welcome instance. */
                instance: string;

                /** Welcome proof. */
                proof: Uint8Array;

                /** Welcome path. */
                path: string[];

                /** Welcome status. */
                status?: (canopy.link.v1.NodeStatus.$Properties|null);

                /** Welcome pipe. */
                pipe: boolean;

                /**
                 * Creates a new Welcome instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Welcome instance
                 */
                static create(properties: canopy.link.v1.Welcome.$Shape): canopy.link.v1.Welcome & canopy.link.v1.Welcome.$Shape;
                static create(properties?: canopy.link.v1.Welcome.$Properties): canopy.link.v1.Welcome;

                /**
                 * Encodes the specified Welcome message. Does not implicitly {@link canopy.link.v1.Welcome.verify|verify} messages.
                 * @param message Welcome message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Welcome message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Welcome & canopy.link.v1.Welcome.$Shape} Welcome
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Welcome & canopy.link.v1.Welcome.$Shape;

                /**
                 * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Welcome
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Welcome;

                /**
                 * Creates a plain object from a Welcome message. Also converts values to other types if specified.
                 * @param message Welcome
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Welcome, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Welcome to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Welcome
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Welcome {

                /** Properties of a Welcome. */
                interface $Properties {

                    /** Welcome nodeId */
                    nodeId?: (string|null);

                    /** Welcome protocolVersion */
                    protocolVersion?: (number|null);

                    /** Welcome level */
                    level?: (number|null);

                    /** Welcome heartbeatMs */
                    heartbeatMs?: (number|null);

                    /** Welcome maxFrameBytes */
                    maxFrameBytes?: (number|null);

                    /** Welcome instance */
                    instance?: (string|null);

                    /** Welcome proof */
                    proof?: (Uint8Array|null);

                    /** Welcome path */
                    path?: (string[]|null);

                    /** Welcome status */
                    status?: (canopy.link.v1.NodeStatus.$Properties|null);

                    /** Welcome pipe */
                    pipe?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Welcome. */
                type $Shape = canopy.link.v1.Welcome.$Properties;
            }

            /**
             * Properties of a NodeStatus.
             * @deprecated Use canopy.link.v1.NodeStatus.$Properties instead.
             */
            interface INodeStatus extends canopy.link.v1.NodeStatus.$Properties {
            }

            /** Represents a NodeStatus. */
            class NodeStatus {

                /**
                 * Constructs a new NodeStatus.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.NodeStatus.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** NodeStatus nodeId. */
                nodeId: string;

                /** NodeStatus level. */
                level: number;

                /** NodeStatus viewers. */
                viewers: number;

                /** NodeStatus childLinks. */
                childLinks: number;

                /** NodeStatus egressBps. */
                egressBps: number;

                /** NodeStatus cpu. */
                cpu: number;

                /** NodeStatus streams. */
                streams: number;

                /** NodeStatus publicUrl. */
                publicUrl: string;

                /** NodeStatus region. */
                region: string;

                /** NodeStatus classes. */
                classes: string[];

                /** NodeStatus draining. */
                draining: boolean;

                /** NodeStatus parentId. */
                parentId: string;

                /** NodeStatus carrying. */
                carrying: string[];

                /** NodeStatus capacity. */
                capacity: number;

                /** NodeStatus flows. */
                flows: canopy.link.v1.Flow.$Properties[];

                /** NodeStatus viewersTurn. */
                viewersTurn: number;

                /** NodeStatus viewersTcp. */
                viewersTcp: number;

                /** NodeStatus cacheBytes. */
                cacheBytes: number;

                /** NodeStatus cacheBudgetBytes. */
                cacheBudgetBytes: number;

                /**
                 * Creates a new NodeStatus instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns NodeStatus instance
                 */
                static create(properties: canopy.link.v1.NodeStatus.$Shape): canopy.link.v1.NodeStatus & canopy.link.v1.NodeStatus.$Shape;
                static create(properties?: canopy.link.v1.NodeStatus.$Properties): canopy.link.v1.NodeStatus;

                /**
                 * Encodes the specified NodeStatus message. Does not implicitly {@link canopy.link.v1.NodeStatus.verify|verify} messages.
                 * @param message NodeStatus message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.NodeStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a NodeStatus message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.NodeStatus & canopy.link.v1.NodeStatus.$Shape} NodeStatus
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.NodeStatus & canopy.link.v1.NodeStatus.$Shape;

                /**
                 * Creates a NodeStatus message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns NodeStatus
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.NodeStatus;

                /**
                 * Creates a plain object from a NodeStatus message. Also converts values to other types if specified.
                 * @param message NodeStatus
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.NodeStatus, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this NodeStatus to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for NodeStatus
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace NodeStatus {

                /** Properties of a NodeStatus. */
                interface $Properties {

                    /** NodeStatus nodeId */
                    nodeId?: (string|null);

                    /** NodeStatus level */
                    level?: (number|null);

                    /** NodeStatus viewers */
                    viewers?: (number|null);

                    /** NodeStatus childLinks */
                    childLinks?: (number|null);

                    /** NodeStatus egressBps */
                    egressBps?: (number|null);

                    /** NodeStatus cpu */
                    cpu?: (number|null);

                    /** NodeStatus streams */
                    streams?: (number|null);

                    /** NodeStatus publicUrl */
                    publicUrl?: (string|null);

                    /** NodeStatus region */
                    region?: (string|null);

                    /** NodeStatus classes */
                    classes?: (string[]|null);

                    /** NodeStatus draining */
                    draining?: (boolean|null);

                    /** NodeStatus parentId */
                    parentId?: (string|null);

                    /** NodeStatus carrying */
                    carrying?: (string[]|null);

                    /** NodeStatus capacity */
                    capacity?: (number|null);

                    /** NodeStatus flows */
                    flows?: (canopy.link.v1.Flow.$Properties[]|null);

                    /** NodeStatus viewersTurn */
                    viewersTurn?: (number|null);

                    /** NodeStatus viewersTcp */
                    viewersTcp?: (number|null);

                    /** NodeStatus cacheBytes */
                    cacheBytes?: (number|null);

                    /** NodeStatus cacheBudgetBytes */
                    cacheBudgetBytes?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a NodeStatus. */
                type $Shape = canopy.link.v1.NodeStatus.$Properties;
            }

            /**
             * Properties of a Flow.
             * @deprecated Use canopy.link.v1.Flow.$Properties instead.
             */
            interface IFlow extends canopy.link.v1.Flow.$Properties {
            }

            /** Represents a Flow. */
            class Flow {

                /**
                 * Constructs a new Flow.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Flow.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Flow stream. */
                stream: string;

                /** Flow source. */
                source: canopy.link.v1.Flow.Source;

                /** Flow from. */
                from: string;

                /** Flow startMs. */
                startMs?: (number|null);

                /** Flow bitrateBps. */
                bitrateBps: number;

                /** Flow viewers. */
                viewers: number;

                /** Flow children. */
                children: number;

                /** Flow layers. */
                layers: string[];

                /**
                 * Creates a new Flow instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Flow instance
                 */
                static create(properties: canopy.link.v1.Flow.$Shape): canopy.link.v1.Flow & canopy.link.v1.Flow.$Shape;
                static create(properties?: canopy.link.v1.Flow.$Properties): canopy.link.v1.Flow;

                /**
                 * Encodes the specified Flow message. Does not implicitly {@link canopy.link.v1.Flow.verify|verify} messages.
                 * @param message Flow message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Flow.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Flow message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Flow & canopy.link.v1.Flow.$Shape} Flow
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Flow & canopy.link.v1.Flow.$Shape;

                /**
                 * Creates a Flow message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Flow
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Flow;

                /**
                 * Creates a plain object from a Flow message. Also converts values to other types if specified.
                 * @param message Flow
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Flow, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Flow to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Flow
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Flow {

                /** Properties of a Flow. */
                interface $Properties {

                    /** Flow stream */
                    stream?: (string|null);

                    /** Flow source */
                    source?: (canopy.link.v1.Flow.Source|null);

                    /** Flow from */
                    from?: (string|null);

                    /** Flow startMs */
                    startMs?: (number|null);

                    /** Flow bitrateBps */
                    bitrateBps?: (number|null);

                    /** Flow viewers */
                    viewers?: (number|null);

                    /** Flow children */
                    children?: (number|null);

                    /** Flow layers */
                    layers?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Flow. */
                type $Shape = canopy.link.v1.Flow.$Properties;

                /** Source enum. */
                enum Source {

                    /** SOURCE_UNSPECIFIED value */
                    SOURCE_UNSPECIFIED = 0,

                    /** SOURCE_PUBLISHER value */
                    SOURCE_PUBLISHER = 1,

                    /** SOURCE_PARENT value */
                    SOURCE_PARENT = 2,

                    /** SOURCE_SIBLING value */
                    SOURCE_SIBLING = 3,

                    /** SOURCE_LOCAL value */
                    SOURCE_LOCAL = 4
                }
            }

            /**
             * Properties of a Subscribe.
             * @deprecated Use canopy.link.v1.Subscribe.$Properties instead.
             */
            interface ISubscribe extends canopy.link.v1.Subscribe.$Properties {
            }

            /** Represents a Subscribe. */
            class Subscribe {

                /**
                 * Constructs a new Subscribe.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Subscribe.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Subscribe subId. */
                subId: number;

                /** Subscribe stream. */
                stream: string;

                /** Subscribe startMs. */
                startMs?: (number|null);

                /** Subscribe bypass. */
                bypass: boolean;

                /** Subscribe layered. */
                layered: boolean;

                /** Subscribe layers. */
                layers: string[];

                /**
                 * Creates a new Subscribe instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Subscribe instance
                 */
                static create(properties: canopy.link.v1.Subscribe.$Shape): canopy.link.v1.Subscribe & canopy.link.v1.Subscribe.$Shape;
                static create(properties?: canopy.link.v1.Subscribe.$Properties): canopy.link.v1.Subscribe;

                /**
                 * Encodes the specified Subscribe message. Does not implicitly {@link canopy.link.v1.Subscribe.verify|verify} messages.
                 * @param message Subscribe message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Subscribe.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Subscribe message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Subscribe & canopy.link.v1.Subscribe.$Shape} Subscribe
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Subscribe & canopy.link.v1.Subscribe.$Shape;

                /**
                 * Creates a Subscribe message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Subscribe
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Subscribe;

                /**
                 * Creates a plain object from a Subscribe message. Also converts values to other types if specified.
                 * @param message Subscribe
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Subscribe, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Subscribe to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Subscribe
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Subscribe {

                /** Properties of a Subscribe. */
                interface $Properties {

                    /** Subscribe subId */
                    subId?: (number|null);

                    /** Subscribe stream */
                    stream?: (string|null);

                    /** Subscribe startMs */
                    startMs?: (number|null);

                    /** Subscribe bypass */
                    bypass?: (boolean|null);

                    /** Subscribe layered */
                    layered?: (boolean|null);

                    /** Subscribe layers */
                    layers?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Subscribe. */
                type $Shape = canopy.link.v1.Subscribe.$Properties;
            }

            /**
             * Properties of a LayerDemand.
             * @deprecated Use canopy.link.v1.LayerDemand.$Properties instead.
             */
            interface ILayerDemand extends canopy.link.v1.LayerDemand.$Properties {
            }

            /** Represents a LayerDemand. */
            class LayerDemand {

                /**
                 * Constructs a new LayerDemand.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.LayerDemand.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** LayerDemand subId. */
                subId: number;

                /** LayerDemand layers. */
                layers: string[];

                /**
                 * Creates a new LayerDemand instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns LayerDemand instance
                 */
                static create(properties: canopy.link.v1.LayerDemand.$Shape): canopy.link.v1.LayerDemand & canopy.link.v1.LayerDemand.$Shape;
                static create(properties?: canopy.link.v1.LayerDemand.$Properties): canopy.link.v1.LayerDemand;

                /**
                 * Encodes the specified LayerDemand message. Does not implicitly {@link canopy.link.v1.LayerDemand.verify|verify} messages.
                 * @param message LayerDemand message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.LayerDemand.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a LayerDemand message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.LayerDemand & canopy.link.v1.LayerDemand.$Shape} LayerDemand
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.LayerDemand & canopy.link.v1.LayerDemand.$Shape;

                /**
                 * Creates a LayerDemand message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns LayerDemand
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.LayerDemand;

                /**
                 * Creates a plain object from a LayerDemand message. Also converts values to other types if specified.
                 * @param message LayerDemand
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.LayerDemand, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this LayerDemand to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for LayerDemand
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace LayerDemand {

                /** Properties of a LayerDemand. */
                interface $Properties {

                    /** LayerDemand subId */
                    subId?: (number|null);

                    /** LayerDemand layers */
                    layers?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a LayerDemand. */
                type $Shape = canopy.link.v1.LayerDemand.$Properties;
            }

            /**
             * Properties of a TrackInfo.
             * @deprecated Use canopy.link.v1.TrackInfo.$Properties instead.
             */
            interface ITrackInfo extends canopy.link.v1.TrackInfo.$Properties {
            }

            /** Represents a TrackInfo. */
            class TrackInfo {

                /**
                 * Constructs a new TrackInfo.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.TrackInfo.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** TrackInfo id. */
                id: number;

                /** TrackInfo kind. */
                kind: canopy.link.v1.TrackInfo.Kind;

                /** TrackInfo codec. */
                codec: string;

                /** TrackInfo payloadType. */
                payloadType: number;

                /** TrackInfo clockRate. */
                clockRate: number;

                /** TrackInfo channels. */
                channels: number;

                /** TrackInfo fmtp. */
                fmtp: string;

                /** TrackInfo layer. */
                layer?: (canopy.link.v1.Layer.$Properties|null);

                /**
                 * Creates a new TrackInfo instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns TrackInfo instance
                 */
                static create(properties: canopy.link.v1.TrackInfo.$Shape): canopy.link.v1.TrackInfo & canopy.link.v1.TrackInfo.$Shape;
                static create(properties?: canopy.link.v1.TrackInfo.$Properties): canopy.link.v1.TrackInfo;

                /**
                 * Encodes the specified TrackInfo message. Does not implicitly {@link canopy.link.v1.TrackInfo.verify|verify} messages.
                 * @param message TrackInfo message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.TrackInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a TrackInfo message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.TrackInfo & canopy.link.v1.TrackInfo.$Shape} TrackInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.TrackInfo & canopy.link.v1.TrackInfo.$Shape;

                /**
                 * Creates a TrackInfo message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns TrackInfo
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.TrackInfo;

                /**
                 * Creates a plain object from a TrackInfo message. Also converts values to other types if specified.
                 * @param message TrackInfo
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.TrackInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this TrackInfo to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for TrackInfo
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace TrackInfo {

                /** Properties of a TrackInfo. */
                interface $Properties {

                    /** TrackInfo id */
                    id?: (number|null);

                    /** TrackInfo kind */
                    kind?: (canopy.link.v1.TrackInfo.Kind|null);

                    /** TrackInfo codec */
                    codec?: (string|null);

                    /** TrackInfo payloadType */
                    payloadType?: (number|null);

                    /** TrackInfo clockRate */
                    clockRate?: (number|null);

                    /** TrackInfo channels */
                    channels?: (number|null);

                    /** TrackInfo fmtp */
                    fmtp?: (string|null);

                    /** TrackInfo layer */
                    layer?: (canopy.link.v1.Layer.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a TrackInfo. */
                type $Shape = canopy.link.v1.TrackInfo.$Properties;

                /** Kind enum. */
                enum Kind {

                    /** KIND_UNSPECIFIED value */
                    KIND_UNSPECIFIED = 0,

                    /** KIND_AUDIO value */
                    KIND_AUDIO = 1,

                    /** KIND_VIDEO value */
                    KIND_VIDEO = 2
                }
            }

            /**
             * Properties of a Layer.
             * @deprecated Use canopy.link.v1.Layer.$Properties instead.
             */
            interface ILayer extends canopy.link.v1.Layer.$Properties {
            }

            /** Represents a Layer. */
            class Layer {

                /**
                 * Constructs a new Layer.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Layer.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Layer rid. */
                rid: string;

                /** Layer quality. */
                quality: string;

                /** Layer group. */
                group: number;

                /**
                 * Creates a new Layer instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Layer instance
                 */
                static create(properties: canopy.link.v1.Layer.$Shape): canopy.link.v1.Layer & canopy.link.v1.Layer.$Shape;
                static create(properties?: canopy.link.v1.Layer.$Properties): canopy.link.v1.Layer;

                /**
                 * Encodes the specified Layer message. Does not implicitly {@link canopy.link.v1.Layer.verify|verify} messages.
                 * @param message Layer message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Layer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Layer message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Layer & canopy.link.v1.Layer.$Shape} Layer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Layer & canopy.link.v1.Layer.$Shape;

                /**
                 * Creates a Layer message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Layer
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Layer;

                /**
                 * Creates a plain object from a Layer message. Also converts values to other types if specified.
                 * @param message Layer
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Layer, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Layer to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Layer
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Layer {

                /** Properties of a Layer. */
                interface $Properties {

                    /** Layer rid */
                    rid?: (string|null);

                    /** Layer quality */
                    quality?: (string|null);

                    /** Layer group */
                    group?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Layer. */
                type $Shape = canopy.link.v1.Layer.$Properties;
            }

            /**
             * Properties of a StreamInfo.
             * @deprecated Use canopy.link.v1.StreamInfo.$Properties instead.
             */
            interface IStreamInfo extends canopy.link.v1.StreamInfo.$Properties {
            }

            /** Represents a StreamInfo. */
            class StreamInfo {

                /**
                 * Constructs a new StreamInfo.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.StreamInfo.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** StreamInfo name. */
                name: string;

                /** StreamInfo createdMs. */
                createdMs: number;

                /** StreamInfo tracks. */
                tracks: canopy.link.v1.TrackInfo.$Properties[];

                /**
                 * Creates a new StreamInfo instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns StreamInfo instance
                 */
                static create(properties: canopy.link.v1.StreamInfo.$Shape): canopy.link.v1.StreamInfo & canopy.link.v1.StreamInfo.$Shape;
                static create(properties?: canopy.link.v1.StreamInfo.$Properties): canopy.link.v1.StreamInfo;

                /**
                 * Encodes the specified StreamInfo message. Does not implicitly {@link canopy.link.v1.StreamInfo.verify|verify} messages.
                 * @param message StreamInfo message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.StreamInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a StreamInfo message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.StreamInfo & canopy.link.v1.StreamInfo.$Shape} StreamInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.StreamInfo & canopy.link.v1.StreamInfo.$Shape;

                /**
                 * Creates a StreamInfo message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns StreamInfo
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.StreamInfo;

                /**
                 * Creates a plain object from a StreamInfo message. Also converts values to other types if specified.
                 * @param message StreamInfo
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.StreamInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this StreamInfo to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for StreamInfo
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace StreamInfo {

                /** Properties of a StreamInfo. */
                interface $Properties {

                    /** StreamInfo name */
                    name?: (string|null);

                    /** StreamInfo createdMs */
                    createdMs?: (number|null);

                    /** StreamInfo tracks */
                    tracks?: (canopy.link.v1.TrackInfo.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a StreamInfo. */
                type $Shape = canopy.link.v1.StreamInfo.$Properties;
            }

            /**
             * Properties of a SubscribeOk.
             * @deprecated Use canopy.link.v1.SubscribeOk.$Properties instead.
             */
            interface ISubscribeOk extends canopy.link.v1.SubscribeOk.$Properties {
            }

            /** Represents a SubscribeOk. */
            class SubscribeOk {

                /**
                 * Constructs a new SubscribeOk.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.SubscribeOk.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** SubscribeOk subId. */
                subId: number;

                /** SubscribeOk info. */
                info?: (canopy.link.v1.StreamInfo.$Properties|null);

                /**
                 * Creates a new SubscribeOk instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns SubscribeOk instance
                 */
                static create(properties: canopy.link.v1.SubscribeOk.$Shape): canopy.link.v1.SubscribeOk & canopy.link.v1.SubscribeOk.$Shape;
                static create(properties?: canopy.link.v1.SubscribeOk.$Properties): canopy.link.v1.SubscribeOk;

                /**
                 * Encodes the specified SubscribeOk message. Does not implicitly {@link canopy.link.v1.SubscribeOk.verify|verify} messages.
                 * @param message SubscribeOk message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.SubscribeOk.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a SubscribeOk message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeOk & canopy.link.v1.SubscribeOk.$Shape} SubscribeOk
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.SubscribeOk & canopy.link.v1.SubscribeOk.$Shape;

                /**
                 * Creates a SubscribeOk message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns SubscribeOk
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.SubscribeOk;

                /**
                 * Creates a plain object from a SubscribeOk message. Also converts values to other types if specified.
                 * @param message SubscribeOk
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.SubscribeOk, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this SubscribeOk to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for SubscribeOk
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace SubscribeOk {

                /** Properties of a SubscribeOk. */
                interface $Properties {

                    /** SubscribeOk subId */
                    subId?: (number|null);

                    /** SubscribeOk info */
                    info?: (canopy.link.v1.StreamInfo.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a SubscribeOk. */
                type $Shape = canopy.link.v1.SubscribeOk.$Properties;
            }

            /**
             * Properties of a SubscribeShared.
             * @deprecated Use canopy.link.v1.SubscribeShared.$Properties instead.
             */
            interface ISubscribeShared extends canopy.link.v1.SubscribeShared.$Properties {
            }

            /** Represents a SubscribeShared. */
            class SubscribeShared {

                /**
                 * Constructs a new SubscribeShared.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.SubscribeShared.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** SubscribeShared subId. */
                subId: number;

                /** SubscribeShared mediaSubId. */
                mediaSubId: number;

                /** SubscribeShared info. */
                info?: (canopy.link.v1.StreamInfo.$Properties|null);

                /**
                 * Creates a new SubscribeShared instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns SubscribeShared instance
                 */
                static create(properties: canopy.link.v1.SubscribeShared.$Shape): canopy.link.v1.SubscribeShared & canopy.link.v1.SubscribeShared.$Shape;
                static create(properties?: canopy.link.v1.SubscribeShared.$Properties): canopy.link.v1.SubscribeShared;

                /**
                 * Encodes the specified SubscribeShared message. Does not implicitly {@link canopy.link.v1.SubscribeShared.verify|verify} messages.
                 * @param message SubscribeShared message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.SubscribeShared.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a SubscribeShared message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeShared & canopy.link.v1.SubscribeShared.$Shape} SubscribeShared
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.SubscribeShared & canopy.link.v1.SubscribeShared.$Shape;

                /**
                 * Creates a SubscribeShared message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns SubscribeShared
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.SubscribeShared;

                /**
                 * Creates a plain object from a SubscribeShared message. Also converts values to other types if specified.
                 * @param message SubscribeShared
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.SubscribeShared, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this SubscribeShared to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for SubscribeShared
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace SubscribeShared {

                /** Properties of a SubscribeShared. */
                interface $Properties {

                    /** SubscribeShared subId */
                    subId?: (number|null);

                    /** SubscribeShared mediaSubId */
                    mediaSubId?: (number|null);

                    /** SubscribeShared info */
                    info?: (canopy.link.v1.StreamInfo.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a SubscribeShared. */
                type $Shape = canopy.link.v1.SubscribeShared.$Properties;
            }

            /**
             * Properties of a SubscribeError.
             * @deprecated Use canopy.link.v1.SubscribeError.$Properties instead.
             */
            interface ISubscribeError extends canopy.link.v1.SubscribeError.$Properties {
            }

            /** Represents a SubscribeError. */
            class SubscribeError {

                /**
                 * Constructs a new SubscribeError.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.SubscribeError.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** SubscribeError subId. */
                subId: number;

                /** SubscribeError code. */
                code: number;

                /** SubscribeError reason. */
                reason: string;

                /**
                 * Creates a new SubscribeError instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns SubscribeError instance
                 */
                static create(properties: canopy.link.v1.SubscribeError.$Shape): canopy.link.v1.SubscribeError & canopy.link.v1.SubscribeError.$Shape;
                static create(properties?: canopy.link.v1.SubscribeError.$Properties): canopy.link.v1.SubscribeError;

                /**
                 * Encodes the specified SubscribeError message. Does not implicitly {@link canopy.link.v1.SubscribeError.verify|verify} messages.
                 * @param message SubscribeError message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.SubscribeError.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a SubscribeError message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.SubscribeError & canopy.link.v1.SubscribeError.$Shape} SubscribeError
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.SubscribeError & canopy.link.v1.SubscribeError.$Shape;

                /**
                 * Creates a SubscribeError message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns SubscribeError
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.SubscribeError;

                /**
                 * Creates a plain object from a SubscribeError message. Also converts values to other types if specified.
                 * @param message SubscribeError
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.SubscribeError, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this SubscribeError to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for SubscribeError
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace SubscribeError {

                /** Properties of a SubscribeError. */
                interface $Properties {

                    /** SubscribeError subId */
                    subId?: (number|null);

                    /** SubscribeError code */
                    code?: (number|null);

                    /** SubscribeError reason */
                    reason?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a SubscribeError. */
                type $Shape = canopy.link.v1.SubscribeError.$Properties;
            }

            /**
             * Properties of an Unsubscribe.
             * @deprecated Use canopy.link.v1.Unsubscribe.$Properties instead.
             */
            interface IUnsubscribe extends canopy.link.v1.Unsubscribe.$Properties {
            }

            /** Represents an Unsubscribe. */
            class Unsubscribe {

                /**
                 * Constructs a new Unsubscribe.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Unsubscribe.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Unsubscribe subId. */
                subId: number;

                /**
                 * Creates a new Unsubscribe instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Unsubscribe instance
                 */
                static create(properties: canopy.link.v1.Unsubscribe.$Shape): canopy.link.v1.Unsubscribe & canopy.link.v1.Unsubscribe.$Shape;
                static create(properties?: canopy.link.v1.Unsubscribe.$Properties): canopy.link.v1.Unsubscribe;

                /**
                 * Encodes the specified Unsubscribe message. Does not implicitly {@link canopy.link.v1.Unsubscribe.verify|verify} messages.
                 * @param message Unsubscribe message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Unsubscribe.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Unsubscribe message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Unsubscribe & canopy.link.v1.Unsubscribe.$Shape} Unsubscribe
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Unsubscribe & canopy.link.v1.Unsubscribe.$Shape;

                /**
                 * Creates an Unsubscribe message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Unsubscribe
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Unsubscribe;

                /**
                 * Creates a plain object from an Unsubscribe message. Also converts values to other types if specified.
                 * @param message Unsubscribe
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Unsubscribe, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Unsubscribe to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Unsubscribe
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Unsubscribe {

                /** Properties of an Unsubscribe. */
                interface $Properties {

                    /** Unsubscribe subId */
                    subId?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Unsubscribe. */
                type $Shape = canopy.link.v1.Unsubscribe.$Properties;
            }

            /**
             * Properties of a Media.
             * @deprecated Use canopy.link.v1.Media.$Properties instead.
             */
            interface IMedia extends canopy.link.v1.Media.$Properties {
            }

            /** Represents a Media. */
            class Media {

                /**
                 * Constructs a new Media.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Media.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Media subId. */
                subId: number;

                /** Media track. */
                track: number;

                /** Media rtp. */
                rtp: Uint8Array;

                /** Media captureMs. */
                captureMs: number;

                /** Media keyframe. */
                keyframe: boolean;

                /**
                 * Creates a new Media instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Media instance
                 */
                static create(properties: canopy.link.v1.Media.$Shape): canopy.link.v1.Media & canopy.link.v1.Media.$Shape;
                static create(properties?: canopy.link.v1.Media.$Properties): canopy.link.v1.Media;

                /**
                 * Encodes the specified Media message. Does not implicitly {@link canopy.link.v1.Media.verify|verify} messages.
                 * @param message Media message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Media.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Media message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Media & canopy.link.v1.Media.$Shape} Media
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Media & canopy.link.v1.Media.$Shape;

                /**
                 * Creates a Media message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Media
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Media;

                /**
                 * Creates a plain object from a Media message. Also converts values to other types if specified.
                 * @param message Media
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Media, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Media to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Media
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Media {

                /** Properties of a Media. */
                interface $Properties {

                    /** Media subId */
                    subId?: (number|null);

                    /** Media track */
                    track?: (number|null);

                    /** Media rtp */
                    rtp?: (Uint8Array|null);

                    /** Media captureMs */
                    captureMs?: (number|null);

                    /** Media keyframe */
                    keyframe?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Media. */
                type $Shape = canopy.link.v1.Media.$Properties;
            }

            /**
             * Properties of a KeyframeRequest.
             * @deprecated Use canopy.link.v1.KeyframeRequest.$Properties instead.
             */
            interface IKeyframeRequest extends canopy.link.v1.KeyframeRequest.$Properties {
            }

            /** Represents a KeyframeRequest. */
            class KeyframeRequest {

                /**
                 * Constructs a new KeyframeRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.KeyframeRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** KeyframeRequest subId. */
                subId: number;

                /** KeyframeRequest track. */
                track: number;

                /**
                 * Creates a new KeyframeRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns KeyframeRequest instance
                 */
                static create(properties: canopy.link.v1.KeyframeRequest.$Shape): canopy.link.v1.KeyframeRequest & canopy.link.v1.KeyframeRequest.$Shape;
                static create(properties?: canopy.link.v1.KeyframeRequest.$Properties): canopy.link.v1.KeyframeRequest;

                /**
                 * Encodes the specified KeyframeRequest message. Does not implicitly {@link canopy.link.v1.KeyframeRequest.verify|verify} messages.
                 * @param message KeyframeRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.KeyframeRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a KeyframeRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.KeyframeRequest & canopy.link.v1.KeyframeRequest.$Shape} KeyframeRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.KeyframeRequest & canopy.link.v1.KeyframeRequest.$Shape;

                /**
                 * Creates a KeyframeRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns KeyframeRequest
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.KeyframeRequest;

                /**
                 * Creates a plain object from a KeyframeRequest message. Also converts values to other types if specified.
                 * @param message KeyframeRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.KeyframeRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this KeyframeRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for KeyframeRequest
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace KeyframeRequest {

                /** Properties of a KeyframeRequest. */
                interface $Properties {

                    /** KeyframeRequest subId */
                    subId?: (number|null);

                    /** KeyframeRequest track */
                    track?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a KeyframeRequest. */
                type $Shape = canopy.link.v1.KeyframeRequest.$Properties;
            }

            /**
             * Properties of a StreamEnded.
             * @deprecated Use canopy.link.v1.StreamEnded.$Properties instead.
             */
            interface IStreamEnded extends canopy.link.v1.StreamEnded.$Properties {
            }

            /** Represents a StreamEnded. */
            class StreamEnded {

                /**
                 * Constructs a new StreamEnded.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.StreamEnded.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** StreamEnded subId. */
                subId: number;

                /** StreamEnded code. */
                code: number;

                /** StreamEnded reason. */
                reason: string;

                /**
                 * Creates a new StreamEnded instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns StreamEnded instance
                 */
                static create(properties: canopy.link.v1.StreamEnded.$Shape): canopy.link.v1.StreamEnded & canopy.link.v1.StreamEnded.$Shape;
                static create(properties?: canopy.link.v1.StreamEnded.$Properties): canopy.link.v1.StreamEnded;

                /**
                 * Encodes the specified StreamEnded message. Does not implicitly {@link canopy.link.v1.StreamEnded.verify|verify} messages.
                 * @param message StreamEnded message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.StreamEnded.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a StreamEnded message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.StreamEnded & canopy.link.v1.StreamEnded.$Shape} StreamEnded
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.StreamEnded & canopy.link.v1.StreamEnded.$Shape;

                /**
                 * Creates a StreamEnded message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns StreamEnded
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.StreamEnded;

                /**
                 * Creates a plain object from a StreamEnded message. Also converts values to other types if specified.
                 * @param message StreamEnded
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.StreamEnded, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this StreamEnded to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for StreamEnded
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace StreamEnded {

                /** Properties of a StreamEnded. */
                interface $Properties {

                    /** StreamEnded subId */
                    subId?: (number|null);

                    /** StreamEnded code */
                    code?: (number|null);

                    /** StreamEnded reason */
                    reason?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a StreamEnded. */
                type $Shape = canopy.link.v1.StreamEnded.$Properties;
            }

            /**
             * Properties of a Ping.
             * @deprecated Use canopy.link.v1.Ping.$Properties instead.
             */
            interface IPing extends canopy.link.v1.Ping.$Properties {
            }

            /** Represents a Ping. */
            class Ping {

                /**
                 * Constructs a new Ping.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Ping.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Ping sentMs. */
                sentMs: number;

                /** Ping status. */
                status?: (canopy.link.v1.NodeStatus.$Properties|null);

                /** Ping subtree. */
                subtree: canopy.link.v1.NodeStatus.$Properties[];

                /** Ping subtreeTruncated. */
                subtreeTruncated: boolean;

                /** Ping hasSubtree. */
                hasSubtree: boolean;

                /** Ping peers. */
                peers: canopy.link.v1.NodeStatus.$Properties[];

                /** Ping hasPeers. */
                hasPeers: boolean;

                /**
                 * Creates a new Ping instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Ping instance
                 */
                static create(properties: canopy.link.v1.Ping.$Shape): canopy.link.v1.Ping & canopy.link.v1.Ping.$Shape;
                static create(properties?: canopy.link.v1.Ping.$Properties): canopy.link.v1.Ping;

                /**
                 * Encodes the specified Ping message. Does not implicitly {@link canopy.link.v1.Ping.verify|verify} messages.
                 * @param message Ping message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Ping.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Ping message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Ping & canopy.link.v1.Ping.$Shape} Ping
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Ping & canopy.link.v1.Ping.$Shape;

                /**
                 * Creates a Ping message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Ping
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Ping;

                /**
                 * Creates a plain object from a Ping message. Also converts values to other types if specified.
                 * @param message Ping
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Ping, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Ping to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Ping
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Ping {

                /** Properties of a Ping. */
                interface $Properties {

                    /** Ping sentMs */
                    sentMs?: (number|null);

                    /** Ping status */
                    status?: (canopy.link.v1.NodeStatus.$Properties|null);

                    /** Ping subtree */
                    subtree?: (canopy.link.v1.NodeStatus.$Properties[]|null);

                    /** Ping subtreeTruncated */
                    subtreeTruncated?: (boolean|null);

                    /** Ping hasSubtree */
                    hasSubtree?: (boolean|null);

                    /** Ping peers */
                    peers?: (canopy.link.v1.NodeStatus.$Properties[]|null);

                    /** Ping hasPeers */
                    hasPeers?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Ping. */
                type $Shape = canopy.link.v1.Ping.$Properties;
            }

            /**
             * Properties of a Pong.
             * @deprecated Use canopy.link.v1.Pong.$Properties instead.
             */
            interface IPong extends canopy.link.v1.Pong.$Properties {
            }

            /** Represents a Pong. */
            class Pong {

                /**
                 * Constructs a new Pong.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.Pong.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Pong sentMs. */
                sentMs: number;

                /**
                 * Creates a new Pong instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Pong instance
                 */
                static create(properties: canopy.link.v1.Pong.$Shape): canopy.link.v1.Pong & canopy.link.v1.Pong.$Shape;
                static create(properties?: canopy.link.v1.Pong.$Properties): canopy.link.v1.Pong;

                /**
                 * Encodes the specified Pong message. Does not implicitly {@link canopy.link.v1.Pong.verify|verify} messages.
                 * @param message Pong message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.Pong.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Pong message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.Pong & canopy.link.v1.Pong.$Shape} Pong
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.Pong & canopy.link.v1.Pong.$Shape;

                /**
                 * Creates a Pong message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Pong
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.Pong;

                /**
                 * Creates a plain object from a Pong message. Also converts values to other types if specified.
                 * @param message Pong
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.Pong, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Pong to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Pong
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Pong {

                /** Properties of a Pong. */
                interface $Properties {

                    /** Pong sentMs */
                    sentMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Pong. */
                type $Shape = canopy.link.v1.Pong.$Properties;
            }

            /**
             * Properties of a PathUpdate.
             * @deprecated Use canopy.link.v1.PathUpdate.$Properties instead.
             */
            interface IPathUpdate extends canopy.link.v1.PathUpdate.$Properties {
            }

            /** Represents a PathUpdate. */
            class PathUpdate {

                /**
                 * Constructs a new PathUpdate.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.PathUpdate.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PathUpdate level. */
                level: number;

                /** PathUpdate path. */
                path: string[];

                /**
                 * Creates a new PathUpdate instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PathUpdate instance
                 */
                static create(properties: canopy.link.v1.PathUpdate.$Shape): canopy.link.v1.PathUpdate & canopy.link.v1.PathUpdate.$Shape;
                static create(properties?: canopy.link.v1.PathUpdate.$Properties): canopy.link.v1.PathUpdate;

                /**
                 * Encodes the specified PathUpdate message. Does not implicitly {@link canopy.link.v1.PathUpdate.verify|verify} messages.
                 * @param message PathUpdate message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.PathUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PathUpdate message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PathUpdate & canopy.link.v1.PathUpdate.$Shape} PathUpdate
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.PathUpdate & canopy.link.v1.PathUpdate.$Shape;

                /**
                 * Creates a PathUpdate message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns PathUpdate
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.PathUpdate;

                /**
                 * Creates a plain object from a PathUpdate message. Also converts values to other types if specified.
                 * @param message PathUpdate
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.PathUpdate, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this PathUpdate to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for PathUpdate
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace PathUpdate {

                /** Properties of a PathUpdate. */
                interface $Properties {

                    /** PathUpdate level */
                    level?: (number|null);

                    /** PathUpdate path */
                    path?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PathUpdate. */
                type $Shape = canopy.link.v1.PathUpdate.$Properties;
            }

            /**
             * Properties of a GoAway.
             * @deprecated Use canopy.link.v1.GoAway.$Properties instead.
             */
            interface IGoAway extends canopy.link.v1.GoAway.$Properties {
            }

            /** Represents a GoAway. */
            class GoAway {

                /**
                 * Constructs a new GoAway.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.GoAway.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** GoAway reason. */
                reason: string;

                /** GoAway deadlineMs. */
                deadlineMs: number;

                /**
                 * Creates a new GoAway instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns GoAway instance
                 */
                static create(properties: canopy.link.v1.GoAway.$Shape): canopy.link.v1.GoAway & canopy.link.v1.GoAway.$Shape;
                static create(properties?: canopy.link.v1.GoAway.$Properties): canopy.link.v1.GoAway;

                /**
                 * Encodes the specified GoAway message. Does not implicitly {@link canopy.link.v1.GoAway.verify|verify} messages.
                 * @param message GoAway message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.GoAway.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a GoAway message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.GoAway & canopy.link.v1.GoAway.$Shape} GoAway
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.GoAway & canopy.link.v1.GoAway.$Shape;

                /**
                 * Creates a GoAway message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns GoAway
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.GoAway;

                /**
                 * Creates a plain object from a GoAway message. Also converts values to other types if specified.
                 * @param message GoAway
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.GoAway, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this GoAway to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for GoAway
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace GoAway {

                /** Properties of a GoAway. */
                interface $Properties {

                    /** GoAway reason */
                    reason?: (string|null);

                    /** GoAway deadlineMs */
                    deadlineMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a GoAway. */
                type $Shape = canopy.link.v1.GoAway.$Properties;
            }

            /**
             * Properties of a PipeCandidate.
             * @deprecated Use canopy.link.v1.PipeCandidate.$Properties instead.
             */
            interface IPipeCandidate extends canopy.link.v1.PipeCandidate.$Properties {
            }

            /** Represents a PipeCandidate. */
            class PipeCandidate {

                /**
                 * Constructs a new PipeCandidate.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.PipeCandidate.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PipeCandidate host. */
                host: string;

                /** PipeCandidate port. */
                port: number;

                /**
                 * Creates a new PipeCandidate instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PipeCandidate instance
                 */
                static create(properties: canopy.link.v1.PipeCandidate.$Shape): canopy.link.v1.PipeCandidate & canopy.link.v1.PipeCandidate.$Shape;
                static create(properties?: canopy.link.v1.PipeCandidate.$Properties): canopy.link.v1.PipeCandidate;

                /**
                 * Encodes the specified PipeCandidate message. Does not implicitly {@link canopy.link.v1.PipeCandidate.verify|verify} messages.
                 * @param message PipeCandidate message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.PipeCandidate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PipeCandidate message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeCandidate & canopy.link.v1.PipeCandidate.$Shape} PipeCandidate
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.PipeCandidate & canopy.link.v1.PipeCandidate.$Shape;

                /**
                 * Creates a PipeCandidate message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns PipeCandidate
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.PipeCandidate;

                /**
                 * Creates a plain object from a PipeCandidate message. Also converts values to other types if specified.
                 * @param message PipeCandidate
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.PipeCandidate, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this PipeCandidate to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for PipeCandidate
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace PipeCandidate {

                /** Properties of a PipeCandidate. */
                interface $Properties {

                    /** PipeCandidate host */
                    host?: (string|null);

                    /** PipeCandidate port */
                    port?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PipeCandidate. */
                type $Shape = canopy.link.v1.PipeCandidate.$Properties;
            }

            /**
             * Properties of a PipeOffer.
             * @deprecated Use canopy.link.v1.PipeOffer.$Properties instead.
             */
            interface IPipeOffer extends canopy.link.v1.PipeOffer.$Properties {
            }

            /** Represents a PipeOffer. */
            class PipeOffer {

                /**
                 * Constructs a new PipeOffer.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.PipeOffer.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PipeOffer attempt. */
                attempt: number;

                /** PipeOffer candidates. */
                candidates: canopy.link.v1.PipeCandidate.$Properties[];

                /** PipeOffer fragments. */
                fragments: boolean;

                /**
                 * Creates a new PipeOffer instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PipeOffer instance
                 */
                static create(properties: canopy.link.v1.PipeOffer.$Shape): canopy.link.v1.PipeOffer & canopy.link.v1.PipeOffer.$Shape;
                static create(properties?: canopy.link.v1.PipeOffer.$Properties): canopy.link.v1.PipeOffer;

                /**
                 * Encodes the specified PipeOffer message. Does not implicitly {@link canopy.link.v1.PipeOffer.verify|verify} messages.
                 * @param message PipeOffer message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.PipeOffer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PipeOffer message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeOffer & canopy.link.v1.PipeOffer.$Shape} PipeOffer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.PipeOffer & canopy.link.v1.PipeOffer.$Shape;

                /**
                 * Creates a PipeOffer message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns PipeOffer
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.PipeOffer;

                /**
                 * Creates a plain object from a PipeOffer message. Also converts values to other types if specified.
                 * @param message PipeOffer
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.PipeOffer, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this PipeOffer to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for PipeOffer
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace PipeOffer {

                /** Properties of a PipeOffer. */
                interface $Properties {

                    /** PipeOffer attempt */
                    attempt?: (number|null);

                    /** PipeOffer candidates */
                    candidates?: (canopy.link.v1.PipeCandidate.$Properties[]|null);

                    /** PipeOffer fragments */
                    fragments?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PipeOffer. */
                type $Shape = canopy.link.v1.PipeOffer.$Properties;
            }

            /**
             * Properties of a PipeAnswer.
             * @deprecated Use canopy.link.v1.PipeAnswer.$Properties instead.
             */
            interface IPipeAnswer extends canopy.link.v1.PipeAnswer.$Properties {
            }

            /** Represents a PipeAnswer. */
            class PipeAnswer {

                /**
                 * Constructs a new PipeAnswer.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.PipeAnswer.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PipeAnswer attempt. */
                attempt: number;

                /** PipeAnswer candidate. */
                candidate?: (canopy.link.v1.PipeCandidate.$Properties|null);

                /** PipeAnswer refused. */
                refused: string;

                /**
                 * Creates a new PipeAnswer instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PipeAnswer instance
                 */
                static create(properties: canopy.link.v1.PipeAnswer.$Shape): canopy.link.v1.PipeAnswer & canopy.link.v1.PipeAnswer.$Shape;
                static create(properties?: canopy.link.v1.PipeAnswer.$Properties): canopy.link.v1.PipeAnswer;

                /**
                 * Encodes the specified PipeAnswer message. Does not implicitly {@link canopy.link.v1.PipeAnswer.verify|verify} messages.
                 * @param message PipeAnswer message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.PipeAnswer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PipeAnswer message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeAnswer & canopy.link.v1.PipeAnswer.$Shape} PipeAnswer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.PipeAnswer & canopy.link.v1.PipeAnswer.$Shape;

                /**
                 * Creates a PipeAnswer message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns PipeAnswer
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.PipeAnswer;

                /**
                 * Creates a plain object from a PipeAnswer message. Also converts values to other types if specified.
                 * @param message PipeAnswer
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.PipeAnswer, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this PipeAnswer to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for PipeAnswer
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace PipeAnswer {

                /** Properties of a PipeAnswer. */
                interface $Properties {

                    /** PipeAnswer attempt */
                    attempt?: (number|null);

                    /** PipeAnswer candidate */
                    candidate?: (canopy.link.v1.PipeCandidate.$Properties|null);

                    /** PipeAnswer refused */
                    refused?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PipeAnswer. */
                type $Shape = canopy.link.v1.PipeAnswer.$Properties;
            }

            /**
             * Properties of a PipeReady.
             * @deprecated Use canopy.link.v1.PipeReady.$Properties instead.
             */
            interface IPipeReady extends canopy.link.v1.PipeReady.$Properties {
            }

            /** Represents a PipeReady. */
            class PipeReady {

                /**
                 * Constructs a new PipeReady.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.PipeReady.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PipeReady attempt. */
                attempt: number;

                /**
                 * Creates a new PipeReady instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PipeReady instance
                 */
                static create(properties: canopy.link.v1.PipeReady.$Shape): canopy.link.v1.PipeReady & canopy.link.v1.PipeReady.$Shape;
                static create(properties?: canopy.link.v1.PipeReady.$Properties): canopy.link.v1.PipeReady;

                /**
                 * Encodes the specified PipeReady message. Does not implicitly {@link canopy.link.v1.PipeReady.verify|verify} messages.
                 * @param message PipeReady message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.PipeReady.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PipeReady message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeReady & canopy.link.v1.PipeReady.$Shape} PipeReady
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.PipeReady & canopy.link.v1.PipeReady.$Shape;

                /**
                 * Creates a PipeReady message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns PipeReady
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.PipeReady;

                /**
                 * Creates a plain object from a PipeReady message. Also converts values to other types if specified.
                 * @param message PipeReady
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.PipeReady, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this PipeReady to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for PipeReady
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace PipeReady {

                /** Properties of a PipeReady. */
                interface $Properties {

                    /** PipeReady attempt */
                    attempt?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PipeReady. */
                type $Shape = canopy.link.v1.PipeReady.$Properties;
            }

            /**
             * Properties of a PipeClose.
             * @deprecated Use canopy.link.v1.PipeClose.$Properties instead.
             */
            interface IPipeClose extends canopy.link.v1.PipeClose.$Properties {
            }

            /** Represents a PipeClose. */
            class PipeClose {

                /**
                 * Constructs a new PipeClose.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.link.v1.PipeClose.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PipeClose attempt. */
                attempt: number;

                /** PipeClose reason. */
                reason: string;

                /**
                 * Creates a new PipeClose instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PipeClose instance
                 */
                static create(properties: canopy.link.v1.PipeClose.$Shape): canopy.link.v1.PipeClose & canopy.link.v1.PipeClose.$Shape;
                static create(properties?: canopy.link.v1.PipeClose.$Properties): canopy.link.v1.PipeClose;

                /**
                 * Encodes the specified PipeClose message. Does not implicitly {@link canopy.link.v1.PipeClose.verify|verify} messages.
                 * @param message PipeClose message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.link.v1.PipeClose.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PipeClose message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.link.v1.PipeClose & canopy.link.v1.PipeClose.$Shape} PipeClose
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.link.v1.PipeClose & canopy.link.v1.PipeClose.$Shape;

                /**
                 * Creates a PipeClose message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns PipeClose
                 */
                static fromObject(object: { [k: string]: any }): canopy.link.v1.PipeClose;

                /**
                 * Creates a plain object from a PipeClose message. Also converts values to other types if specified.
                 * @param message PipeClose
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.link.v1.PipeClose, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this PipeClose to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for PipeClose
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace PipeClose {

                /** Properties of a PipeClose. */
                interface $Properties {

                    /** PipeClose attempt */
                    attempt?: (number|null);

                    /** PipeClose reason */
                    reason?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PipeClose. */
                type $Shape = canopy.link.v1.PipeClose.$Properties;
            }
        }
    }
}
