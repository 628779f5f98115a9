#pragma once

namespace syn::dsl {

// a + b with each taken as the decimal it prints as (its shortest round-trip form), summed
// exactly and rounded once: 0.1 + 0.2 is 0.3, not the binary sum 0.30000000000000004. A
// connection's delay and its receptor's latency add so, and the delay then is the one written as
// their sum. a + 0 is a itself. Both must be finite and at least 0.
double decimal_sum(double a, double b);

}  // namespace syn::dsl
