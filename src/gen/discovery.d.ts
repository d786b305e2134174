import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace canopy. */
export namespace canopy {

    /** Namespace discovery. */
    namespace discovery {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of an Envelope.
             * @deprecated Use canopy.discovery.v1.Envelope.$Properties instead.
             */
            interface IEnvelope extends canopy.discovery.v1.Envelope.$Properties {
            }

            /** Represents an Envelope. */
            class Envelope {

                /**
                 * Constructs a new Envelope.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.discovery.v1.Envelope.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Envelope body. */
                body: Uint8Array;

                /** Envelope mac. */
                mac: Uint8Array;

                /**
                 * Creates a new Envelope instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Envelope instance
                 */
                static create(properties: canopy.discovery.v1.Envelope.$Shape): canopy.discovery.v1.Envelope & canopy.discovery.v1.Envelope.$Shape;
                static create(properties?: canopy.discovery.v1.Envelope.$Properties): canopy.discovery.v1.Envelope;

                /**
                 * Encodes the specified Envelope message. Does not implicitly {@link canopy.discovery.v1.Envelope.verify|verify} messages.
                 * @param message Envelope message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.discovery.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Envelope message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Envelope & canopy.discovery.v1.Envelope.$Shape} Envelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.discovery.v1.Envelope & canopy.discovery.v1.Envelope.$Shape;

                /**
                 * Creates an Envelope message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Envelope
                 */
                static fromObject(object: { [k: string]: any }): canopy.discovery.v1.Envelope;

                /**
                 * Creates a plain object from an Envelope message. Also converts values to other types if specified.
                 * @param message Envelope
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.discovery.v1.Envelope, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Envelope to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Envelope
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Envelope {

                /** Properties of an Envelope. */
                interface $Properties {

                    /** Envelope body */
                    body?: (Uint8Array|null);

                    /** Envelope mac */
                    mac?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Envelope. */
                type $Shape = canopy.discovery.v1.Envelope.$Properties;
            }

            /**
             * Properties of a Datagram.
             * @deprecated Use canopy.discovery.v1.Datagram.$Properties instead.
             */
            interface IDatagram extends canopy.discovery.v1.Datagram.$Properties {
            }

            /** Represents a Datagram. */
            class Datagram {

                /**
                 * Constructs a new Datagram.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.discovery.v1.Datagram.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Datagram version. */
                version: number;

                /** Datagram nodeId. */
                nodeId: string;

                /** Datagram parentId. */
                parentId: string;

                /** Datagram parentInstance. */
                parentInstance: string;

                /** Datagram sentMs. */
                sentMs: number;

                /** Datagram linkUrl. */
                linkUrl: string;

                /** Datagram nonce. */
                nonce: Uint8Array;

                /** Datagram query. */
                query?: (canopy.discovery.v1.Query.$Properties|null);

                /** Datagram answer. */
                answer?: (canopy.discovery.v1.Answer.$Properties|null);

                /** Datagram msg. */
                msg?: ("query"|"answer");

                /**
                 * Creates a new Datagram instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Datagram instance
                 */
                static create(properties: canopy.discovery.v1.Datagram.$Shape): canopy.discovery.v1.Datagram & canopy.discovery.v1.Datagram.$Shape;
                static create(properties?: canopy.discovery.v1.Datagram.$Properties): canopy.discovery.v1.Datagram;

                /**
                 * Encodes the specified Datagram message. Does not implicitly {@link canopy.discovery.v1.Datagram.verify|verify} messages.
                 * @param message Datagram message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.discovery.v1.Datagram.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Datagram message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Datagram & canopy.discovery.v1.Datagram.$Shape} Datagram
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.discovery.v1.Datagram & canopy.discovery.v1.Datagram.$Shape;

                /**
                 * Creates a Datagram message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Datagram
                 */
                static fromObject(object: { [k: string]: any }): canopy.discovery.v1.Datagram;

                /**
                 * Creates a plain object from a Datagram message. Also converts values to other types if specified.
                 * @param message Datagram
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.discovery.v1.Datagram, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Datagram to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Datagram
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Datagram {

                /** Properties of a Datagram. */
                interface $Properties {

                    /** Datagram version */
                    version?: (number|null);

                    /** Datagram nodeId */
                    nodeId?: (string|null);

                    /** Datagram parentId */
                    parentId?: (string|null);

                    /** Datagram parentInstance */
                    parentInstance?: (string|null);

                    /** Datagram sentMs */
                    sentMs?: (number|null);

                    /** Datagram linkUrl */
                    linkUrl?: (string|null);

                    /** Datagram nonce */
                    nonce?: (Uint8Array|null);

                    /** Datagram query */
                    query?: (canopy.discovery.v1.Query.$Properties|null);

                    /** Datagram answer */
                    answer?: (canopy.discovery.v1.Answer.$Properties|null);

