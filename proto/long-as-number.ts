// protobufjs decodes 64-bit fields to Long objects whenever the `long` package is
// installed (it is, as protobufjs's own dependency). Sizes and counters here stay
// far below 2^53, so plain numbers are right; this must run before the generated
// module loads, because its prototypes take their defaults at load time.
import protobuf from 'protobufjs/minimal.js';

protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();