                    /** Datagram msg */
                    msg?: ("query"|"answer");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of a Datagram. */
                type $Shape = {
                  version?: number|null;
                  nodeId?: string|null;
                  parentId?: string|null;
                  parentInstance?: string|null;
                  sentMs?: number|null;
                  linkUrl?: string|null;
                  nonce?: Uint8Array|null;
                  query?: canopy.discovery.v1.Query.$Shape|null;
                  answer?: canopy.discovery.v1.Answer.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ msg?: undefined; query?: null; answer?: null }|{ msg?: "query"; query: canopy.discovery.v1.Query.$Shape; answer?: null }|{ msg?: "answer"; query?: null; answer: canopy.discovery.v1.Answer.$Shape })
                );
            }

            /**
             * Properties of a Query.
             * @deprecated Use canopy.discovery.v1.Query.$Properties instead.
             */
            interface IQuery extends canopy.discovery.v1.Query.$Properties {
            }

            /** Represents a Query. */
            class Query {

                /**
                 * Constructs a new Query.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.discovery.v1.Query.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Query queryId. */
                queryId: number;

                /** Query stream. */
                stream: string;

                /** Query startMs. */
                startMs?: (number|null);

                /**
                 * Creates a new Query instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Query instance
                 */
                static create(properties: canopy.discovery.v1.Query.$Shape): canopy.discovery.v1.Query & canopy.discovery.v1.Query.$Shape;
                static create(properties?: canopy.discovery.v1.Query.$Properties): canopy.discovery.v1.Query;

                /**
                 * Encodes the specified Query message. Does not implicitly {@link canopy.discovery.v1.Query.verify|verify} messages.
                 * @param message Query message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.discovery.v1.Query.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Query message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Query & canopy.discovery.v1.Query.$Shape} Query
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.discovery.v1.Query & canopy.discovery.v1.Query.$Shape;

                /**
                 * Creates a Query message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Query
                 */
                static fromObject(object: { [k: string]: any }): canopy.discovery.v1.Query;

                /**
                 * Creates a plain object from a Query message. Also converts values to other types if specified.
                 * @param message Query
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.discovery.v1.Query, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Query to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Query
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Query {

                /** Properties of a Query. */
                interface $Properties {

                    /** Query queryId */
                    queryId?: (number|null);

                    /** Query stream */
                    stream?: (string|null);

                    /** Query startMs */
                    startMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Query. */
                type $Shape = canopy.discovery.v1.Query.$Properties;
            }

            /**
             * Properties of an Answer.
             * @deprecated Use canopy.discovery.v1.Answer.$Properties instead.
             */
            interface IAnswer extends canopy.discovery.v1.Answer.$Properties {
            }

            /** Represents an Answer. */
            class Answer {

                /**
                 * Constructs a new Answer.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: canopy.discovery.v1.Answer.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Answer queryId. */
                queryId: number;

                /** Answer stream. */
                stream: string;

                /** Answer state. */
                state: canopy.discovery.v1.Answer.State;

                /** Answer via. */
                via: string[];

                /** Answer to. */
                to: string;

                /**
                 * Creates a new Answer instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Answer instance
                 */
                static create(properties: canopy.discovery.v1.Answer.$Shape): canopy.discovery.v1.Answer & canopy.discovery.v1.Answer.$Shape;
                static create(properties?: canopy.discovery.v1.Answer.$Properties): canopy.discovery.v1.Answer;

                /**
                 * Encodes the specified Answer message. Does not implicitly {@link canopy.discovery.v1.Answer.verify|verify} messages.
                 * @param message Answer message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: canopy.discovery.v1.Answer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Answer message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {canopy.discovery.v1.Answer & canopy.discovery.v1.Answer.$Shape} Answer
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): canopy.discovery.v1.Answer & canopy.discovery.v1.Answer.$Shape;

                /**
                 * Creates an Answer message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Answer
                 */
                static fromObject(object: { [k: string]: any }): canopy.discovery.v1.Answer;

                /**
                 * Creates a plain object from an Answer message. Also converts values to other types if specified.
                 * @param message Answer
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: canopy.discovery.v1.Answer, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Answer to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };

                /**
                 * Gets the type url for Answer
                 * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns The type url
                 */
                static getTypeUrl(prefix?: string): string;
            }

            namespace Answer {

                /** Properties of an Answer. */
                interface $Properties {

                    /** Answer queryId */
                    queryId?: (number|null);

                    /** Answer stream */
                    stream?: (string|null);

                    /** Answer state */
                    state?: (canopy.discovery.v1.Answer.State|null);

                    /** Answer via */
                    via?: (string[]|null);

                    /** Answer to */
                    to?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Answer. */
                type $Shape = canopy.discovery.v1.Answer.$Properties;

                /** State enum. */
                enum State {

                    /** STATE_UNSPECIFIED value */
                    STATE_UNSPECIFIED = 0,

                    /** STATE_CARRYING value */
                    STATE_CARRYING = 1,

                    /** STATE_FETCHING value */
                    STATE_FETCHING = 2
                }
            }
        }
    }
}
